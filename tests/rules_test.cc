#include "core/rules.h"

#include "test_support.h"

using mqlscore::RuleProblems;
using mqlscore::ValidRules;
using Lines = std::vector<std::string>;

namespace {

const char* kStages = R"("stages":[{"name":"mql","engagement":100},{"name":"visitor"}])";

std::string File(const std::string& rules, const std::string& more = "") {
  return std::string(R"({"version":1,)") + kStages + R"(,"rules":[)" + rules + "]" +
         (more.empty() ? "" : "," + more) + "}";
}

}  // namespace

TEST_CASE("A minimal valid file parses with the contract's defaults", "[rules]") {
  auto rules = ValidRules(File(R"({"id":"p","on":"page_view","points":5})"));
  CHECK(rules.session_timeout_ms() == 30 * 60 * 1000.0);
  CHECK(rules.half_life_ms() == 0);
  CHECK_FALSE(rules.engagement_cap());
  CHECK(rules.stages().size() == 2);
  CHECK(rules.EngagementRulesFor("page_view") == std::vector<std::size_t>{0});
  CHECK(rules.EngagementRulesFor("download").empty());
  CHECK(rules.hash().size() == 16);
}

TEST_CASE("Optional sections are read", "[rules]") {
  auto rules = ValidRules(File(R"({"id":"p","on":["page_view","cta_click"],"points":-5})",
                               R"("session_timeout_minutes":10,"decay":{"half_life_days":2},)"
                               R"("caps":{"engagement":50},"track":{"ctas":{"a":"b"}},)"
                               R"("x-note":"ignored","$schema":"./schema.json")"));
  CHECK(rules.session_timeout_ms() == 600000.0);
  CHECK(rules.half_life_ms() == 2 * 86400000.0);
  CHECK(*rules.engagement_cap() == 50);
  CHECK_FALSE(rules.fit_cap());
  CHECK(rules.EngagementRulesFor("cta_click") == std::vector<std::size_t>{0});
}

TEST_CASE("Files that are not JSON objects are refused with one message", "[rules]") {
  CHECK(RuleProblems("{") ==
        Lines{"the rules file is not valid JSON: parse error at line 1, column 2: unexpected end "
              "of input; expected string literal"});
  CHECK(RuleProblems("[]") == Lines{"the rules file must be a JSON object, not an array"});
  CHECK(RuleProblems(R"({"version":1e400})").size() == 1);
  CHECK(RuleProblems(std::string(mqlscore::kMaxRulesBytes + 1, ' ')) ==
        Lines{"the rules file is 16777217 bytes; the limit is 16 MiB (16777216 bytes)"});
}

TEST_CASE("A rules file nested 10,000 levels deep is refused cleanly", "[rules]") {
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  auto problems = RuleProblems(File(R"({"id":"p","on":"x","points":1,"if":{"a":)" + deep + "}}"));
  CHECK(problems == Lines{"the rules file nests deeper than 256 levels"});
}

TEST_CASE("The track section must be an object and is otherwise left to the widget", "[rules]") {
  std::string deep = std::string(100, '[') + std::string(100, ']');
  ValidRules(File("", R"("track":{"a":)" + deep + R"(,"scroll":"any","b":{"c":null}})"));
  CHECK(RuleProblems(File("", R"("track":[])")) ==
        Lines{"/track: must be an object, not an array"});
}

TEST_CASE("Top-level keys are checked", "[rules]") {
  CHECK(RuleProblems(R"({"stages":[{"name":"v"}],"rules":[],"verison":1})") ==
        Lines{"/verison: unknown key in the rules file (expected accounts, caps, decay, rules, "
              "session_timeout_minutes, stages, track, version, or x-... for notes)",
              "/version: is required"});
  CHECK(RuleProblems(R"({"version":2,"stages":[{"name":"v"}],"rules":[]})") ==
        Lines{"/version: must be 1 (this is rules format v1)"});
  CHECK(RuleProblems(R"({"version":1})") == Lines{"/stages: is required", "/rules: is required"});
  CHECK(RuleProblems(File("", R"("session_timeout_minutes":0)")) ==
        Lines{"/session_timeout_minutes: must be greater than 0"});
  CHECK(RuleProblems(File("", R"("decay":{"half_life_days":-1})")) ==
        Lines{"/decay/half_life_days: must be greater than 0"});
  CHECK(RuleProblems(File("", R"("decay":{})")) == Lines{"/decay/half_life_days: is required"});
  CHECK(RuleProblems(File("", R"("caps":{"fit":"10","engagment":5})")) ==
        Lines{"/caps/engagment: unknown key in caps (expected engagement, fit, or x-... for notes)",
              "/caps/fit: must be a number, not a string"});
  CHECK(RuleProblems(File("", R"("track":[])")) ==
        Lines{"/track: must be an object, not an array"});
}

TEST_CASE("Stages are checked", "[rules]") {
  auto with_stages = [](const std::string& stages) {
    return RuleProblems(R"({"version":1,"rules":[],"stages":)" + stages + "}");
  };
  CHECK(with_stages("[]") == Lines{"/stages: needs at least one stage"});
  CHECK(with_stages(R"([{"name":"a","engagement":5}])") ==
        Lines{"/stages/0: the last stage must have no minimums (engagement, fit, score): it is "
              "where every visitor starts"});
  CHECK(with_stages(R"([{"name":"a","score":1},{"name":"a"}])") ==
        Lines{"/stages/1/name: duplicate stage name \"a\""});
  CHECK(with_stages(R"([{"name":"b","score":9},{"name":"a","score":8},"a",{"name":"b","score":7},)"
                    R"({"name":"a","score":6},{"name":"b","score":5},{"name":"c"}])") ==
        Lines{"/stages/2: a stage must be an object, not a string",
              "/stages/3/name: duplicate stage name \"b\"",
              "/stages/4/name: duplicate stage name \"a\"",
              "/stages/5/name: duplicate stage name \"b\""});
  CHECK(with_stages(R"([{"name":"a b","sticky":"yes"},{}])") ==
        Lines{"/stages/0/name: \"a b\" is not a valid name (1 to 64 of A-Z a-z 0-9 _ . -)",
              "/stages/0/sticky: must be true or false, not a string",
              "/stages/1/name: is required"});
}

TEST_CASE("Rules are checked, every problem at once", "[rules]") {
  SECTION("ids") {
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1},{"id":"a","on":"x","points":1})")) ==
          Lines{"/rules/1/id: duplicate rule id \"a\""});
    CHECK(RuleProblems(File(R"({"id":"b","on":"x","points":1},{"id":"b c","on":"x","points":1},)"
                            R"({"id":"a","on":"x","points":1},{"id":"b c","on":"x","points":1},)"
                            R"({"id":"b","on":"x","points":1})")) ==
          Lines{"/rules/1/id: \"b c\" is not a valid rule id (1 to 64 of A-Z a-z 0-9 _ . -)",
                "/rules/3/id: \"b c\" is not a valid rule id (1 to 64 of A-Z a-z 0-9 _ . -)",
                "/rules/4/id: duplicate rule id \"b\""});
    CHECK(RuleProblems(File(R"({"on":"x","points":1},{"id":"bad id!","on":"x","points":1})")) ==
          Lines{"/rules/0/id: is required",
                "/rules/1/id: \"bad id!\" is not a valid rule id (1 to 64 of A-Z a-z 0-9 _ . -)"});
    CHECK(RuleProblems(File(R"({"id":")" + std::string(65, 'a') + R"(","on":"x","points":1})"))
              .size() == 1);
  }
  SECTION("on, points, kind") {
    CHECK(RuleProblems(File(R"({"id":"a","points":"5"})")) ==
          Lines{"/rules/0/on: is required: the event type(s) this rule listens to, such as "
                "\"page_view\"",
                "/rules/0/points: must be a number, not a string"});
    CHECK(
        RuleProblems(File(R"({"id":"a","on":[],"points":1},{"id":"b","on":["x",3],"points":1})")) ==
        Lines{"/rules/0/on: must be an event type or a non-empty array of event types",
              "/rules/1/on/1: must be an event type name (a non-empty string)"});
    CHECK(RuleProblems(File(
              R"({"id":"a","kind":"fit","on":"x","points":1,"limit":{"times":1,"per":"day"}})")) ==
          Lines{"/rules/0/on: fit rules score the visitor's traits and take no \"on\"",
                "/rules/0/limit: fit rules have no limit: they count once while they hold"});
    CHECK(RuleProblems(File(R"({"id":"a","kind":"behaviour","on":"x"})")) ==
          Lines{"/rules/0/kind: must be \"engagement\" or \"fit\", not \"behaviour\"",
                "/rules/0/points: is required"});
  }
  SECTION("points beyond a billion") {
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1e308})")) ==
          Lines{"/rules/0/points: must be between -1000000000 and 1000000000"});
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":-1000000000})")).empty());
  }
  SECTION("unknown keys in a rule") {
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1,"pionts":2,"x-why":"ok"})")) ==
          Lines{"/rules/0/pionts: unknown key in a rule (expected description, id, if, kind, "
                "limit, on, points, or x-... for notes)"});
  }
  SECTION("limits") {
    CHECK(
        RuleProblems(File(R"({"id":"a","on":"x","points":1,"limit":{"times":0,"per":"month"}})")) ==
        Lines{"/rules/0/limit/times: must be a whole number, 1 or more",
              "/rules/0/limit/per: must be one of session, day, week, ever; not \"month\""});
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1,"limit":{"times":1.5}})")) ==
          Lines{"/rules/0/limit/times: must be a whole number, 1 or more",
                "/rules/0/limit/per: is required"});
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1,"limit":3})")) ==
          Lines{"/rules/0/limit: must be an object such as {\"times\": 1, \"per\": \"day\"}, not a "
                "number"});
  }
  SECTION("conditions inside rules carry the rule's pointer") {
    CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1,"if":{"path":{"regex":"x"}}})")) ==
          Lines{"/rules/0/if/path/regex: unknown operator \"regex\"; expected one of eq, ne, in, "
                "nin, gt, gte, lt, lte, glob, prefix, suffix, contains, exists"});
  }
}

TEST_CASE("JSON Pointers escape ~ and /", "[rules]") {
  CHECK(RuleProblems(File(R"({"id":"a","on":"x","points":1,"if":{"a/b~c":{"bad":1}}})")) ==
        Lines{"/rules/0/if/a~1b~0c/bad: unknown operator \"bad\"; expected one of eq, ne, in, nin, "
              "gt, gte, lt, lte, glob, prefix, suffix, contains, exists"});
}
