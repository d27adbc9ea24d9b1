#include "cli/score_csv.h"

#include <optional>

#include "cli/outcomes.h"
#include "core/number_text.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

constexpr std::size_t kTopReasons = 3;

std::string Number(double value) {
  std::string text;
  AppendNumberText(RoundReported(value), &text);
  return text;
}

std::string Trait(const Visitor& visitor, const char* name) {
  const Value* value = visitor.state().traits.Find(name);
  return value != nullptr && value->is_string() ? value->string_value() : "";
}

}  // namespace

std::string ScoreCsvHeader(const RuleSet& rules) {
  std::vector<std::string> fields = {"visitor",    "email", "company", "stage",
                                     "engagement", "fit",   "score"};
  for (std::size_t k = 0; k + 1 < rules.stages().size(); ++k) {
    fields.push_back("first_" + rules.stages()[k].name);
  }
  fields.push_back("reasons");
  fields.push_back("as_of");
  return CsvRow(fields);
}

std::string ScoreCsvRow(const RuleSet& rules, const Visitor& visitor,
                        const std::vector<Signal>& signals, double at) {
  Scores scores = visitor.ScoresAt(at);
  std::vector<std::string> fields = {visitor.state().id,        Trait(visitor, "email"),
                                     Trait(visitor, "company"), visitor.stage(),
                                     Number(scores.engagement), Number(scores.fit),
                                     Number(scores.score)};
  for (std::size_t k = 0; k + 1 < rules.stages().size(); ++k) {
    std::optional<double> first;  // the first change into this stage or a higher one
    for (const Signal& signal : signals) {
      int to = rules.StageIndex(signal.to);
      if (to >= 0 && static_cast<std::size_t>(to) <= k) {
        first = signal.ts;
        break;
      }
    }
    fields.push_back(first ? FormatRfc3339(*first) : "");
  }
  std::string reasons;
  std::vector<Reason> all = visitor.ReasonsAt(at);
  for (std::size_t i = 0; i < all.size() && i < kTopReasons; ++i) {
    reasons += (i ? "; " : "") + all[i].rule + " " + Number(all[i].points);
  }
  fields.push_back(reasons);
  fields.push_back(FormatRfc3339(visitor.ReportingTime(at)));
  return CsvRow(fields);
}

}  // namespace mqlscore
