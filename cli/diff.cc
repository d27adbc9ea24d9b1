#include "cli/diff.h"

#include <algorithm>

#include "core/number_text.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

Value OrNull(const std::optional<double>& value) { return value ? Value(*value) : Value(); }

std::string Number(double value) {
  std::string text;
  AppendNumberText(value, &text);
  return text;
}

Value SideValue(const FinalStage& side) {
  return Value::Object{{"stage", side.stage},
                       {"reached_at", OrNull(side.reached_at)},
                       {"engagement", side.scores.engagement},
                       {"fit", side.scores.fit},
                       {"score", side.scores.score}};
}

std::string SideText(const FinalStage& side) {
  return side.stage + (side.reached_at ? " since " + FormatRfc3339(*side.reached_at) : "") +
         " (score " + Number(side.scores.score) + ")";
}

}  // namespace

FinalStage FinalStageOf(Visitor* visitor, std::vector<Signal>* signals, double at) {
  visitor->ReportAt(at, signals);
  FinalStage out;
  out.stage = visitor->stage();
  for (const Signal& signal : *signals) {
    if (signal.to == out.stage) out.reached_at = signal.ts;
  }
  Scores scores = visitor->ScoresAt(at);
  out.scores = {RoundReported(scores.engagement), RoundReported(scores.fit),
                RoundReported(scores.score)};
  out.reasons = visitor->ReasonsAt(at);
  return out;
}

DiffFigures Diff(const RuleSet& rules_a, const RuleSet& rules_b,
                 const std::vector<std::string>& ids, const std::vector<FinalStage>& a,
                 const std::vector<FinalStage>& b) {
  DiffFigures diff;
  diff.visitors = ids.size();
  for (const Stage& stage : rules_a.stages()) diff.stages.push_back({stage.name, 0, 0});
  for (const Stage& stage : rules_b.stages()) {
    if (rules_a.StageIndex(stage.name) < 0) diff.stages.push_back({stage.name, 0, 0});
  }
  auto count = [&](const std::string& stage) -> StageCount& {
    return *std::find_if(diff.stages.begin(), diff.stages.end(),
                         [&](const StageCount& c) { return c.stage == stage; });
  };
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ++count(a[i].stage).a;
    ++count(b[i].stage).b;
    if (a[i].stage == b[i].stage && a[i].reached_at == b[i].reached_at) continue;
    VisitorChange change{ids[i], a[i], b[i], {}};
    auto points = [](const std::vector<Reason>& reasons, const std::string& rule) {
      for (const Reason& r : reasons) {
        if (r.rule == rule) return std::optional<double>(r.points);
      }
      return std::optional<double>();
    };
    std::vector<std::string> rules;
    for (const Reason& r : a[i].reasons) rules.push_back(r.rule);
    for (const Reason& r : b[i].reasons) {
      if (!points(a[i].reasons, r.rule)) rules.push_back(r.rule);
    }
    for (const std::string& rule : rules) {
      std::optional<double> on_a = points(a[i].reasons, rule), on_b = points(b[i].reasons, rule);
      if (on_a != on_b) change.reasons.push_back({rule, on_a, on_b});
    }
    diff.changed.push_back(std::move(change));
  }
  return diff;
}

Value DiffValue(const DiffFigures& diff) {
  Value::Array stages, changed;
  for (const StageCount& c : diff.stages) {
    stages.push_back(Value::Object{
        {"stage", c.stage}, {"a", static_cast<double>(c.a)}, {"b", static_cast<double>(c.b)}});
  }
  for (const VisitorChange& change : diff.changed) {
    Value::Array reasons;
    for (const ReasonChange& r : change.reasons) {
      reasons.push_back(Value::Object{{"rule", r.rule}, {"a", OrNull(r.a)}, {"b", OrNull(r.b)}});
    }
    changed.push_back(Value::Object{{"visitor", change.visitor},
                                    {"a", SideValue(change.a)},
                                    {"b", SideValue(change.b)},
                                    {"reasons", std::move(reasons)}});
  }
  Value doc = Value::Object{{"rules", Value::Object{{"a", diff.rules_a}, {"b", diff.rules_b}}},
                            {"visitors", static_cast<double>(diff.visitors)},
                            {"stages", std::move(stages)},
                            {"changed", static_cast<double>(diff.changed.size())},
                            {"changed_visitors", std::move(changed)}};
  if (diff.backtest_a && diff.backtest_b) {
    doc.Append("backtest", Value::Object{{"a", BacktestValue(*diff.backtest_a)},
                                         {"b", BacktestValue(*diff.backtest_b)}});
  }
  return doc;
}

std::string DiffText(const DiffFigures& diff, std::size_t max_visitors) {
  std::string out = "A: " + diff.rules_a + "\nB: " + diff.rules_b + "\n" +
                    std::to_string(diff.visitors) + " visitors, " +
                    std::to_string(diff.changed.size()) +
                    " end in another stage or reach it at another time\n\n";
  std::size_t width = 5;
  for (const StageCount& c : diff.stages) width = std::max(width, c.stage.size());
  auto pad = [](std::string text, std::size_t n, bool left) {
    std::string spaces(n > text.size() ? n - text.size() : 0, ' ');
    return left ? text + spaces : spaces + text;
  };
  out += pad("stage", width, true) + "  " + pad("A", 9, false) + "  " + pad("B", 9, false) + "  " +
         pad("B - A", 9, false) + "\n";
  for (const StageCount& c : diff.stages) {
    long change = static_cast<long>(c.b) - static_cast<long>(c.a);
    out += pad(c.stage, width, true) + "  " + pad(std::to_string(c.a), 9, false) + "  " +
           pad(std::to_string(c.b), 9, false) + "  " +
           pad((change > 0 ? "+" : "") + std::to_string(change), 9, false) + "\n";
  }
  if (!diff.changed.empty()) out += "\n";
  for (std::size_t i = 0; i < diff.changed.size() && i < max_visitors; ++i) {
    const VisitorChange& change = diff.changed[i];
    out += change.visitor + ": " + SideText(change.a) + " -> " + SideText(change.b) + "\n";
    for (const ReasonChange& r : change.reasons) {
      out += "    " + r.rule + " " + (r.a ? Number(*r.a) : "-") + " -> " +
             (r.b ? Number(*r.b) : "-") + "\n";
    }
  }
  if (diff.changed.size() > max_visitors) {
    out += "... and " + std::to_string(diff.changed.size() - max_visitors) +
           " more (--json lists every one)\n";
  }
  if (diff.backtest_a && diff.backtest_b) {
    out += "\nBacktest under A\n" + BacktestText(*diff.backtest_a) + "\nBacktest under B\n" +
           BacktestText(*diff.backtest_b);
  }
  return out;
}

}  // namespace mqlscore
