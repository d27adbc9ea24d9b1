#include "core/visitor.h"

#include <cmath>
#include <cstring>
#include <random>

#include "test_support.h"

using namespace mqlscore;

namespace {

constexpr double kMinute = 60 * 1000.0;
constexpr double kHour = 60 * kMinute;
constexpr double kDay = 24 * kHour;
constexpr double kT0 = 1767348000000.0;  // 2026-01-02T10:00:00Z

// A file with the given rules and stages "hot" (engagement >= 50) and "cold".
std::string File(const std::string& rules, const std::string& more = "") {
  return R"({"version":1,"stages":[{"name":"hot","engagement":50},{"name":"cold"}],"rules":[)" +
         rules + "]" + (more.empty() ? "" : "," + more) + "}";
}

double Engagement(const Visitor& v) { return v.ScoresAt(v.state().last_ts).engagement; }

}  // namespace

TEST_CASE("The first event opens session 1 after a synthetic session_start", "[visitor]") {
  auto rules = ValidRules(File(
      R"({"id":"start","on":"session_start","if":{"session.events":0,"path":"/a"},"points":1},)"
      R"({"id":"view","on":"page_view","if":{"session.events":1,"session.number":1},"points":10})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0, R"("url":"https://x.com/a")")});
  CHECK(Engagement(v) == 11);
  CHECK(v.state().session_number == 1);
  CHECK(v.state().session_events == 1);
}

TEST_CASE("A gap of strictly more than the timeout starts a new session", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"s","on":"session_start","points":1})", R"("session_timeout_minutes":30)"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + 30 * kMinute),
          Ev("page_view", kT0 + 60 * kMinute + 1)});
  CHECK(v.state().session_number == 2);
  CHECK(Engagement(v) == 2);
}

TEST_CASE("Time never runs backwards", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"p","on":"page_view","points":10,"limit":{"times":1,"per":"day"}},)"
           R"({"id":"late","on":"page_view","if":{"ts":{"gte":1767351600000}},"points":1})"));
  Visitor v(&rules, "v");
  // The second event claims to be a day earlier: it is scored at the latest time, so it neither
  // opens a session nor escapes the daily limit.
  Run(v, {Ev("page_view", kT0 + kHour), Ev("page_view", kT0 - kDay)});
  CHECK(v.state().session_number == 1);
  CHECK(v.state().last_ts == kT0 + kHour);
  CHECK(Engagement(v) == 12);
}

TEST_CASE("Every matching rule fires, in file order, each clamped at 0", "[visitor]") {
  SECTION("negative first") {
    auto rules = ValidRules(File(R"({"id":"careers","on":"page_view","points":-10},)"
                                 R"({"id":"any","on":"page_view","points":20})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0)});
    CHECK(Engagement(v) == 20);
  }
  SECTION("positive first") {
    auto rules = ValidRules(File(R"({"id":"any","on":"page_view","points":20},)"
                                 R"({"id":"careers","on":"page_view","points":-10})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0)});
    CHECK(Engagement(v) == 10);
  }
}

TEST_CASE("Engagement is clamped at the cap while reasons keep the unclamped sums", "[visitor]") {
  auto rules =
      ValidRules(File(R"({"id":"p","on":"page_view","points":30})", R"("caps":{"engagement":50})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + 1), Ev("page_view", kT0 + 2)});
  CHECK(Engagement(v) == 50);
  auto reasons = v.ReasonsAt(kT0 + 2);
  REQUIRE(reasons.size() == 1);
  CHECK(reasons[0].points == 90);
}

TEST_CASE("Limits count awards in rolling windows", "[visitor]") {
  SECTION("an award exactly one day ago is outside the window") {
    auto rules = ValidRules(
        File(R"({"id":"p","on":"page_view","points":1,"limit":{"times":1,"per":"day"}})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + kDay - 1)});
    CHECK(Engagement(v) == 1);
    Run(v, {Ev("page_view", kT0 + kDay)});
    CHECK(Engagement(v) == 2);
  }
  SECTION("week windows and several times") {
    auto rules = ValidRules(
        File(R"({"id":"p","on":"page_view","points":1,"limit":{"times":2,"per":"week"}})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + kDay), Ev("page_view", kT0 + 2 * kDay),
            Ev("page_view", kT0 + 7 * kDay)});
    CHECK(Engagement(v) == 3);
  }
  SECTION("per session resets with each session") {
    auto rules = ValidRules(
        File(R"({"id":"p","on":"page_view","points":1,"limit":{"times":2,"per":"session"}})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + 1), Ev("page_view", kT0 + 2),
            Ev("page_view", kT0 + kHour), Ev("page_view", kT0 + kHour + 1),
            Ev("page_view", kT0 + kHour + 2)});
    CHECK(Engagement(v) == 4);
  }
  SECTION("ever") {
    auto rules = ValidRules(
        File(R"({"id":"p","on":"page_view","points":1,"limit":{"times":1,"per":"ever"}})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0), Ev("page_view", kT0 + 100 * kDay)});
    CHECK(Engagement(v) == 1);
  }
  SECTION("an award swallowed by the cap still counts") {
    auto rules = ValidRules(
        File(R"({"id":"big","on":"page_view","points":100},)"
             R"({"id":"p","on":"page_view","points":5,"limit":{"times":1,"per":"ever"}},)"
             R"({"id":"neg","on":"cta_click","points":-50})",
             R"("caps":{"engagement":100})"));
    Visitor v(&rules, "v");
    Run(v, {Ev("page_view", kT0), Ev("cta_click", kT0 + 1), Ev("page_view", kT0 + 2)});
    CHECK(Engagement(v) == 100);  // 100, +5 swallowed; -50; +100 (p is used up) -> 100
    CHECK(v.state().FindRule(1)->ever_awards == 1);
  }
}

TEST_CASE("Engagement decays by its half-life", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"p","on":"page_view","points":80})", R"("decay":{"half_life_days":10})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0)});
  CHECK(v.ScoresAt(kT0 + 10 * kDay).engagement == 40);
  CHECK(v.ScoresAt(kT0 + 20 * kDay).engagement == 20);
  SECTION("decay applies before the next award") {
    Run(v, {Ev("page_view", kT0 + 10 * kDay)});
    CHECK(Engagement(v) == 120);
    CHECK(v.ReasonsAt(kT0 + 20 * kDay)[0].points == 60);
  }
  SECTION("a non-sticky stage is lost when the score decays at reporting time") {
    std::vector<Signal> signals;
    v.ReportAt(kT0 + 10 * kDay, &signals);
    REQUIRE(signals.size() == 1);
    CHECK(signals[0].from == "hot");
    CHECK(signals[0].to == "cold");
    CHECK(signals[0].ts == kT0 + 10 * kDay);
    CHECK(signals[0].engagement == 40);
  }
}

TEST_CASE("Sticky stages are kept after the score falls", "[visitor]") {
  auto rules = ValidRules(
      R"({"version":1,"decay":{"half_life_days":1},"rules":[{"id":"p","on":"page_view","points":60}],
          "stages":[{"name":"sql","engagement":100},{"name":"mql","engagement":50,"sticky":true},
                    {"name":"engaged","engagement":10},{"name":"visitor"}]})");
  Visitor v(&rules, "v");
  auto signals = Run(v, {Ev("page_view", kT0)});
  REQUIRE(signals.size() == 1);
  CHECK(signals[0].to == "mql");
  v.ReportAt(kT0 + 30 * kDay, &signals);
  CHECK(signals.size() == 1);
  CHECK(v.stage() == "mql");
  signals = Run(v, {Ev("page_view", kT0 + 30 * kDay), Ev("page_view", kT0 + 30 * kDay + 1)});
  REQUIRE(signals.size() == 1);
  CHECK(signals[0].from == "mql");
  CHECK(signals[0].to == "sql");
}

TEST_CASE("Signals carry rounded scores and sorted reasons", "[visitor]") {
  auto rules = ValidRules(
      R"({"version":1,"rules":[
            {"id":"b","on":"page_view","points":20.1234564},
            {"id":"a","on":"page_view","points":20.1234564},
            {"id":"zero","on":"page_view","points":0.0000001},
            {"id":"big","on":"cta_click","points":30},
            {"id":"fit","kind":"fit","points":5}],
          "stages":[{"name":"mql","score":70},{"name":"visitor"}]})");
  Visitor v(&rules, "visitor-1");
  auto signals = Run(v, {Ev("page_view", kT0), Ev("cta_click", kT0 + 5)});
  REQUIRE(signals.size() == 1);
  const Signal& s = signals[0];
  CHECK(s.visitor == "visitor-1");
  CHECK(s.ts == kT0 + 5);
  CHECK(s.from == "visitor");
  CHECK(s.to == "mql");
  CHECK(s.engagement == 70.246913);
  CHECK(s.fit == 5);
  CHECK(s.score == 75.246913);
  REQUIRE(s.reasons.size() == 4);
  CHECK(s.reasons[0].rule == "big");
  CHECK(s.reasons[1].rule == "a");
  CHECK(s.reasons[1].points == 20.123456);
  CHECK(s.reasons[2].rule == "b");
  CHECK(s.reasons[3].rule == "fit");
}

TEST_CASE("Reported numbers are rounded half away from zero to 6 decimals", "[visitor]") {
  CHECK(RoundReported(1.0 / 3) == 0.333333);
  CHECK(RoundReported(2.0 / 3) == 0.666667);
  CHECK(RoundReported(-2.0 / 3) == -0.666667);
  CHECK(RoundReported(0.5e-6 + 1e-12) == 1e-6);
  CHECK(RoundReported(-0.5e-6 - 1e-12) == -1e-6);
  CHECK(RoundReported(20.123456) == 20.123456);
  CHECK(RoundReported(1e300) == 1e300);
  CHECK_FALSE(std::signbit(RoundReported(-0.0)));  // -0 is reported as 0
  CHECK_FALSE(std::signbit(RoundReported(-1e-9)));
  CHECK(std::isnan(RoundReported(std::nan(""))));
}

TEST_CASE("Fit comes from traits, is recomputed on identify and never accumulates", "[visitor]") {
  auto rules = ValidRules(
      R"({"version":1,"caps":{"fit":40},"rules":[
            {"id":"anyone","kind":"fit","points":1},
            {"id":"big","kind":"fit","if":{"traits.employees":{"gte":200}},"points":30},
            {"id":"saas","kind":"fit","if":{"traits.industry":"software"},"points":20},
            {"id":"not-event","kind":"fit","if":{"type":"identify"},"points":100},
            {"id":"hello","on":"identify","if":{"traits.employees":{"gte":200}},"points":7}],
          "stages":[{"name":"icp","fit":30},{"name":"visitor"}]})");
  Visitor v(&rules, "v");
  auto signals = Run(v, {Ev("page_view", kT0)});
  CHECK(v.ScoresAt(kT0).fit == 1);
  signals = Run(v, {Ev("identify", kT0 + 1, R"("traits":{"employees":500})")});
  CHECK(v.ScoresAt(kT0).fit == 31);
  CHECK(Engagement(v) == 7);  // the identify's engagement rule saw the new traits
  REQUIRE(signals.size() == 1);
  CHECK(signals[0].to == "icp");
  Run(v, {Ev("identify", kT0 + 2, R"("traits":{"employees":600,"industry":"software"})")});
  CHECK(v.ScoresAt(kT0).fit == 40);  // 51 capped, not 31 + 51
  Run(v, {Ev("identify", kT0 + 3, R"("traits":{"employees":null})")});
  CHECK(v.ScoresAt(kT0).fit == 21);
  CHECK(v.state().traits.Find("employees") == nullptr);
  CHECK(v.state().traits.Find("industry")->string_value() == "software");
}

TEST_CASE("identify merges traits: later values win and move last, null erases", "[visitor]") {
  auto rules = ValidRules(File(R"({"id":"p","on":"page_view","points":1})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("identify", kT0, R"("traits":{"a":1,"b":2,"c":3})")});
  Run(v, {Ev("identify", kT0 + 1, R"("traits":{"a":10,"b":null,"d":4,"d":5,"c":null,"c":6})")});
  CHECK(mqlscore::ToJsonText(v.state().traits) == R"({"a":10,"d":5,"c":6})");

  SECTION("tens of thousands of traits at once") {
    std::string many;
    for (int i = 0; i < 20000; ++i)
      many += "\"t" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    Run(v, {Ev("identify", kT0 + 2, R"("traits":{)" + many + R"("a":null})")});
    CHECK(v.state().traits.object_members().size() == 20002);
    CHECK(v.state().traits.Find("a") == nullptr);
    CHECK(v.state().traits.Find("t19999")->number_value() == 19999);
  }
}

TEST_CASE("Derived fields: host, path, query, referrer, props", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"host","on":"page_view","if":{"host":"www.acme.com"},"points":1},)"
           R"({"id":"path","on":"page_view","if":{"path":"/Pricing"},"points":2},)"
           R"({"id":"query","on":"page_view","if":{"query.plan":"pro team"},"points":4},)"
           R"({"id":"ref","on":"page_view","if":{"referrer_host":"google.com"},"points":8},)"
           R"({"id":"props","on":"page_view","if":{"props.plan.tier":"gold"},"points":16},)"
           R"({"id":"type","on":"page_view","if":{"type":"page_view"},"points":32})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0,
             R"("url":"https://WWW.ACME.com:443/Pricing?plan=pro+team&plan=x#f",)"
             R"("referrer":"https://Google.com/search?q=a","props":{"plan":{"tier":"gold"}})")});
  CHECK(Engagement(v) == 63);
}

TEST_CASE("Campaign parameters stick to their session", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"email","on":"page_view","if":{"utm.source":"newsletter"},"points":10},)"
           R"({"id":"ads","on":"page_view","if":{"utm.medium":"cpc"},"points":1})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0, R"("url":"https://x.com/?utm_source=newsletter")"),
          Ev("page_view", kT0 + 1, R"("url":"https://x.com/pricing")"),
          Ev("page_view", kT0 + 2, R"("url":"https://x.com/?utm_medium=cpc")"),
          Ev("page_view", kT0 + 3, R"("url":"https://x.com/demo")")});
  // 10 (landing) + 10 (sticky) + 1 (own utm, no source) + 10 (sticky: the first utm event's)
  CHECK(Engagement(v) == 31);
  Run(v, {Ev("page_view", kT0 + kDay, R"("url":"https://x.com/pricing")")});
  CHECK(Engagement(v) == 31);  // a new session forgets the campaign
}

TEST_CASE("A rule on a field the contract does not define never matches", "[visitor]") {
  auto rules = ValidRules(
      File(R"({"id":"a","on":"page_view","if":{"colour":"red"},"points":1},)"
           R"({"id":"b","on":"page_view","if":{"colour":{"exists":false}},"points":2})"));
  Visitor v(&rules, "v");
  Run(v, {Ev("page_view", kT0, R"("colour":"red")")});
  CHECK(Engagement(v) == 2);
}

TEST_CASE("Events that break the contract are refused with a reason", "[visitor]") {
  auto refuse = [](const std::string& json) {
    OwnedEvent event;
    Status parsed = event.Parse(json);
    CHECK_FALSE(parsed.ok());
    return parsed.message();
  };
  CHECK(refuse(R"({"ts":1})") == "type is required");
  CHECK(refuse(R"({"type":"","ts":1})") == "type must be a non-empty string");
  CHECK(refuse(R"({"type":"page_view"})") == "ts is required");
  CHECK(refuse(R"({"type":"page_view","ts":true})") ==
        "ts must be milliseconds since the epoch (a number) or an RFC 3339 string");
  CHECK(refuse(R"({"type":"page_view","ts":{"a":1}})") ==
        "ts must be milliseconds since the epoch (a number) or an RFC 3339 string");
  CHECK(refuse(R"({"type":"session_start","ts":1})") ==
        "session_start events are made by the scorer and cannot be sent");
  CHECK(refuse(R"({"type":"identify","ts":1,"traits":[1]})") ==
        "identify needs traits as an object");
  CHECK(refuse(R"([1])") == "an event must be a JSON object");
  CHECK(refuse(R"({"type":"page_view","ts":"soon"})") ==
        "ts \"soon\" is not an RFC 3339 time such as 2026-01-02T10:00:00Z");
  CHECK(refuse("{\"type\":").rfind("parse error at line 1, column 9", 0) == 0);
}
