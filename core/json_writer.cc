#include "core/json_writer.h"

#include "core/number_text.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

void AppendValue(const Value& value, std::string* out) {
  switch (value.type()) {
    case Value::Type::kNull:
      out->append("null");
      return;
    case Value::Type::kBool:
      out->append(value.bool_value() ? "true" : "false");
      return;
    case Value::Type::kNumber:
      AppendNumberText(value.number_value(), out);
      return;
    case Value::Type::kString:
      AppendJsonString(value.string_value(), out);
      return;
    case Value::Type::kArray: {
      out->push_back('[');
      for (const Value& item : value.array_items()) {
        if (out->back() != '[') out->push_back(',');
        AppendValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case Value::Type::kObject: {
      out->push_back('{');
      for (const Value::Member& member : value.object_members()) {
        if (out->back() != '{') out->push_back(',');
        AppendJsonString(member.first, out);
        out->push_back(':');
        AppendValue(member.second, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

std::string ToJsonText(const Value& value) {
  std::string out;
  AppendValue(value, &out);
  return out;
}

}  // namespace mqlscore
