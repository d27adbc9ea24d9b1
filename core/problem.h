// A problem found in a rules file: where (a JSON Pointer, RFC 6901) and what.
// Validation reports every problem it finds, not just the first.
#ifndef MQLSCORE_CORE_PROBLEM_H_
#define MQLSCORE_CORE_PROBLEM_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace mqlscore {

struct Problem {
  std::string pointer;  // "" is the whole document, "/rules/3/limit/per" a place in it
  std::string message;

  // "/rules/3/limit/per: must be one of session, day, week, ever"; just the message for "".
  std::string ToString() const { return pointer.empty() ? message : pointer + ": " + message; }
};

using Problems = std::vector<Problem>;

// "<expected>, not <the value's type in words>": ExpectedButGot("must be a number", value) is
// "must be a number, not a string" for a string. One function rather than the concatenation at
// each of its many callers, which cost 0.1 KB gzip of the WebAssembly build.
std::string ExpectedButGot(std::string_view expected, const Value& value);

// Escapes one reference token for a JSON Pointer ('~' -> "~0", '/' -> "~1").
std::string PointerToken(std::string_view token);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_PROBLEM_H_
