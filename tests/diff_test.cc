#include "cli/diff.h"

#include <catch2/catch.hpp>

#include "test_support.h"

namespace mqlscore {
namespace {

constexpr const char* kStages = R"("stages":[{"name":"mql","engagement":20},{"name":"visitor"}])";

RuleSet PricingRules(int points, const std::string& extra_stage = "") {
  return ValidRules(
      std::string(R"({"version":1,)") +
      (extra_stage.empty()
           ? kStages
           : R"("stages":[{"name":")" + extra_stage +
                 R"(","engagement":40},{"name":"mql","engagement":20},{"name":"visitor"}])") +
      R"(,"rules":[{"id":"pricing","on":"page_view","points":)" + std::to_string(points) + "}]}");
}

FinalStage Final(const RuleSet& rules, const std::vector<std::string>& events) {
  Visitor visitor(&rules, "v");
  std::vector<Signal> signals = Run(visitor, events);
  return FinalStageOf(&visitor, &signals, visitor.state().last_ts);
}

}  // namespace

TEST_CASE("A visitor whose final stage or its time differs is listed with the reasons that differ",
          "[diff]") {
  RuleSet a = PricingRules(10), b = PricingRules(20);
  std::vector<std::string> twice = {Ev("page_view", 0), Ev("page_view", 1000)};
  std::vector<std::string> once = {Ev("page_view", 0)};
  std::vector<std::string> none = {Ev("blog_read", 0)};
  DiffFigures diff =
      Diff(a, b, {"twice", "once", "none"}, {Final(a, twice), Final(a, once), Final(a, none)},
           {Final(b, twice), Final(b, once), Final(b, none)});
  CHECK(diff.visitors == 3);
  REQUIRE(diff.stages.size() == 2);
  CHECK(diff.stages[0].stage == "mql");
  CHECK(diff.stages[0].a == 1);  // twice, at 1000
  CHECK(diff.stages[0].b == 2);
  REQUIRE(diff.changed.size() == 2);  // twice reaches mql earlier under B; once reaches it at all
  CHECK(diff.changed[0].visitor == "twice");
  CHECK(*diff.changed[0].a.reached_at == 1000);
  CHECK(*diff.changed[0].b.reached_at == 0);
  REQUIRE(diff.changed[0].reasons.size() == 1);
  CHECK(diff.changed[0].reasons[0].rule == "pricing");
  CHECK(*diff.changed[0].reasons[0].a == 20);
  CHECK(*diff.changed[0].reasons[0].b == 40);
  CHECK(diff.changed[1].a.stage == "visitor");
  CHECK_FALSE(diff.changed[1].a.reached_at.has_value());
  CHECK(diff.changed[1].b.stage == "mql");
}

TEST_CASE("Stages are matched by name, a stage only B has is counted after A's", "[diff]") {
  RuleSet a = PricingRules(10), b = PricingRules(30, "sql");
  std::vector<std::string> events = {Ev("page_view", 0), Ev("page_view", 1000)};
  DiffFigures diff = Diff(a, b, {"v"}, {Final(a, events)}, {Final(b, events)});
  REQUIRE(diff.stages.size() == 3);
  CHECK(diff.stages[2].stage == "sql");
  CHECK(diff.stages[2].a == 0);
  CHECK(diff.stages[2].b == 1);
  CHECK(DiffText(diff, 0).find("... and 1 more (--json lists every one)") != std::string::npos);
}

}  // namespace mqlscore
