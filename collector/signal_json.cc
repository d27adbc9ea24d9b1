#include "collector/signal_json.h"

#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/strings.h"

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

// The traits of a visitor snapshot (docs/snapshot.md), or null.
Json TraitsOf(const std::string& snapshot) {
  if (snapshot.empty()) return nullptr;
  Json parsed = Json::parse(snapshot, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("traits") || !parsed["traits"].is_object()) {
    return nullptr;
  }
  return parsed["traits"];
}

// Who the lead is, from its verified traits: what a CRM matches a contact by.
Json PersonOf(const Json& traits) {
  auto text = [&](const char* key) -> Json {
    return traits.is_object() && traits.contains(key) && traits[key].is_string() ? traits[key]
                                                                                 : Json(nullptr);
  };
  Json name = text("name");
  if (name.is_null() && text("first_name").is_string()) {
    name = text("first_name").get<std::string>() +
           (text("last_name").is_string() ? " " + text("last_name").get<std::string>() : "");
  }
  return {{"email", text("email")},
          {"name", name},
          {"company", text("company")},
          {"title", text("title")}};
}

Json SignalObject(const StoredSignal& s) {
  Json traits = TraitsOf(s.snapshot);
  Json object = {{"type", "stage_changed"},
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
                 {"verdict", s.verdict},
                 {"person", PersonOf(traits)},
                 {"traits", traits.is_null() ? Json::object() : traits}};
  if (!s.status.empty()) object["status"] = s.status;
  if (!s.lead.visitors.empty()) {
    object["account"] = s.lead.account;
    object["visitors"] = s.lead.visitors;
    object["first_seen"] = Number(s.lead.first_seen);
    object["qualified_at"] = s.lead.qualified_at > 0 ? Number(s.lead.qualified_at) : Json(nullptr);
    object["brought_by"] = s.lead.brought_by;
    object["utm_source"] = s.lead.utm_source;
    object["utm_campaign"] = s.lead.utm_campaign;
  }
  return object;
}

Json AccountObject(const Account& a) {
  return {{"account", a.key},
          {"name", a.name},
          {"stage", a.stage},
          {"best_stage", a.best_stage},
          {"people", a.people},
          {"visitors", a.visitors},
          {"engagement", Number(RoundReported(a.engagement))},
          {"best_fit", Number(a.best_fit)},
          {"last_activity", Number(a.last_activity)}};
}

Json Signals(const std::vector<StoredSignal>& signals) {
  Json out = Json::array();
  for (const StoredSignal& s : signals) out.push_back(SignalObject(s));
  return out;
}

// The e-mail in a visitor snapshot's traits, trimmed and lower-cased; "" when it has none.
std::string EmailOfSnapshot(const std::string& snapshot) {
  Json traits = TraitsOf(snapshot);
  if (!traits.is_object() || !traits.contains("email") || !traits["email"].is_string()) return "";
  std::string email = traits["email"].get<std::string>();
  std::size_t first = email.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  email = email.substr(first, email.find_last_not_of(" \t") - first + 1);
  return AsciiLower(email);
}

}  // namespace

std::string SignalJson(const StoredSignal& signal) { return Dump(SignalObject(signal)); }

std::string LeadsJson(const std::vector<StoredSignal>& leads) { return Dump(Signals(leads)); }

Json History(const std::vector<StatusChange>& history) {
  Json out = Json::array();
  for (const StatusChange& c : history) {
    out.push_back({{"status", c.status}, {"reason", c.reason}, {"by", c.by}, {"at", Number(c.at)}});
  }
  return out;
}

std::string LeadJson(const std::string& visitor, const std::vector<StoredSignal>& signals,
                     const std::vector<StatusChange>& history) {
  Json lead = {{"visitor", visitor}, {"signals", Signals(signals)}};
  lead["status"] = history.empty() ? Json(nullptr) : Json(history.back().status);
  lead["status_history"] = History(history);
  return Dump(lead);
}

std::string StatusHistoryJson(const std::vector<StatusChange>& history) {
  return Dump(History(history));
}

std::string TimelineJson(const std::string& visitor, const Timeline& timeline) {
  Json events = Json::array();
  for (const TimelineEvent& e : timeline.events) {
    Json awards = Json::array();
    for (const Step::Award& award : e.awards) {
      awards.push_back(
          {{"rule", award.rule}, {"points", Number(award.points)}, {"limited", award.limited}});
    }
    events.push_back({{"ts", Number(e.ts)},
                      {"type", e.type},
                      {"label", e.label},
                      {"awards", awards},
                      {"engagement", Number(RoundReported(e.engagement))},
                      {"fit", Number(RoundReported(e.fit))},
                      {"stage", e.stage}});
  }
  Json curve = Json::array();
  for (const TimelinePoint& p : timeline.curve) {
    curve.push_back({{"ts", Number(p.ts)},
                     {"engagement", Number(RoundReported(p.engagement))},
                     {"fit", Number(RoundReported(p.fit))}});
  }
  return Dump({{"visitor", visitor},
               {"complete", timeline.complete},
               {"events", events},
               {"curve", curve}});
}

std::string AccountsJson(const std::vector<Account>& accounts) {
  Json out = Json::array();
  for (const Account& a : accounts) out.push_back(AccountObject(a));
  return Dump(out);
}

std::string AccountJson(const Account& account, const std::vector<StoredSignal>& members,
                        const std::vector<StoredSignal>& signals) {
  Json people = Json::array();
  for (const StoredSignal& m : members) people.push_back(SignalObject(m));
  Json all = Json::array();
  for (const StoredSignal& s : signals) all.push_back(SignalObject(s));
  return Dump({{"account", AccountObject(account)}, {"members", people}, {"signals", all}});
}

std::string FunnelJson(const Funnel& funnel) {
  Json steps = Json::array();
  for (std::size_t i = 0; i < kFunnelSteps.size(); ++i) {
    Json rate = i > 0 && funnel.reached[i - 1] > 0
                    ? Json(RoundReported(static_cast<double>(funnel.reached[i]) /
                                         static_cast<double>(funnel.reached[i - 1])))
                    : Json(nullptr);
    Json median =
        funnel.median_days[i] >= 0 ? Json(RoundReported(funnel.median_days[i])) : Json(nullptr);
    steps.push_back({{"step", kFunnelSteps[i]},
                     {"reached", funnel.reached[i]},
                     {"rate", rate},
                     {"median_days", median}});
  }
  Json weeks = Json::array();
  for (const Funnel::Week& week : funnel.weeks) {
    Json reached = Json::object();
    for (std::size_t i = 0; i < kFunnelSteps.size(); ++i)
      reached[kFunnelSteps[i]] = week.reached[i];
    weeks.push_back({{"starts", week.starts}, {"reached", reached}});
  }
  return Dump({{"steps", steps}, {"weeks", weeks}});
}

std::string CampaignsJson(const std::vector<CampaignRow>& rows) {
  Json out = Json::array();
  for (const CampaignRow& row : rows) {
    out.push_back({{"by", row.by},
                   {"key", row.key},
                   {"mqls", row.mqls},
                   {"sqls", row.sqls},
                   {"sql_rate",
                    RoundReported(static_cast<double>(row.sqls) / static_cast<double>(row.mqls))}});
  }
  return Dump(out);
}

SnapshotFacts FactsOfSnapshot(const std::string& snapshot) {
  SnapshotFacts facts;
  if (snapshot.empty()) return facts;
  Json parsed = Json::parse(snapshot, nullptr, false);
  if (!parsed.is_object()) return facts;
  Json person = PersonOf(parsed.contains("traits") ? parsed["traits"] : Json(nullptr));
  auto text = [](const Json& object, const char* key) {
    return object.is_object() && object.contains(key) && object[key].is_string()
               ? object[key].get<std::string>()
               : std::string();
  };
  facts.email = EmailOfSnapshot(snapshot);
  facts.name = text(person, "name");
  facts.company = text(person, "company");
  facts.title = text(person, "title");
  Json session = parsed.contains("session") ? parsed["session"] : Json(nullptr);
  Json utm = session.is_object() && session.contains("utm") ? session["utm"] : Json(nullptr);
  facts.utm_source = text(utm, "utm_source");
  facts.utm_campaign = text(utm, "utm_campaign");
  return facts;
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

std::string SlackMessageJson(const StoredSignal& s, const std::string& dashboard) {
  Json person = PersonOf(TraitsOf(s.snapshot));
  auto text = [&](const char* key) {
    return person[key].is_string() ? person[key].get<std::string>() : std::string();
  };
  std::string who = !text("name").empty()    ? text("name")
                    : !text("email").empty() ? text("email")
                                             : s.visitor;
  // Slack reads <, > and & as its markup: they are escaped in what the visitor typed.
  auto escaped = [](const std::string& raw) {
    std::string out;
    for (char c : raw)
      out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c);
    return out;
  };
  std::string message = "New " + s.to + ": *" + escaped(who) + "*";
  if (!text("company").empty()) message += " (" + escaped(text("company")) + ")";
  message += ", score " + Number(s.score).dump();
  std::string reasons;
  for (std::size_t i = 0; i < s.reasons.size() && i < 3; ++i) {
    reasons +=
        (i ? ", " : "") + escaped(s.reasons[i].rule) + " " + Number(s.reasons[i].points).dump();
  }
  if (!reasons.empty()) message += ": " + reasons;
  std::string link = dashboard + "#visitor=";
  for (unsigned char c : s.visitor) {  // percent-encoded: a visitor id may hold any character
    static const char kHex[] = "0123456789ABCDEF";
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      link += static_cast<char>(c);
    } else {
      link += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
  message += ". <" + escaped(link) + "|Open the lead>";
  return Dump({{"text", message}});
}

std::string ImportAnswerJson(std::size_t imported, std::size_t unmatched) {
  return Dump({{"imported", imported}, {"unmatched", unmatched}});
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
