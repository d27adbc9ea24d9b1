#include "cli/backtest.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "cli/visitor_table.h"
#include "core/number_text.h"

namespace mqlscore {
namespace {

constexpr double kDayMs = 86400000.0;

std::optional<double> Ratio(double numerator, double denominator) {
  if (denominator == 0) return std::nullopt;
  return RoundReported(numerator / denominator);
}

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  std::size_t middle = values.size() / 2;
  double median =
      values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return RoundReported(median);
}

Value OrNull(const std::optional<double>& value) { return value ? Value(*value) : Value(); }

std::string Cell(const std::optional<double>& value) {
  if (!value) return "-";
  std::string text;
  AppendNumberText(*value, &text);
  return text;
}

// Rows of cells as a table: the first column left-aligned, the others right-aligned.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string pad(widths[i] - row[i].size(), ' ');
      out += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    out.erase(out.find_last_not_of(' ') + 1);
    out += "\n";
  }
  return out;
}

}  // namespace

StageRecorder::StageRecorder(const RuleSet* rules, std::string visitor)
    : rules_(rules), visitor_(rules, std::move(visitor)) {
  record_.highest_stage = rules->stages().size();
  record_.first_reached.resize(rules->stages().size());
  record_.fired.resize(rules->rules().size(), false);
}

void StageRecorder::Reached(const std::vector<Signal>& signals, std::size_t from) {
  for (std::size_t s = from; s < signals.size(); ++s) {
    int to = rules_->StageIndex(signals[s].to);
    if (to < 0) continue;
    for (std::size_t k = static_cast<std::size_t>(to); k < record_.first_reached.size(); ++k) {
      if (!record_.first_reached[k]) record_.first_reached[k] = signals[s].ts;
    }
    record_.highest_stage = std::min(record_.highest_stage, static_cast<std::size_t>(to));
  }
}

void StageRecorder::Track(const Event& event) {
  if (!record_.scored) {
    record_.scored = true;
    record_.first_event_ts = event.ts();
    // Before its first event a visitor is in the last stage.
    record_.highest_stage = rules_->stages().size() - 1;
  }
  steps_.clear();
  std::size_t before = signals_.size();
  visitor_.Track(event, &signals_, &steps_);
  for (const Step& step : steps_) {
    record_.peak_engagement = std::max(record_.peak_engagement, step.scores.engagement);
    for (const Step::Award& award : step.awards) {
      int rule = rules_->RuleIndex(award.rule);
      if (rule >= 0 && !award.limited) record_.fired[static_cast<std::size_t>(rule)] = true;
    }
  }
  Reached(signals_, before);
}

VisitorRecord StageRecorder::Finish(double at) {
  if (record_.scored) {
    std::size_t before = signals_.size();
    visitor_.ReportAt(at, &signals_);
    Reached(signals_, before);
    for (std::size_t i = 0; i < rules_->rules().size(); ++i) {
      if (rules_->rules()[i].is_fit) record_.fired[i] = visitor_.state().fit_holds[i] != 0;
    }
  }
  return record_;
}

bool RecordVisitors(const RuleSet& rules, const std::vector<OutcomeRow>& outcomes,
                    const BacktestSettings& settings, const ReplayLog& replay,
                    std::vector<VisitorRecord>* records, std::size_t* unmatched) {
  VisitorTable<StageRecorder> visitors;
  auto make = [&rules](const std::string& id) { return StageRecorder(&rules, id); };
  if (!replay([&](const Event& event) {
        visitors[visitors.IndexOf(event.visitor(), make)].Track(event);
      })) {
    return false;
  }
  std::multimap<std::string, std::uint32_t> by_email;
  for (std::uint32_t i = 0; i < visitors.size(); ++i) {
    const Value* email = visitors[i].visitor().state().traits.Find("email");
    if (email != nullptr && email->is_string()) {
      by_email.emplace(NormalizeEmail(email->string_value()), i);
    }
  }
  std::vector<bool> positive(visitors.size(), false);
  std::vector<std::optional<double>> cutoff(visitors.size());
  *unmatched = 0;
  for (const OutcomeRow& row : outcomes) {
    std::vector<std::uint32_t> matched;
    std::uint32_t index;
    if (!row.visitor.empty()) {
      if (visitors.Has(row.visitor, &index)) matched.push_back(index);
    } else {
      auto range = by_email.equal_range(row.email);
      for (auto it = range.first; it != range.second; ++it) matched.push_back(it->second);
    }
    if (matched.empty()) ++*unmatched;
    if (settings.positive.count(row.outcome) == 0) continue;
    for (std::uint32_t i : matched) {
      positive[i] = true;
      if (row.has_ts && (!cutoff[i] || row.ts < *cutoff[i])) cutoff[i] = row.ts;
    }
  }
  std::map<std::uint32_t, StageRecorder> cut;
  for (std::uint32_t i = 0; i < visitors.size(); ++i) {
    if (positive[i] && cutoff[i]) cut.emplace(i, StageRecorder(&rules, visitors.id(i)));
  }
  if (!cut.empty() && !replay([&](const Event& event) {
        std::uint32_t index;
        if (!visitors.Has(event.visitor(), &index)) return;
        auto found = cut.find(index);
        if (found != cut.end() && event.ts() < *cutoff[index]) found->second.Track(event);
      })) {
    return false;
  }
  records->assign(visitors.size(), VisitorRecord());
  for (std::uint32_t i = 0; i < visitors.size(); ++i) {
    auto found = cut.find(i);
    StageRecorder& recorder = found != cut.end() ? found->second : visitors[i];
    (*records)[i] = recorder.Finish(settings.at.value_or(recorder.visitor().state().last_ts));
    (*records)[i].positive = positive[i];
  }
  return true;
}

std::vector<double> DefaultThresholds(const RuleSet& rules) {
  double top = rules.engagement_cap() ? *rules.engagement_cap() : 200;
  std::vector<double> thresholds;
  for (double t = 10; t <= top; t += 10) thresholds.push_back(t);
  return thresholds;
}

BacktestFigures Backtest(const RuleSet& rules, const std::vector<VisitorRecord>& visitors,
                         std::size_t unmatched_outcomes, const std::vector<double>& thresholds) {
  BacktestFigures f;
  f.visitors = visitors.size();
  f.unmatched_outcomes = unmatched_outcomes;
  for (const VisitorRecord& v : visitors) f.positives += v.positive ? 1 : 0;
  const double n = static_cast<double>(f.visitors), p = static_cast<double>(f.positives);
  f.base_rate = Ratio(p, n);
  const double base_rate = n == 0 ? 0 : p / n;

  for (std::size_t k = 0; k + 1 < rules.stages().size(); ++k) {
    StageFigures s;
    s.stage = rules.stages()[k].name;
    std::vector<double> days;
    for (const VisitorRecord& v : visitors) {
      if (!v.scored || v.highest_stage > k) continue;
      ++s.reached;
      s.positives += v.positive ? 1 : 0;
      days.push_back((*v.first_reached[k] - v.first_event_ts) / kDayMs);
    }
    double precision = s.reached == 0 ? 0 : s.positives / static_cast<double>(s.reached);
    s.precision = Ratio(s.positives, s.reached);
    s.recall = Ratio(s.positives, p);
    if (s.precision) s.lift = Ratio(precision, base_rate);
    s.median_days_to_stage = Median(days);
    f.stages.push_back(s);
  }
  for (std::size_t i = 0; i < rules.rules().size(); ++i) {
    RuleFigures r;
    r.rule = rules.rules()[i].id;
    r.kind = rules.rules()[i].is_fit ? "fit" : "engagement";
    for (const VisitorRecord& v : visitors) {
      if (!v.scored || !v.fired[i]) continue;
      (v.positive ? r.fired_positive : r.fired_negative) += 1;
    }
    if (p > 0 && n - p > 0 && r.fired_negative > 0) {
      r.lift = Ratio(r.fired_positive / p, r.fired_negative / (n - p));
    }
    f.rules.push_back(r);
  }
  for (double t : thresholds) {
    ThresholdFigures th;
    th.engagement = t;
    for (const VisitorRecord& v : visitors) {
      if (v.peak_engagement < t) continue;
      ++th.reached;
      th.positives += v.positive ? 1 : 0;
    }
    th.precision = Ratio(th.positives, th.reached);
    th.recall = Ratio(th.positives, p);
    f.thresholds.push_back(th);
  }
  return f;
}

Value BacktestValue(const BacktestFigures& f) {
  auto count = [](std::size_t n) { return Value(static_cast<double>(n)); };
  Value::Array stages, rules, thresholds;
  for (const StageFigures& s : f.stages) {
    stages.push_back(Value::Object{{"stage", s.stage},
                                   {"reached", count(s.reached)},
                                   {"positives", count(s.positives)},
                                   {"precision", OrNull(s.precision)},
                                   {"recall", OrNull(s.recall)},
                                   {"lift", OrNull(s.lift)},
                                   {"median_days_to_stage", OrNull(s.median_days_to_stage)}});
  }
  for (const RuleFigures& r : f.rules) {
    rules.push_back(Value::Object{{"rule", r.rule},
                                  {"kind", r.kind},
                                  {"fired_positive", count(r.fired_positive)},
                                  {"fired_negative", count(r.fired_negative)},
                                  {"lift", OrNull(r.lift)}});
  }
  for (const ThresholdFigures& t : f.thresholds) {
    thresholds.push_back(Value::Object{{"engagement", t.engagement},
                                       {"reached", count(t.reached)},
                                       {"positives", count(t.positives)},
                                       {"precision", OrNull(t.precision)},
                                       {"recall", OrNull(t.recall)}});
  }
  return Value::Object{
      {"visitors", count(f.visitors)},      {"positives", count(f.positives)},
      {"base_rate", OrNull(f.base_rate)},   {"unmatched_outcomes", count(f.unmatched_outcomes)},
      {"stages", std::move(stages)},        {"rules", std::move(rules)},
      {"thresholds", std::move(thresholds)}};
}

std::string BacktestText(const BacktestFigures& f) {
  auto count = [](std::size_t n) { return std::to_string(n); };
  std::string out = count(f.visitors) + " visitors, " + count(f.positives) +
                    " positive (base rate " + Cell(f.base_rate) + "), " +
                    count(f.unmatched_outcomes) + " outcome rows matched no visitor\n\n";
  std::vector<std::vector<std::string>> stages = {
      {"stage", "reached", "positives", "precision", "recall", "lift", "median days"}};
  for (const StageFigures& s : f.stages) {
    stages.push_back({s.stage, count(s.reached), count(s.positives), Cell(s.precision),
                      Cell(s.recall), Cell(s.lift), Cell(s.median_days_to_stage)});
  }
  std::vector<std::vector<std::string>> rules = {
      {"rule", "kind", "fired positive", "fired negative", "lift"}};
  for (const RuleFigures& r : f.rules) {
    rules.push_back(
        {r.rule, r.kind, count(r.fired_positive), count(r.fired_negative), Cell(r.lift)});
  }
  std::vector<std::vector<std::string>> thresholds = {
      {"engagement >=", "reached", "positives", "precision", "recall"}};
  for (const ThresholdFigures& t : f.thresholds) {
    thresholds.push_back({Cell(t.engagement), count(t.reached), count(t.positives),
                          Cell(t.precision), Cell(t.recall)});
  }
  return out + Table(stages) + "\n" + Table(rules) + "\n" + Table(thresholds);
}

}  // namespace mqlscore
