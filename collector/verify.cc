#include "collector/verify.h"

#include <vector>

#include "core/event.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

// The reasons a signal claims are the replay's, rule for rule and point for point.
bool SameReasons(const std::vector<Reason>& replayed, const Value& claimed) {
  const Value::Array& items = claimed.array_items();
  if (items.size() != replayed.size()) return false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].Find("rule")->string_value() != replayed[i].rule ||
        items[i].Find("points")->number_value() != replayed[i].points) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Verify(const RuleSet* rules, const Value& signal) {
  if (rules == nullptr) return "unknown_rules";
  const std::string& visitor_id = signal.Find("visitor")->string_value();
  Visitor visitor(rules, visitor_id);
  std::vector<Signal> replayed;
  OwnedEvent event;
  for (const Value& item : signal.Find("evidence")->array_items()) {
    if (event.Reset(item).ok()) visitor.Track(event.event(), &replayed);
  }
  double ts = signal.Find("ts")->number_value();
  visitor.ReportAt(ts, &replayed);
  for (const Signal& s : replayed) {
    if (s.ts == ts && s.from == signal.Find("from")->string_value() &&
        s.to == signal.Find("to")->string_value() &&
        s.engagement == signal.Find("engagement")->number_value() &&
        s.fit == signal.Find("fit")->number_value() &&
        s.score == signal.Find("score")->number_value() &&
        SameReasons(s.reasons, *signal.Find("reasons"))) {
      return "verified";
    }
  }
  // Without its oldest events the replay starts from less than the browser had: a signal it does
  // not reproduce may still be honest.
  const Value* complete = signal.Find("evidence_complete");
  return complete != nullptr && complete->is_bool() && !complete->bool_value() ? "unverifiable"
                                                                               : "mismatch";
}

}  // namespace mqlscore
