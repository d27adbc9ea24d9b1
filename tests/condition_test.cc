#include "core/condition.h"

#include <catch2/catch.hpp>

#include "core/json_reader.h"
#include "core/rules.h"
#include "core/strings.h"

using mqlscore::Condition;
using mqlscore::FieldRef;
using mqlscore::FieldValue;
using mqlscore::Problems;
using mqlscore::Value;

namespace {

// Fields straight from one JSON object: every name is a member path.
class ObjectFields : public mqlscore::FieldSource {
 public:
  explicit ObjectFields(const std::string& json) {
    REQUIRE(mqlscore::ReadJson(json, mqlscore::kMaxValueDepth, &object_).ok());
  }
  FieldValue Get(const FieldRef& field) const override {
    if (field.source != FieldRef::Source::kEventMember) return FieldValue();
    const Value* v = &object_;
    for (const auto& key : field.path) v = v != nullptr ? v->Find(key) : nullptr;
    return FieldValue::Of(v);
  }

 private:
  Value object_;
};

Value Parsed(const std::string& json) {
  Value value;
  REQUIRE(mqlscore::ReadJson(json, mqlscore::kMaxRulesDepth, &value).ok());
  return value;
}

bool Holds(const std::string& condition, const std::string& fields) {
  Problems problems;
  Condition c = Condition::Parse(Parsed(condition), "/if", &problems);
  REQUIRE(problems.empty());
  return c.Evaluate(ObjectFields(fields));
}

std::vector<std::string> ProblemsOf(const std::string& condition) {
  Problems problems;
  Condition::Parse(Parsed(condition), "/if", &problems);
  std::vector<std::string> lines;
  for (const auto& p : problems) lines.push_back(p.ToString());
  return lines;
}

}  // namespace

TEST_CASE("Equality compares strings exactly and numbers by value", "[condition]") {
  CHECK(Holds(R"({"cta":"demo"})", R"({"cta":"demo"})"));
  CHECK_FALSE(Holds(R"({"cta":"demo"})", R"({"cta":"Demo"})"));
  CHECK(Holds(R"({"percent":50})", R"({"percent":50.0})"));
  CHECK(Holds(R"({"props.ok":true})", R"({"props":{"ok":true}})"));
  CHECK_FALSE(Holds(R"({"cta":"demo"})", R"({})"));
}

TEST_CASE("A number written as a string is a string", "[condition]") {
  CHECK_FALSE(Holds(R"({"percent":"5"})", R"({"percent":5})"));
  CHECK_FALSE(Holds(R"({"percent":5})", R"({"percent":"5"})"));
  CHECK_FALSE(Holds(R"({"percent":{"gt":"4"}})", R"({"percent":5})"));
  CHECK_FALSE(Holds(R"({"percent":{"in":["5"]}})", R"({"percent":5})"));
}

TEST_CASE("ne and nin hold for a missing field, eq and in do not", "[condition]") {
  CHECK(Holds(R"({"cta":{"ne":"x"}})", R"({})"));
  CHECK(Holds(R"({"cta":{"nin":["x"]}})", R"({})"));
  CHECK(Holds(R"({"cta":{"ne":"x"}})", R"({"cta":null})"));
  CHECK_FALSE(Holds(R"({"cta":{"eq":"x"}})", R"({})"));
  CHECK_FALSE(Holds(R"({"cta":{"in":["x"]}})", R"({})"));
  CHECK_FALSE(Holds(R"({"cta":{"ne":"x"}})", R"({"cta":"x"})"));
}

TEST_CASE("Ordering needs two numbers or two strings", "[condition]") {
  CHECK(Holds(R"({"seconds":{"gt":30}})", R"({"seconds":31})"));
  CHECK_FALSE(Holds(R"({"seconds":{"gt":30}})", R"({"seconds":30})"));
  CHECK(Holds(R"({"seconds":{"gte":30}})", R"({"seconds":30})"));
  CHECK(Holds(R"({"seconds":{"lt":30}})", R"({"seconds":-1})"));
  CHECK(Holds(R"({"seconds":{"lte":30}})", R"({"seconds":30})"));
  CHECK(Holds(R"({"text":{"gt":"B"}})", R"({"text":"a"})"));  // bytewise: 'a' > 'B'
  CHECK_FALSE(Holds(R"({"text":{"gt":"b"}})", R"({"text":"B"})"));
  CHECK_FALSE(Holds(R"({"seconds":{"lt":30}})", R"({})"));
  CHECK_FALSE(Holds(R"({"seconds":{"lt":30}})", R"({"seconds":true})"));
  CHECK_FALSE(Holds(R"({"seconds":{"gte":0}})", R"({"seconds":{"a":1}})"));
}

TEST_CASE("String operators are ASCII case-insensitive and need a string field", "[condition]") {
  CHECK(Holds(R"({"url":{"glob":"*/PRICING*"}})", R"({"url":"https://x.com/pricing/team"})"));
  CHECK(Holds(R"({"file":{"suffix":".PDF"}})", R"({"file":"report.pdf"})"));
  CHECK(Holds(R"({"title":{"prefix":"how"}})", R"({"title":"How to buy"})"));
  CHECK(Holds(R"({"title":{"contains":"BUY"}})", R"({"title":"How to buy"})"));
  CHECK_FALSE(Holds(R"({"percent":{"prefix":"5"}})", R"({"percent":50})"));
  CHECK_FALSE(Holds(R"({"title":{"contains":"x"}})", R"({})"));
}

TEST_CASE("Simple globs behave exactly like the general matcher", "[condition]") {
  for (const char* pattern :
       {"/pricing*", "*.pdf", "*demo*", "/exact", "*", "**", "", "a*b*", "*a?"}) {
    for (const char* text : {"/pricing", "/Pricing/team", "x/PRICING", "report.PDF",
                             "book-demo-now", "/exact", "/EXACT", "", "*", "ab", "aXb", "za1"}) {
      INFO(pattern << " vs " << text);
      std::string condition = std::string(R"({"title":{"glob":")") + pattern + "\"}}";
      std::string fields = std::string(R"({"title":")") + text + "\"}";
      CHECK(Holds(condition, fields) == mqlscore::GlobMatch(pattern, text));
    }
  }
}

TEST_CASE("exists tells present from missing, and null is missing", "[condition]") {
  CHECK(Holds(R"({"form":{"exists":true}})", R"({"form":""})"));
  CHECK(Holds(R"({"form":{"exists":false}})", R"({"form":null})"));
  CHECK(Holds(R"({"props":{"exists":true}})", R"({"props":{}})"));
  CHECK(Holds(R"({"props.a.b":{"exists":true}})", R"({"props":{"a":{"b":0}}})"));
  CHECK_FALSE(Holds(R"({"props.a.b":{"exists":true}})", R"({"props":{"a":"b"}})"));
}

TEST_CASE("Keys combine with AND, and all, any and not combine conditions", "[condition]") {
  CHECK(Holds(R"({"cta":"a","form":"b"})", R"({"cta":"a","form":"b"})"));
  CHECK_FALSE(Holds(R"({"cta":"a","form":"b"})", R"({"cta":"a"})"));
  CHECK(Holds(R"({"any":[{"cta":"x"},{"cta":"a"}]})", R"({"cta":"a"})"));
  CHECK_FALSE(Holds(R"({"any":[]})", R"({})"));
  CHECK(Holds(R"({"all":[]})", R"({})"));
  CHECK(Holds(R"({})", R"({})"));
  CHECK(Holds(R"({"not":{"cta":"x"}})", R"({"cta":"a"})"));
  CHECK(Holds(R"({"all":[{"cta":"a"},{"not":{"any":[{"form":"z"}]}}]})", R"({"cta":"a"})"));
}

TEST_CASE("Bad conditions are reported with their place", "[condition]") {
  SECTION("unknown operator") {
    CHECK(ProblemsOf(R"({"path":{"like":"/x"}})") ==
          std::vector<std::string>{"/if/path/like: unknown operator \"like\"; expected one of eq, "
                                   "ne, in, nin, gt, gte, lt, lte, glob, prefix, suffix, contains, "
                                   "exists"});
  }
  SECTION("two operators in one object") {
    CHECK(ProblemsOf(R"({"seconds":{"gt":1,"lt":5}})") ==
          std::vector<std::string>{"/if/seconds: has 2 operators (gt, lt); use one per object "
                                   "and combine them with all"});
  }
  SECTION("wrong operand types") {
    CHECK(ProblemsOf(R"({"a":{"in":"x"},"b":{"glob":5},"c":{"exists":"yes"},"d":{"gt":true},)"
                     R"("e":{"ne":{}},"f":{"contains":[]}})") ==
          std::vector<std::string>{
              "/if/a/in: in needs an array of strings, numbers or booleans, not a string",
              "/if/b/glob: glob needs a string, not a number",
              "/if/c/exists: exists needs true or false, not a string",
              "/if/d/gt: gt needs a number or a string, not a boolean",
              "/if/e/ne: ne needs a string, number or boolean, not an object",
              "/if/f/contains: contains needs a string, not an array"});
    CHECK(ProblemsOf(R"({"a":{"nin":[1,null]}})") ==
          std::vector<std::string>{"/if/a/nin/1: must be a string, number or boolean, not null"});
  }
  SECTION("empty field name, null, arrays, non-objects") {
    CHECK(ProblemsOf(R"({"":1})") ==
          std::vector<std::string>{"/if/: a field name must not be empty"});
    CHECK(ProblemsOf(R"({"a":null})") ==
          std::vector<std::string>{"/if/a: null is not a value to compare with; use "
                                   "{\"exists\": false} for a missing field"});
    CHECK(ProblemsOf(R"({"a":[1]})") ==
          std::vector<std::string>{"/if/a: a list of values needs an operator: {\"in\": [...]}"});
    CHECK(ProblemsOf(R"({"a":{}})") ==
          std::vector<std::string>{"/if/a: needs exactly one operator (eq, ne, in, nin, gt, gte, "
                                   "lt, lte, glob, prefix, suffix, contains, exists)"});
    CHECK(ProblemsOf(R"([1])") ==
          std::vector<std::string>{"/if: a condition must be an object, not an array"});
    CHECK(ProblemsOf(R"({"any":{}})") ==
          std::vector<std::string>{"/if/any: any must be an array of conditions, not an object"});
  }
}

TEST_CASE("Conditions nest at most 64 levels deep", "[condition]") {
  auto nested = [](int levels) {
    std::string text = R"({"cta":"x"})";
    for (int i = 0; i < levels; ++i) text = R"({"not":)" + text + "}";
    return text;
  };
  CHECK(ProblemsOf(nested(64)).empty());
  auto problems = ProblemsOf(nested(65));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find(": conditions nest deeper than 64 levels of all/any/not") !=
        std::string::npos);
  // As deep as a rules file may nest at all (kMaxRulesDepth JSON levels).
  CHECK(ProblemsOf(nested(127)).size() == 1);
}

TEST_CASE("Field names resolve to the contract's sources", "[condition]") {
  using S = FieldRef::Source;
  CHECK(mqlscore::ResolveField("path").source == S::kPath);
  CHECK(mqlscore::ResolveField("query.utm_source").key == "utm_source");
  CHECK(mqlscore::ResolveField("utm.campaign").key == "utm_campaign");
  CHECK(mqlscore::ResolveField("utm.other").source == S::kNone);
  CHECK(mqlscore::ResolveField("props.plan.tier").path ==
        std::vector<std::string>{"props", "plan", "tier"});
  CHECK(mqlscore::ResolveField("traits.company.size").path ==
        std::vector<std::string>{"company", "size"});
  CHECK(mqlscore::ResolveField("session.number").source == S::kSessionNumber);
  CHECK(mqlscore::ResolveField("nonsense").source == S::kNone);
}
