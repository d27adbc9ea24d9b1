// `mqlscore backtest`: how well a rules file predicts sales outcomes, exactly as
// ../shared/spec/backtest-v1.md defines the figures. A StageRecorder follows one visitor through
// its scored events (§2); Backtest() turns every visitor's record into the figures (§3); the
// figures print as the JSON document of §4 or as tables.
#ifndef MQLSCORE_CLI_BACKTEST_H_
#define MQLSCORE_CLI_BACKTEST_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/outcomes.h"
#include "core/event.h"
#include "core/rules.h"
#include "core/value.h"
#include "core/visitor.h"

namespace mqlscore {

// What the backtest needs of one visitor's scored events (§2).
struct VisitorRecord {
  bool positive = false;
  bool scored = false;        // at least one event was scored
  double first_event_ts = 0;  // its first scored event's ts, as written
  // Index into stages() of the highest stage reached (0 is the highest); stages().size() when
  // no event was scored.
  std::size_t highest_stage = 0;
  // Per stage: when the visitor first reached it or a higher one (the stage_changed signal's ts).
  std::vector<std::optional<double>> first_reached;
  // Per rule, in file order: an engagement rule awarded points at least once; a fit rule held
  // after the last scored event.
  std::vector<bool> fired;
  double peak_engagement = 0;  // right after any scored event, before later decay
};

// Scores one visitor exactly as `mqlscore score` does, recording what §2 asks for.
class StageRecorder {
 public:
  // REQUIRES: `rules` outlives the recorder.
  StageRecorder(const RuleSet* rules, std::string visitor);
  void Track(const Event& event);
  // The record after the last event, reported at `at` as `score` reports (decay to `at`).
  VisitorRecord Finish(double at);
  const Visitor& visitor() const { return visitor_; }

 private:
  const RuleSet* rules_;
  Visitor visitor_;
  VisitorRecord record_;
  std::vector<Signal> signals_;
  std::vector<Step> steps_;
  void Reached(const std::vector<Signal>& signals, std::size_t from);
};

// What decides who is positive and when the figures are taken.
struct BacktestSettings {
  std::set<std::string> positive = {"sql", "won"};  // outcome labels that count as positive
  std::optional<double> at;  // the reporting time (--at); none: each visitor's last event
};

// Calls on_event for every event of the log, in order; false when the log could not be read
// whole. Called twice.
using ReplayLog = std::function<bool(const std::function<void(const Event&)>& on_event)>;

// The records of §2 for every visitor of the log, in order of first appearance, and how many
// outcome rows matched no visitor. Replays the log twice: first every visitor on all its events
// (its final traits decide which e-mail rows match it), then the positives with an outcome time
// on their events before it. False when `replay` failed.
bool RecordVisitors(const RuleSet& rules, const std::vector<OutcomeRow>& outcomes,
                    const BacktestSettings& settings, const ReplayLog& replay,
                    std::vector<VisitorRecord>* records, std::size_t* unmatched);

struct StageFigures {
  std::string stage;
  std::size_t reached = 0, positives = 0;
  std::optional<double> precision, recall, lift, median_days_to_stage;
};
struct RuleFigures {
  std::string rule, kind;
  std::size_t fired_positive = 0, fired_negative = 0;
  std::optional<double> lift;
};
struct ThresholdFigures {
  double engagement = 0;
  std::size_t reached = 0, positives = 0;
  std::optional<double> precision, recall;
};
struct BacktestFigures {
  std::size_t visitors = 0, positives = 0, unmatched_outcomes = 0;
  std::optional<double> base_rate;
  std::vector<StageFigures> stages;  // every stage but the last, in file order
  std::vector<RuleFigures> rules;    // file order
  std::vector<ThresholdFigures> thresholds;
};

// The thresholds when --thresholds is not given: every multiple of 10 from 10 up to the
// engagement cap, or to 200 without one.
std::vector<double> DefaultThresholds(const RuleSet& rules);

// The figures of §3 over every visitor of the log. Ratios are rounded to 6 decimals, a ratio
// whose denominator is 0 is left empty (null).
BacktestFigures Backtest(const RuleSet& rules, const std::vector<VisitorRecord>& visitors,
                         std::size_t unmatched_outcomes, const std::vector<double>& thresholds);

// The JSON document of §4.
Value BacktestValue(const BacktestFigures& figures);
// The same figures as readable tables.
std::string BacktestText(const BacktestFigures& figures);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_BACKTEST_H_
