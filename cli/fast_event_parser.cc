#include "cli/fast_event_parser.h"

#include <simdjson.h>

#include "core/json_value.h"

namespace mqlscore {

// The DOM API, not On Demand: it picks the best SIMD kernel at run time (On Demand compiles
// for the build machine's baseline, which on x86-64 is the slow fallback kernel).
namespace dom = simdjson::dom;

struct FastEventParser::Impl {
  dom::parser parser;
  std::string error;

  explicit Impl(std::size_t max_bytes) : parser(max_bytes) {}

  bool Convert(dom::element element, Value* out, int depth) {
    switch (element.type()) {
      case dom::element_type::OBJECT:
      case dom::element_type::ARRAY:
        if (depth >= kMaxValueDepth) {
          error = "JSON nests deeper than " + std::to_string(kMaxValueDepth) + " levels";
          return false;
        }
        if (element.type() == dom::element_type::OBJECT) {
          *out = Value::Object();
          dom::object object = element.get_object().value_unsafe();
          out->Reserve(object.size());
          for (dom::key_value_pair field : object) {
            Value child;
            if (!Convert(field.value, &child, depth + 1)) return false;
            out->Append(std::string(field.key), std::move(child));
          }
        } else {
          *out = Value::Array();
          dom::array array = element.get_array().value_unsafe();
          out->Reserve(array.size());
          for (dom::element item : array) {
            Value child;
            if (!Convert(item, &child, depth + 1)) return false;
            out->array_items().push_back(std::move(child));
          }
        }
        return true;
      case dom::element_type::STRING:
        *out = Value::String(std::string(element.get_string().value_unsafe()));
        return true;
      case dom::element_type::INT64:
        *out = Value::Number(static_cast<double>(element.get_int64().value_unsafe()));
        return true;
      case dom::element_type::UINT64:
        *out = Value::Number(static_cast<double>(element.get_uint64().value_unsafe()));
        return true;
      case dom::element_type::DOUBLE:
        *out = Value::Number(element.get_double().value_unsafe());
        return true;
      case dom::element_type::BOOL:
        *out = Value::Bool(element.get_bool().value_unsafe());
        return true;
      case dom::element_type::NULL_VALUE:
        *out = Value();
        return true;
    }
    return false;
  }
};

FastEventParser::FastEventParser(std::size_t max_bytes) : impl_(new Impl(max_bytes)) {}
FastEventParser::~FastEventParser() = default;

bool FastEventParser::Parse(std::string_view text, Value* out, std::string* error) {
  dom::element root;
  if (impl_->parser.parse(text.data(), text.size(), false).get(root) != simdjson::SUCCESS) {
    // Whatever simdjson refuses (including integers beyond 64 bits, which JSON allows), the
    // core's reader decides, so both readers accept the same lines with the same messages.
    return ParseJsonValue(text, out, error);
  }
  if (!impl_->Convert(root, out, 0)) {
    *error = impl_->error;
    return false;
  }
  return true;
}

}  // namespace mqlscore
