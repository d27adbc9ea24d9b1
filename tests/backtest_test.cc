#include "cli/backtest.h"

#include <catch2/catch.hpp>

#include "test_support.h"

namespace mqlscore {
namespace {

constexpr double kDay = 86400000;

// Stages sql at 30 and mql at 20; `pricing` 10 once a day, `demo` 20, fit `big`.
constexpr const char* kRules = R"({"version":1,"caps":{"engagement":30},
  "stages":[{"name":"sql","engagement":30},{"name":"mql","engagement":20},{"name":"visitor"}],
  "rules":[{"id":"pricing","on":"page_view","points":10,"limit":{"times":1,"per":"day"}},
           {"id":"demo","on":"form_submit","points":20},
           {"id":"big","kind":"fit","if":{"traits.employees":{"gte":100}},"points":10}]})";

VisitorRecord Recorded(const RuleSet& rules, const std::vector<std::string>& events) {
  StageRecorder recorder(&rules, "v");
  for (const std::string& text : events) recorder.Track(MakeEvent(text)->event());
  return recorder.Finish(recorder.visitor().state().last_ts);
}

}  // namespace

TEST_CASE("A recorder notes the highest stage, when each was first reached, and the peak",
          "[backtest]") {
  RuleSet rules = ValidRules(kRules);
  VisitorRecord r =
      Recorded(rules, {Ev("page_view", 0), Ev("page_view", 1000), Ev("form_submit", 2 * kDay),
                       Ev("identify", 3 * kDay, R"("traits":{"employees":500})")});
  CHECK(r.scored);
  CHECK(r.first_event_ts == 0);
  CHECK(r.highest_stage == 0);
  CHECK(*r.first_reached[0] == 2 * kDay);
  CHECK(*r.first_reached[1] == 2 * kDay);  // mql and sql in one step
  CHECK(r.peak_engagement == 30);
  CHECK(r.fired == std::vector<bool>{true, true, true});

  SECTION("a match whose limit is used up does not fire, a fit rule counts after the last event") {
    VisitorRecord limited =
        Recorded(rules, {Ev("page_view", 0), Ev("identify", 1000, R"("traits":{"employees":500})"),
                         Ev("identify", 2000, R"("traits":{"employees":5})")});
    CHECK(limited.fired == std::vector<bool>{true, false, false});
    CHECK(limited.highest_stage == 2);
    CHECK_FALSE(limited.first_reached[1].has_value());
  }
}

TEST_CASE("The figures follow backtest-v1 section 3, with null where a denominator is 0",
          "[backtest]") {
  RuleSet rules = ValidRules(kRules);
  VisitorRecord a = Recorded(rules, {Ev("page_view", 0), Ev("form_submit", kDay)});      // sql
  VisitorRecord b = Recorded(rules, {Ev("page_view", 0)});                               // visitor
  VisitorRecord c = Recorded(rules, {Ev("form_submit", 0), Ev("page_view", 3 * kDay)});  // sql
  VisitorRecord unscored;  // its cutoff fell before its first event
  unscored.highest_stage = rules.stages().size();
  unscored.first_reached.resize(3);
  unscored.fired.assign(3, false);
  a.positive = true;
  unscored.positive = true;

  BacktestFigures f = Backtest(rules, {a, b, c, unscored}, 1, DefaultThresholds(rules));
  CHECK(f.visitors == 4);
  CHECK(f.positives == 2);
  CHECK(*f.base_rate == 0.5);
  CHECK(f.unmatched_outcomes == 1);
  REQUIRE(f.stages.size() == 2);
  CHECK(f.stages[0].stage == "sql");
  CHECK(f.stages[0].reached == 2);
  CHECK(*f.stages[0].precision == 0.5);
  CHECK(*f.stages[0].recall == 0.5);
  CHECK(*f.stages[0].lift == 1);
  CHECK(*f.stages[0].median_days_to_stage == 2);  // the mean of 1 and 3 days
  CHECK(f.stages[1].reached == 2);                // a and c
  REQUIRE(f.rules.size() == 3);
  CHECK(f.rules[0].fired_positive == 1);
  CHECK(f.rules[0].fired_negative == 2);
  CHECK(*f.rules[0].lift == 0.5);  // (1/2) / (2/2)
  CHECK(f.rules[2].kind == "fit");
  CHECK_FALSE(f.rules[2].lift.has_value());  // fired for nobody
  CHECK(DefaultThresholds(rules) == std::vector<double>{10, 20, 30});
  REQUIRE(f.thresholds.size() == 3);
  CHECK(f.thresholds[2].reached == 2);
  CHECK(*f.thresholds[2].precision == 0.5);

  SECTION("no visitors: every ratio is null") {
    BacktestFigures empty = Backtest(rules, {}, 0, {10});
    CHECK_FALSE(empty.base_rate.has_value());
    CHECK_FALSE(empty.stages[0].precision.has_value());
    CHECK_FALSE(empty.stages[0].median_days_to_stage.has_value());
    CHECK_FALSE(empty.thresholds[0].recall.has_value());
    CHECK(
        ToJsonText(BacktestValue(empty)) ==
        R"({"visitors":0,"positives":0,"base_rate":null,"unmatched_outcomes":0,"stages":[)"
        R"({"stage":"sql","reached":0,"positives":0,"precision":null,"recall":null,"lift":null,)"
        R"("median_days_to_stage":null},{"stage":"mql","reached":0,"positives":0,"precision":null,)"
        R"("recall":null,"lift":null,"median_days_to_stage":null}],"rules":[{"rule":"pricing",)"
        R"("kind":"engagement","fired_positive":0,"fired_negative":0,"lift":null},{"rule":"demo",)"
        R"("kind":"engagement","fired_positive":0,"fired_negative":0,"lift":null},{"rule":"big",)"
        R"("kind":"fit","fired_positive":0,"fired_negative":0,"lift":null}],"thresholds":[)"
        R"({"engagement":10,"reached":0,"positives":0,"precision":null,"recall":null}]})");
  }
}

TEST_CASE("Without an engagement cap the thresholds go to 200", "[backtest]") {
  RuleSet rules = ValidRules(R"({"version":1,"stages":[{"name":"visitor"}],"rules":[]})");
  std::vector<double> thresholds = DefaultThresholds(rules);
  CHECK(thresholds.size() == 20);
  CHECK(thresholds.back() == 200);
}

}  // namespace mqlscore
