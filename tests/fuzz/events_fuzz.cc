// libFuzzer target: an event line through both readers (the command line's simdjson one and the
// core's), and what either accepts scored by a visitor of the example rules.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/fast_event_parser.h"
#include "core/event.h"
#include "core/visitor.h"
#include "fuzz_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string line(reinterpret_cast<const char*>(data), size);
  std::string padded = line + std::string(64, ' ');  // simdjson's padding
  static mqlscore::FastEventParser fast(1 << 20);
  const mqlscore::EventMembers* members = nullptr;
  mqlscore::Event event;
  std::vector<mqlscore::Signal> signals;
  mqlscore::Visitor visitor(&mqlscore::ExampleRules(), "v");
  if (fast.Parse(std::string_view(padded.data(), line.size()), &members).ok() &&
      mqlscore::Event::From(members, &event).ok()) {
    visitor.Track(event, &signals);
  }
  mqlscore::OwnedEvent owned;
  if (owned.Parse(line).ok()) visitor.Track(owned.event(), &signals);
  visitor.ReportAt(visitor.state().last_ts + 86400000.0, &signals);
  return 0;
}
