#include "cli/rules_lint.h"

#include <catch2/catch.hpp>

#include "core/json_reader.h"
#include "core/rules.h"

namespace mqlscore {
namespace {

using Lines = std::vector<std::string>;

Lines Warnings(const std::string& text) {
  Value document;
  REQUIRE(ReadJson(text, kMaxRulesDepth, &document).ok());
  return RulesWarnings(document);
}

std::string WithRules(const std::string& rules) {
  return R"({"version":1,"stages":[{"name":"visitor"}],"rules":[)" + rules + "]}";
}

}  // namespace

TEST_CASE("A stage that can never be reached is named, with why", "[lint]") {
  CHECK(Warnings(R"({"version":1,"caps":{"engagement":100,"fit":20},"rules":[],"stages":[
      {"name":"sql","engagement":150},{"name":"mql","engagement":50},
      {"name":"engaged","engagement":60,"fit":10},{"name":"big","score":130},{"name":"visitor"}]})") ==
        Lines{"/stages/0/engagement: stage \"sql\" asks for 150 engagement but caps.engagement is "
              "100: it can never be reached",
              "/stages/2: stage \"engaged\" can never be reached: whenever its minimums hold, so do "
              "those of \"mql\", listed before it",
              "/stages/3/score: stage \"big\" asks for 130 score but the caps' sum is 120: it can "
              "never be reached"});
  SECTION("a higher minimum further down is fine") {
    CHECK(Warnings(R"({"version":1,"rules":[],"stages":[{"name":"mql","engagement":60,"fit":30},
        {"name":"engaged","engagement":25},{"name":"visitor"}]})")
              .empty());
  }
}

TEST_CASE("Fields the scorer never has, and fit rules reading events, are named", "[lint]") {
  CHECK(Warnings(WithRules(R"({"id":"a","on":"page_view","points":1,"if":{"any":[{"utm_medium":"email"},
      {"not":{"referer":{"exists":true}}}]}},{"id":"b","kind":"fit","points":1,
      "if":{"title":{"contains":"vp"},"traits.title":{"contains":"head"}}})")) ==
        Lines{"/rules/0/if/any/0/utm_medium: the scorer has no field \"utm_medium\"; it is always "
              "missing (did you mean \"utm.medium\"?)",
              "/rules/0/if/any/1/not/referer: the scorer has no field \"referer\"; it is always "
              "missing (did you mean \"referrer\"?)",
              "/rules/1/if/title: a fit rule sees only the visitor's traits: \"title\" is always "
              "missing there (did you mean \"traits.title\"?)"});
}

TEST_CASE("Event types a letter or a separator away from the widget's get a did-you-mean", "[lint]") {
  CHECK(Warnings(WithRules(R"({"id":"a","on":["pageview","Page_View","video_play","page-view"],
      "points":1},{"id":"b","on":"form_sumbit","points":1},{"id":"c","on":"webinar_join","points":1})")) ==
        Lines{"/rules/0/on/0: \"pageview\" is not an event type the widget sends (did you mean "
              "\"page_view\"?)",
              "/rules/0/on/1: \"Page_View\" is not an event type the widget sends (did you mean "
              "\"page_view\"?)",
              "/rules/0/on/3: \"page-view\" is not an event type the widget sends (did you mean "
              "\"page_view\"?)",
              "/rules/1/on: \"form_sumbit\" is not an event type the widget sends (did you mean "
              "\"form_submit\"?)"});
}

TEST_CASE("Paths without their slash, urls compared with a path, numbers written as text", "[lint]") {
  CHECK(Warnings(WithRules(R"({"id":"a","on":"page_view","points":1,"if":{"path":{"glob":"pricing*"},
      "url":"/demo","props.seats":{"gte":"100"},"host":{"glob":"*.acme.com"},"path2":{"glob":"*x"}}})")) ==
        Lines{"/rules/0/if/path/glob: a path starts with \"/\", so \"pricing*\" never matches (did "
              "you mean \"/pricing*\"?)",
              "/rules/0/if/url: url is the whole address (https://...), so \"/demo\" never matches it "
              "(did you mean \"path\"?)",
              "/rules/0/if/props.seats/gte: \"100\" is text, so \"gte\" compares it with text (\"9\" "
              "is after \"100\"); write 100 to compare numbers",
              "/rules/0/if/path2: the scorer has no field \"path2\"; it is always missing (did you "
              "mean \"path\"?)"});
}

TEST_CASE("Unknown keys and operators get the nearest known one", "[lint]") {
  CHECK(Warnings(R"({"version":1,"stagse":[],"stages":[{"name":"visitor","stciky":true}],
      "rules":[{"id":"a","on":"page_view","points":1,"limti":{},"limit":{"times":1,"pre":"day"},
      "if":{"traits.employees":{"gtee":5}}}],"x-note":1,"$schema":"x","zzz":1})") ==
        Lines{"/stagse: unknown key \"stagse\"; did you mean \"stages\"?",
              "/stages/0/stciky: unknown key \"stciky\"; did you mean \"sticky\"?",
              "/rules/0/limti: unknown key \"limti\"; did you mean \"limit\"?",
              "/rules/0/if/traits.employees/gtee: unknown operator \"gtee\"; did you mean \"gte\"?",
              "/rules/0/limit/pre: unknown key \"pre\"; did you mean \"per\"?"});
}

TEST_CASE("Custom event types stay quiet, case and separators hide no type", "[lint]") {
  CHECK(NearestName("video_play", {"page_view", "cta_click"}).empty());
  CHECK(NearestName("PAGEVIEW", {"page_view"}) == "page_view");
}

}  // namespace mqlscore
