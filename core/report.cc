#include "core/report.h"

#include "core/json_value.h"

namespace mqlscore {
namespace {

void AppendKey(const char* key, std::string* out) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

}  // namespace

void AppendReasonsJson(const std::vector<Reason>& reasons, std::string* out) {
  out->push_back('[');
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('{');
    AppendKey("rule", out);
    AppendJsonString(reasons[i].rule, out);
    out->push_back(',');
    AppendKey("points", out);
    AppendJsonNumber(reasons[i].points, out);
    out->push_back('}');
  }
  out->push_back(']');
}

void AppendSignalJson(const Signal& signal, std::string* out) {
  out->append("{\"type\":\"stage_changed\",");
  AppendKey("visitor", out);
  AppendJsonString(signal.visitor, out);
  out->push_back(',');
  AppendKey("ts", out);
  AppendJsonNumber(signal.ts, out);
  out->push_back(',');
  AppendKey("from", out);
  AppendJsonString(signal.from, out);
  out->push_back(',');
  AppendKey("to", out);
  AppendJsonString(signal.to, out);
  out->push_back(',');
  AppendKey("engagement", out);
  AppendJsonNumber(signal.engagement, out);
  out->push_back(',');
  AppendKey("fit", out);
  AppendJsonNumber(signal.fit, out);
  out->push_back(',');
  AppendKey("score", out);
  AppendJsonNumber(signal.score, out);
  out->push_back(',');
  AppendKey("reasons", out);
  AppendReasonsJson(signal.reasons, out);
  out->push_back('}');
}

void AppendScoresJson(const Scores& scores, const std::string& stage, std::string* out) {
  AppendKey("engagement", out);
  AppendJsonNumber(RoundReported(scores.engagement), out);
  out->push_back(',');
  AppendKey("fit", out);
  AppendJsonNumber(RoundReported(scores.fit), out);
  out->push_back(',');
  AppendKey("score", out);
  AppendJsonNumber(RoundReported(scores.score), out);
  out->push_back(',');
  AppendKey("stage", out);
  AppendJsonString(stage, out);
}

std::string VisitorResultJson(const std::string& visitor, const Scores& scores,
                              const std::string& stage, const std::vector<Signal>& signals) {
  std::string out = "{";
  AppendKey("visitor", &out);
  AppendJsonString(visitor, &out);
  out.push_back(',');
  AppendScoresJson(scores, stage, &out);
  out.push_back(',');
  AppendKey("signals", &out);
  out.push_back('[');
  for (std::size_t i = 0; i < signals.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendSignalJson(signals[i], &out);
  }
  out.append("]}");
  return out;
}

}  // namespace mqlscore
