// The playground's module (web/playground/): `mqlscore backtest` (cli/backtest.h) over a log and
// the records of an outcomes file, both handed in by the playground's Web Worker, which reads the
// CSV with papaparse; and `mqlscore validate`'s warnings (cli/rules_lint.h). Not the widget's
// module: what it weighs does not count against the widget.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>
#include <string_view>
#include <vector>

#include "cli/backtest.h"
#include "cli/outcomes.h"
#include "cli/rules_lint.h"
#include "core/event.h"
#include "core/json_reader.h"
#include "core/rules.h"
#include "wasm/js_value.h"

namespace mqlscore {
namespace {

using emscripten::val;

// backtest(rulesText, eventsText, records, positive) -> {ok: true, figures} (backtest-v1 §4) or
// {ok: false, error}. `records`: the outcomes file as arrays of fields, its header row first;
// `positive`: the outcome labels that count as positive.
val RunBacktest(const std::string& rules_text, const std::string& events_text, const val& records,
                const val& positive) {
  RuleSet rules;
  Problems problems = RuleSet::Parse(rules_text, &rules);
  if (!problems.empty()) return Failure("the rules file is invalid: " + problems[0].ToString());
  std::vector<CsvRecord> csv;
  const unsigned rows = records["length"].as<unsigned>();
  for (unsigned i = 0; i < rows; ++i) {
    csv.push_back({i + 1, emscripten::vecFromJSArray<std::string>(records[i])});
  }
  std::vector<OutcomeRow> outcomes;
  Status read = OutcomesFromRecords(csv, &outcomes);
  if (!read.ok()) return Failure("outcomes: " + read.message());
  BacktestSettings settings;
  settings.positive.clear();
  for (const std::string& label : emscripten::vecFromJSArray<std::string>(positive)) {
    settings.positive.insert(label);
  }
  std::string bad_line;
  auto replay = [&](const std::function<void(const Event&)>& on_event) {
    std::string_view text = events_text;
    for (std::size_t line = 1; !text.empty(); ++line) {
      std::size_t end = text.find('\n');
      std::string_view event_text = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (event_text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      OwnedEvent event;
      Status parsed = event.Parse(event_text);
      if (parsed.ok() && event.event().visitor().empty()) {
        parsed = Status::Invalid("visitor is required (a non-empty string)");
      }
      if (!parsed.ok()) {
        bad_line = "events: line " + std::to_string(line) + ": " + parsed.message();
        return false;
      }
      on_event(event.event());
    }
    return true;
  };
  std::vector<VisitorRecord> visitors;
  std::size_t unmatched = 0;
  if (!RecordVisitors(rules, outcomes, settings, replay, &visitors, &unmatched)) {
    return Failure(bad_line);
  }
  return Success(
      "figures",
      ToJs(BacktestValue(Backtest(rules, visitors, unmatched, DefaultThresholds(rules)))));
}

// lint(rulesText) -> the warnings `mqlscore validate` prints for it (none when it is not JSON).
val Lint(const std::string& rules_text) {
  val warnings = val::array();
  Value document;
  if (ReadJson(rules_text, kMaxRulesDepth, &document).ok()) {
    for (const std::string& warning : RulesWarnings(document)) warnings.call<void>("push", warning);
  }
  return warnings;
}

}  // namespace
}  // namespace mqlscore

EMSCRIPTEN_BINDINGS(mqlscore_workbench) {
  emscripten::function("backtest", &mqlscore::RunBacktest);
  emscripten::function("lint", &mqlscore::Lint);
}
