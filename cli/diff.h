// `mqlscore diff`: what changing rules file A for B does on the same history. Per stage, how many
// visitors end in it under each (stages matched by name; the counts are those of two
// `mqlscore score` runs), and every visitor whose final stage or time of reaching it differs,
// with both sides' scores and the reasons that differ.
#ifndef MQLSCORE_CLI_DIFF_H_
#define MQLSCORE_CLI_DIFF_H_

#include <optional>
#include <string>
#include <vector>

#include "cli/backtest.h"
#include "core/rules.h"
#include "core/value.h"
#include "core/visitor.h"

namespace mqlscore {

// Where one visitor ends under one rules file, as `score` reports it.
struct FinalStage {
  std::string stage;
  std::optional<double> reached_at;  // the last stage change into it; none: never left the start
  Scores scores;                     // rounded to 6 decimals
  std::vector<Reason> reasons;
};

// Reports *visitor at `at` as `score` does (appending any stage change to *signals, whose earlier
// entries are the visitor's stage changes so far) and returns where it ends.
FinalStage FinalStageOf(Visitor* visitor, std::vector<Signal>* signals, double at);

struct StageCount {
  std::string stage;
  std::size_t a = 0, b = 0;
};
struct ReasonChange {
  std::string rule;
  std::optional<double> a, b;  // its points on each side; none: not among that side's reasons
};
struct VisitorChange {
  std::string visitor;
  FinalStage a, b;
  std::vector<ReasonChange> reasons;  // the rules whose points differ, A's reason order first
};
struct DiffFigures {
  std::string rules_a, rules_b;  // the files' names
  std::size_t visitors = 0;
  std::vector<StageCount> stages;  // A's stages in file order, then B's that A lacks
  std::vector<VisitorChange> changed;
  // With --outcomes: each side's backtest.
  std::optional<BacktestFigures> backtest_a, backtest_b;
};

// Compares every visitor's final stage under A (`a[i]`) and B (`b[i]`); ids[i] names visitor i.
DiffFigures Diff(const RuleSet& rules_a, const RuleSet& rules_b,
                 const std::vector<std::string>& ids, const std::vector<FinalStage>& a,
                 const std::vector<FinalStage>& b);

Value DiffValue(const DiffFigures& diff);
// Tables; at most `max_visitors` changed visitors are listed (the JSON lists all).
std::string DiffText(const DiffFigures& diff, std::size_t max_visitors);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_DIFF_H_
