#include "core/report.h"

namespace mqlscore {

Value ReasonsValue(const std::vector<Reason>& reasons) {
  Value::Array items;
  items.reserve(reasons.size());
  for (const Reason& reason : reasons) {
    items.push_back(Value::Object{{"rule", reason.rule}, {"points", reason.points}});
  }
  return items;
}

Value SignalValue(const Signal& signal) {
  return Value::Object{{"type", "stage_changed"},
                       {"visitor", signal.visitor},
                       {"ts", signal.ts},
                       {"from", signal.from},
                       {"to", signal.to},
                       {"engagement", signal.engagement},
                       {"fit", signal.fit},
                       {"score", signal.score},
                       {"reasons", ReasonsValue(signal.reasons)}};
}

Value SignalsValue(const std::vector<Signal>& signals) {
  Value::Array items;
  for (const Signal& signal : signals) items.push_back(SignalValue(signal));
  return items;
}

Value ScoresValue(const Scores& scores, const std::string& stage,
                  const std::vector<Reason>& reasons) {
  return Value::Object{{"engagement", RoundReported(scores.engagement)},
                       {"fit", RoundReported(scores.fit)},
                       {"score", RoundReported(scores.score)},
                       {"stage", stage},
                       {"reasons", ReasonsValue(reasons)}};
}

Value VisitorResultValue(const std::string& visitor, const Scores& scores, const std::string& stage,
                         const std::vector<Signal>& signals) {
  return Value::Object{{"visitor", visitor},
                       {"engagement", RoundReported(scores.engagement)},
                       {"fit", RoundReported(scores.fit)},
                       {"score", RoundReported(scores.score)},
                       {"stage", stage},
                       {"signals", SignalsValue(signals)}};
}

}  // namespace mqlscore
