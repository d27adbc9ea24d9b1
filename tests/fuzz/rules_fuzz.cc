// libFuzzer target: a rules file through everything `mqlscore validate` does with it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/rules_lint.h"
#include "cli/track_settings.h"
#include "core/json_reader.h"
#include "core/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mqlscore::RuleSet rules;
  mqlscore::RuleSet::Parse(text, &rules);
  mqlscore::TrackSettingWarnings(text);
  mqlscore::Value document;
  if (mqlscore::ReadJson(text, mqlscore::kMaxRulesDepth, &document).ok()) {
    mqlscore::RulesWarnings(document);
  }
  return 0;
}
