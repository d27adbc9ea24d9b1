// libFuzzer target: a visitor snapshot restored into the example rules, scored on, and saved.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/json_writer.h"
#include "core/visitor.h"
#include "fuzz_rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const mqlscore::RuleSet& rules = mqlscore::ExampleRules();
  mqlscore::Visitor visitor(&rules, "v");
  if (!mqlscore::Visitor::FromSnapshotText(&rules, text, &visitor).ok()) return 0;
  mqlscore::OwnedEvent event;
  std::vector<mqlscore::Signal> signals;
  if (event.Parse(R"({"type":"page_view","ts":1767225600000,"url":"https://x.com/pricing"})")
          .ok()) {
    visitor.Track(event.event(), &signals);
  }
  visitor.ReasonsAt(visitor.state().last_ts);
  mqlscore::ToJsonText(visitor.Snapshot());
  return 0;
}
