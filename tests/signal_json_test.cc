#include "collector/signal_json.h"

#include <catch2/catch.hpp>

using mqlscore::LeadJson;
using mqlscore::LeadsJson;
using mqlscore::Reason;
using mqlscore::StoredSignal;

namespace {

StoredSignal Stored() {
  StoredSignal s;
  s.id = "sig-1";
  s.site = "acme";
  s.visitor = "v\"1";
  s.from = "visitor";
  s.to = "mql";
  s.rules_hash = "0123456789abcdef";
  s.verdict = "verified";
  s.ts = 1767225600000;
  s.engagement = 60.5;
  s.fit = 20;
  s.score = 80.5;
  s.reasons = {{"demo", 40}, {"pricing", 20.5}};
  return s;
}

}  // namespace

TEST_CASE("A stored signal is written as the webhook and the leads API see it", "[signal_json]") {
  CHECK(mqlscore::SignalJson(Stored()) ==
        R"({"type":"stage_changed","id":"sig-1","site":"acme","visitor":"v\"1","ts":1767225600000,)"
        R"("from":"visitor","to":"mql","stage":"mql","engagement":60.5,"fit":20,"score":80.5,)"
        R"("reasons":[{"rule":"demo","points":40},{"rule":"pricing","points":20.5}],)"
        R"("rules_hash":"0123456789abcdef","verdict":"verified",)"
        R"("person":{"email":null,"name":null,"company":null,"title":null},"traits":{}})");
  CHECK(LeadsJson({}) == "[]");
  CHECK(LeadJson("v\"1", {Stored()}, {}).rfind(R"({"visitor":"v\"1","signals":[{"type":)", 0) == 0);
  CHECK(mqlscore::ImportAnswerJson(4, 1) == R"({"imported":4,"unmatched":1})");
  CHECK(mqlscore::ErrorJson("bad \xff") == "{\"error\":\"bad \xEF\xBF\xBD\"}");
  CHECK(mqlscore::BatchAnswerJson(3, 2) == R"({"accepted":3,"stored":2})");
  CHECK(mqlscore::HealthJson() == R"({"ok":true})");
  CHECK(mqlscore::SignedInJson("ann") == R"({"signed_in":"ann"})");
}

TEST_CASE("Who the lead is comes from its verified traits, and its status with the leads",
          "[signal_json]") {
  StoredSignal s = Stored();
  s.snapshot =
      R"({"format":"mqlscore-visitor","traits":{"email":" Ann@North.com ","first_name":"Ann",)"
      R"("last_name":"Lee","company":"Northwind","employees":850}})";
  s.status = "accepted";
  std::string json = mqlscore::SignalJson(s);
  CHECK(json.find(
            R"("person":{"email":" Ann@North.com ","name":"Ann Lee","company":"Northwind",)"
            R"("title":null},"traits":{"email":" Ann@North.com ","first_name":"Ann",)"
            R"("last_name":"Lee","company":"Northwind","employees":850},"status":"accepted"})") !=
        std::string::npos);
  mqlscore::SnapshotFacts facts = mqlscore::FactsOfSnapshot(
      R"({"session":{"utm":{"utm_source":"linkedin","utm_campaign":"q4"}},)" +
      s.snapshot.substr(1));
  CHECK(facts.email == "ann@north.com");
  CHECK(facts.name == "Ann Lee");
  CHECK(facts.company == "Northwind");
  CHECK(facts.title.empty());
  CHECK(facts.utm_source == "linkedin");
  CHECK(facts.utm_campaign == "q4");
  CHECK(mqlscore::FactsOfSnapshot("not json").email.empty());
  CHECK(mqlscore::StatusHistoryJson({{"v", "new", "", "mqlscore", 1767225600000}}) ==
        R"([{"status":"new","reason":"","by":"mqlscore","at":1767225600000}])");
}

TEST_CASE("A Slack alert says who, which company, the score and why, with a link to the lead",
          "[signal_json]") {
  StoredSignal s = Stored();
  s.snapshot = R"({"traits":{"name":"Ann <b>","company":"Northwind & Co"}})";
  CHECK(
      mqlscore::SlackMessageJson(s, "https://leads.example.com/dashboard/") ==
      R"({"text":"New mql: *Ann &lt;b&gt;* (Northwind &amp; Co), score 80.5: demo 40, pricing 20.5. )"
      R"(<https://leads.example.com/dashboard/#visitor=v%221|Open the lead>"})");
  s.snapshot.clear();  // no traits: the visitor id names the lead
  CHECK(mqlscore::SlackMessageJson(s, "/d/").rfind(R"({"text":"New mql: *v\"1*, score 80.5)", 0) == 0);
}

TEST_CASE("Reasons round-trip through the store's text, and bad text is an error",
          "[signal_json]") {
  std::vector<Reason> reasons;
  REQUIRE(mqlscore::ReadReasonsJson(mqlscore::ReasonsJson(Stored().reasons), &reasons).ok());
  REQUIRE(reasons.size() == 2);
  CHECK(reasons[1].rule == "pricing");
  CHECK(reasons[1].points == 20.5);
  CHECK(mqlscore::ReadReasonsJson("{", &reasons).message() == "stored reasons are not a list");
  CHECK(mqlscore::ReadReasonsJson(R"([{"rule":1}])", &reasons).message() ==
        "a stored reason is not {\"rule\": string, \"points\": number}");
}
