// libFuzzer target: an event line through both readers (the command line's simdjson one and the
// core's), and what either accepts scored by a visitor of the example rules. A line both accept
// must score alike: the same state after it, to the byte.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/fast_event_parser.h"
#include "core/event.h"
#include "core/json_writer.h"
#include "core/visitor.h"
#include "fuzz_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string line(reinterpret_cast<const char*>(data), size);
  std::string padded = line + std::string(64, ' ');  // simdjson's padding
  static mqlscore::FastEventParser fast(1 << 20);
  const mqlscore::EventMembers* members = nullptr;
  mqlscore::Event event;
  std::vector<mqlscore::Signal> signals;
  mqlscore::Visitor by_fast(&mqlscore::ExampleRules(), "v");
  mqlscore::Visitor by_core(&mqlscore::ExampleRules(), "v");
  bool fast_read = fast.Parse(std::string_view(padded.data(), line.size()), &members).ok() &&
                   mqlscore::Event::From(members, &event).ok();
  if (fast_read) by_fast.Track(event, &signals);
  mqlscore::OwnedEvent owned;
  bool core_read = owned.Parse(line).ok();
  if (core_read) by_core.Track(owned.event(), &signals);
  if (fast_read && core_read &&
      mqlscore::ToJsonText(by_fast.Snapshot()) != mqlscore::ToJsonText(by_core.Snapshot())) {
    __builtin_trap();  // the two readers read one line differently
  }
  by_core.ReportAt(by_core.state().last_ts + 86400000.0, &signals);
  return 0;
}
