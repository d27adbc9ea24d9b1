#include "core/report.h"

#include "core/json_value.h"

namespace mqlscore {

void AppendReasonsJson(const std::vector<Reason>& reasons, std::string* out) {
  out->push_back('[');
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    AppendJsonKey("rule", out);
    AppendJsonString(reasons[i].rule, out);
    out->push_back(',');
    AppendJsonKey("points", out);
    AppendJsonNumber(reasons[i].points, out);
    out->push_back('}');
  }
  out->push_back(']');
}

void AppendSignalJson(const Signal& signal, std::string* out) {
  out->append("{\"type\":\"stage_changed\",");
  AppendJsonKey("visitor", out);
  AppendJsonString(signal.visitor, out);
  out->push_back(',');
  AppendJsonKey("ts", out);
  AppendJsonNumber(signal.ts, out);
  out->push_back(',');
  AppendJsonKey("from", out);
  AppendJsonString(signal.from, out);
  out->push_back(',');
  AppendJsonKey("to", out);
  AppendJsonString(signal.to, out);
  out->push_back(',');
  AppendJsonKey("engagement", out);
  AppendJsonNumber(signal.engagement, out);
  out->push_back(',');
  AppendJsonKey("fit", out);
  AppendJsonNumber(signal.fit, out);
  out->push_back(',');
  AppendJsonKey("score", out);
  AppendJsonNumber(signal.score, out);
  out->push_back(',');
  AppendJsonKey("reasons", out);
  AppendReasonsJson(signal.reasons, out);
  out->push_back('}');
}

void AppendScoresJson(const Scores& scores, const std::string& stage, std::string* out) {
  AppendJsonKey("engagement", out);
  AppendJsonNumber(RoundReported(scores.engagement), out);
  out->push_back(',');
  AppendJsonKey("fit", out);
  AppendJsonNumber(RoundReported(scores.fit), out);
  out->push_back(',');
  AppendJsonKey("score", out);
  AppendJsonNumber(RoundReported(scores.score), out);
  out->push_back(',');
  AppendJsonKey("stage", out);
  AppendJsonString(stage, out);
}

void AppendSignalsJson(const std::vector<Signal>& signals, std::size_t first, std::string* out) {
  out->push_back('[');
  for (std::size_t i = first; i < signals.size(); ++i) {
    if (i > first) out->push_back(',');
    AppendSignalJson(signals[i], out);
  }
  out->push_back(']');
}

std::string VisitorResultJson(const std::string& visitor, const Scores& scores,
                              const std::string& stage, const std::vector<Signal>& signals) {
  std::string out = "{";
  AppendJsonKey("visitor", &out);
  AppendJsonString(visitor, &out);
  out.push_back(',');
  AppendScoresJson(scores, stage, &out);
  out.push_back(',');
  AppendJsonKey("signals", &out);
  AppendSignalsJson(signals, 0, &out);
  out.push_back('}');
  return out;
}

}  // namespace mqlscore
