#include "core/problem.h"

namespace mqlscore {

std::string JsonTypeName(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return "null";
    case Value::Type::kObject:
      return "an object";
    case Value::Type::kArray:
      return "an array";
    case Value::Type::kString:
      return "a string";
    case Value::Type::kBool:
      return "a boolean";
    case Value::Type::kNumber:
      break;
  }
  return "a number";
}

std::string PointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace mqlscore
