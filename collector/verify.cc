#include "collector/verify.h"

#include <vector>

#include "core/event.h"
#include "core/visitor.h"

namespace mqlscore {

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
        s.score == signal.Find("score")->number_value()) {
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
