#include "core/problem.h"

namespace mqlscore {

std::string ExpectedButGot(std::string_view expected, const Value& value) {
  // In the order of Value::Type.
  static const char* const kTypeNames[] = {"null",     "a boolean", "a number",
                                           "a string", "an array",  "an object"};
  std::string out(expected);
  out += ", not ";
  out += kTypeNames[static_cast<int>(value.type())];
  return out;
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
