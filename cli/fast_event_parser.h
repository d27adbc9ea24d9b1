// Parses one JSON line into a Value with simdjson, for the command line's event reader.
// Must agree with ParseJsonValue (core/json_value.h) on every input; tests check that.
#ifndef MQLSCORE_CLI_FAST_EVENT_PARSER_H_
#define MQLSCORE_CLI_FAST_EVENT_PARSER_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/value.h"

namespace mqlscore {

class FastEventParser {
 public:
  explicit FastEventParser(std::size_t max_bytes);
  ~FastEventParser();

  // REQUIRES: `padding` (64) readable bytes follow `text`.
  // Returns false and sets *error for invalid JSON, invalid UTF-8 or nesting deeper than
  // kMaxValueDepth. Lines simdjson cannot take go to ParseJsonValue, whose answer stands.
  bool Parse(std::string_view text, Value* out, std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_FAST_EVENT_PARSER_H_
