#include "test_support.h"

using namespace mqlscore;

namespace {

constexpr double kT0 = 1767348000000.0;
constexpr double kDay = 86400000.0;

const char* kRules = R"({"version":1,"decay":{"half_life_days":7},"session_timeout_minutes":30,
  "caps":{"engagement":200},
  "stages":[{"name":"sql","score":150,"sticky":true},{"name":"mql","score":60},{"name":"visitor"}],
  "rules":[
    {"id":"pricing","on":"page_view","if":{"path":{"glob":"/pricing*"}},"points":15,
     "limit":{"times":2,"per":"day"}},
    {"id":"campaign","on":"page_view","if":{"utm.campaign":"spring"},"points":5,
     "limit":{"times":1,"per":"session"}},
    {"id":"return","on":"session_start","if":{"session.number":{"gte":2}},"points":10},
    {"id":"demo","on":"cta_click","if":{"cta":"demo"},"points":40,"limit":{"times":1,"per":"week"}},
    {"id":"size","kind":"fit","if":{"traits.employees":{"gte":100}},"points":30}]})";

std::vector<std::string> Events() {
  std::vector<std::string> events;
  for (int i = 0; i < 40; ++i) {
    double ts = kT0 + i * 0.3 * kDay;
    events.push_back(Ev("page_view", ts, R"("url":"https://a.com/pricing?utm_campaign=spring")"));
    events.push_back(Ev("page_view", ts + 60000, R"("url":"https://a.com/blog")"));
    if (i % 7 == 3) events.push_back(Ev("cta_click", ts + 120000, R"("cta":"demo")"));
    if (i == 10) events.push_back(Ev("identify", ts + 1, R"("traits":{"employees":250})"));
  }
  return events;
}

}  // namespace

TEST_CASE("Restoring a snapshot mid-stream gives exactly the unbroken run", "[snapshot]") {
  RuleSet rules = ValidRules(kRules);
  auto events = Events();
  Visitor unbroken(&rules, "v1");
  auto expected = Run(unbroken, events);
  REQUIRE(expected.size() >= 2);
  for (std::size_t cut :
       {std::size_t(0), std::size_t(1), std::size_t(17), events.size() / 2, events.size() - 1}) {
    DYNAMIC_SECTION("cut after " << cut << " events") {
      Visitor first(&rules, "v1");
      auto signals = Run(first, {events.begin(), events.begin() + cut});
      std::string snapshot = ToJsonText(first.Snapshot());
      Visitor restored(&rules, "other");
      REQUIRE(Visitor::FromSnapshotText(&rules, snapshot, &restored).ok());
      CHECK(restored.state() == first.state());
      auto rest = Run(restored, {events.begin() + cut, events.end()});
      signals.insert(signals.end(), rest.begin(), rest.end());
      CHECK(restored.state() == unbroken.state());
      REQUIRE(signals.size() == expected.size());
      for (std::size_t i = 0; i < signals.size(); ++i) {
        CHECK(ToJsonText(SignalValue(signals[i])) == ToJsonText(SignalValue(expected[i])));
      }
    }
  }
}

TEST_CASE("A snapshot made with other rules keeps what still applies", "[snapshot]") {
  RuleSet rules = ValidRules(kRules);
  Visitor v(&rules, "v1");
  Run(v, {Ev("page_view", kT0, R"("url":"https://a.com/pricing")"),
          Ev("identify", kT0 + 1, R"("traits":{"employees":250})")});
  RuleSet other = ValidRules(R"({"version":1,"stages":[{"name":"visitor"}],"rules":[
      {"id":"pricing","on":"page_view","points":1},
      {"id":"small","kind":"fit","if":{"traits.employees":{"lt":1000}},"points":3}]})");
  Visitor restored(&other, "x");
  REQUIRE(Visitor::FromSnapshotText(&other, ToJsonText(v.Snapshot()), &restored).ok());
  REQUIRE(restored.state().FindRule(0) != nullptr);
  CHECK(restored.state().FindRule(0)->sum == 15);
  CHECK(restored.ScoresAt(kT0 + 1).fit == 3);
  CHECK(restored.stage() == "visitor");
}

TEST_CASE("Corrupted snapshots are refused with a reason", "[snapshot]") {
  RuleSet rules = ValidRules(kRules);
  Visitor v(&rules, "v");
  std::string error = Visitor::FromSnapshotText(&rules, "{not json", &v).message();
  CHECK(error.rfind("not a valid visitor snapshot: parse error at line 1", 0) == 0);
  error = Visitor::FromSnapshotText(&rules, R"({"format":"other"})", &v).message();
  CHECK(error == "not a valid visitor snapshot: format must be \"mqlscore-visitor\"");
  Visitor good(&rules, "v");
  Run(good, {Ev("page_view", kT0, R"("url":"https://a.com/pricing")")});
  std::string text = ToJsonText(good.Snapshot());
  std::string broken = text;
  broken.replace(broken.find("\"last_ts\":"), 10, "\"last_ts\":\"x\",\"y\":");
  error = Visitor::FromSnapshotText(&rules, broken, &v).message();
  CHECK(error == "not a valid visitor snapshot: last_ts is missing or has the wrong type");
  std::string negative = text;
  negative.replace(negative.find("\"ever\":1"), 8, "\"ever\":-1");
  error = Visitor::FromSnapshotText(&rules, negative, &v).message();
  CHECK(error == "not a valid visitor snapshot: ever must be a whole number");
}

TEST_CASE("A visitor with no events yet round-trips", "[snapshot]") {
  RuleSet rules = ValidRules(kRules);
  Visitor fresh(&rules, "new");
  Visitor restored(&rules, "x");
  REQUIRE(Visitor::FromSnapshotText(&rules, ToJsonText(fresh.Snapshot()), &restored).ok());
  CHECK(restored.state() == fresh.state());
}

TEST_CASE("A snapshot is compact JSON with its members in the documented order", "[snapshot]") {
  RuleSet rules = ValidRules(kRules);
  Visitor visitor(&rules, "v\"1");
  Run(visitor, Events());
  std::string text = ToJsonText(visitor.Snapshot());
  Value parsed;
  REQUIRE(ReadJson(text, kMaxValueDepth + 2, &parsed).ok());
  CHECK(ToJsonText(parsed) == text);
  std::vector<std::string> keys;
  for (const Value::Member& member : parsed.object_members()) keys.push_back(member.first);
  CHECK(keys == std::vector<std::string>{"format", "version", "rules_hash", "visitor", "started",
                                         "last_ts", "session", "traits", "engagement",
                                         "engagement_ts", "stage", "sticky_stage", "rules"});
  CHECK(ToJsonText(*parsed.Find("session")) ==
        R"({"number":40,"events":2,"utm":{"utm_campaign":"spring"}})");
  CHECK(ToJsonText(*parsed.Find("traits")) == R"({"employees":250})");
  const Value& pricing = *parsed.Find("rules")->Find("pricing");
  keys.clear();
  for (const Value::Member& member : pricing.object_members()) keys.push_back(member.first);
  CHECK(keys ==
        std::vector<std::string>{"sum", "sum_ts", "ever", "session", "session_awards", "recent"});
  CHECK(pricing.Find("recent")->array_items().size() >= 1);
}
