// Parts of Embind's JavaScript this binding never uses, replaced by nothing (figures from
// scripts/build-widget, gzip -9; docs/benchmarks.md):
// - the names of C++ types, which Embind needs only to word an error about a type the binding
//   never registered (it cannot: its types are fixed). Its own __getTypeName formats the type's
//   address with sprintf, C's printf engine in the module: 2.0 KB (drop-export.mjs removes it).
// - std::wstring, std::u16string, std::u32string and typed memory views, which Embind registers
//   whether a binding uses them or not, with their UTF-16 and UTF-32 conversions: 0.4 KB.
// - the debugging helpers Embind puts on the module (getInheritedInstanceCount, flushPendingDeletes,
//   count_emval_handles, ...) and the handle methods nobody calls (isAliasOf, isDeleted,
//   deleteLater, with the deferred-deletion queue): the widget calls delete() only, and Embind
//   itself clone(). 0.2 KB.
mergeInto(LibraryManager.library, {
  $init_embind__deps: [],
  $init_embind: function () {},
  $init_emval__deps: [],
  $init_emval: function () {},
  $init_ClassHandle__deps: ['$ClassHandle_clone', '$ClassHandle_delete'],
  $init_ClassHandle: function () {
    ClassHandle.prototype['clone'] = ClassHandle_clone;
    ClassHandle.prototype['delete'] = ClassHandle_delete;
  },
  $getTypeName: function (type) { return 'C++ type #' + type; },
  _embind_register_std_wstring: function () {},
  _embind_register_memory_view: function () {},
});
