// Reads one JSON event line with simdjson, without copying it: the event's members are read
// straight from simdjson's document. Must accept exactly what the core's reader
// (OwnedEvent::Parse) accepts, with the same values; tests/fast_event_parser_test.cc checks that.
#ifndef MQLSCORE_CLI_FAST_EVENT_PARSER_H_
#define MQLSCORE_CLI_FAST_EVENT_PARSER_H_

#include <memory>
#include <string>
#include <string_view>

#include "core/event.h"

namespace mqlscore {

class FastEventParser {
 public:
  explicit FastEventParser(std::size_t max_bytes);
  ~FastEventParser();

  // Parses one line holding a JSON object. Returns its members, valid until the next Parse, or
  // nullptr and sets *error. REQUIRES: 64 readable bytes follow `text` (simdjson's padding).
  const EventMembers* Parse(std::string_view text, std::string* error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_FAST_EVENT_PARSER_H_
