// Emscripten's link checks that every function the module imports is defined in JavaScript; this
// declares the one wasm/mqlscore-core.mjs provides (the build is standalone, so Emscripten writes
// none of this into any output).
mergeInto(LibraryManager.library, { mqlscore_number_text: function () {} });
