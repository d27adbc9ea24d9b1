#include "collector/signal_json.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace mqlscore {
namespace {

using Json = nlohmann::ordered_json;

// Invalid UTF-8 (which the batch checks let through nowhere) is written as U+FFFD, never refused.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Whole numbers as integers ("1767225600000", not "1767225600000.0"), as JavaScript writes them.
Json Number(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) {
    return static_cast<std::int64_t>(d);
  }
  return d;
}

Json Reasons(const std::vector<Reason>& reasons) {
  Json out = Json::array();
  for (const Reason& reason : reasons) {
    out.push_back({{"rule", reason.rule}, {"points", Number(reason.points)}});
  }
  return out;
}

Json SignalObject(const StoredSignal& s) {
  return {{"type", "stage_changed"},
          {"id", s.id},
          {"site", s.site},
          {"visitor", s.visitor},
          {"ts", Number(s.ts)},
          {"from", s.from},
          {"to", s.to},
          {"stage", s.to},  // the stage the signal moved the visitor to
          {"engagement", Number(s.engagement)},
          {"fit", Number(s.fit)},
          {"score", Number(s.score)},
          {"reasons", Reasons(s.reasons)},
          {"rules_hash", s.rules_hash},
          {"verdict", s.verdict}};
}

Json Signals(const std::vector<StoredSignal>& signals) {
  Json out = Json::array();
  for (const StoredSignal& s : signals) out.push_back(SignalObject(s));
  return out;
}

}  // namespace

std::string SignalJson(const StoredSignal& signal) { return Dump(SignalObject(signal)); }

std::string LeadsJson(const std::vector<StoredSignal>& leads) { return Dump(Signals(leads)); }

std::string LeadJson(const std::string& visitor, const std::vector<StoredSignal>& signals) {
  return Dump({{"visitor", visitor}, {"signals", Signals(signals)}});
}

std::string ForwardingJson(const std::vector<Store::DeadLetter>& dead, std::int64_t waiting) {
  Json letters = Json::array();
  for (const Store::DeadLetter& d : dead) {
    letters.push_back({{"id", d.id},
                       {"reason", d.reason},
                       {"http_status", d.http_status},
                       {"attempts", d.attempts},
                       {"failed_at", Number(d.failed_at)}});
  }
  return Dump({{"waiting", waiting}, {"dead", letters}});
}

std::string BatchAnswerJson(std::size_t accepted, int stored) {
  return Dump({{"accepted", accepted}, {"stored", stored}});
}

std::string ErrorJson(const std::string& message) { return Dump({{"error", message}}); }

std::string SignedInJson(const std::string& name) { return Dump({{"signed_in", name}}); }

std::string HealthJson() { return Dump({{"ok", true}}); }

std::string ReasonsJson(const std::vector<Reason>& reasons) { return Dump(Reasons(reasons)); }

Status ReadReasonsJson(const std::string& text, std::vector<Reason>* reasons) {
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_array())
    return Status::Invalid("stored reasons are not a list");
  reasons->clear();
  for (const Json& item : json) {
    auto rule = item.find("rule");
    auto points = item.find("points");
    if (!item.is_object() || rule == item.end() || !rule->is_string() || points == item.end() ||
        !points->is_number()) {
      return Status::Invalid("a stored reason is not {\"rule\": string, \"points\": number}");
    }
    reasons->push_back({rule->get<std::string>(), points->get<double>()});
  }
  return Status::Ok();
}

}  // namespace mqlscore
