#include "core/packed_json.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "core/event.h"
#include "core/json_value.h"
#include "core/rules.h"
#include "core/visitor.h"
#include "tests/test_support.h"

using mqlscore::DecodePackedJson;
using mqlscore::JsonFailure;
using mqlscore::ParseJsonValue;
using mqlscore::Value;

namespace {

void PackCount(std::size_t n, std::string* out) {
  for (; n > 0x7F; n >>= 7) out->push_back(static_cast<char>((n & 0x7F) | 0x80));
  out->push_back(static_cast<char>(n));
}

void PackText(const std::string& text, std::string* out) {
  PackCount(text.size(), out);
  *out += text;
}

// The packed form of a value, as wasm/packed-json.mjs writes it (there with padded counts).
void Pack(const Value& value, std::string* out) {
  switch (value.type()) {
    case Value::Type::kNull:
      out->push_back(0);
      return;
    case Value::Type::kBool:
      out->push_back(value.bool_value() ? 2 : 1);
      return;
    case Value::Type::kNumber: {
      double d = value.number_value();
      char bytes[8];
      std::memcpy(bytes, &d, 8);
      out->push_back(3);
      out->append(bytes, 8);
      return;
    }
    case Value::Type::kString:
      out->push_back(4);
      PackText(value.string_value(), out);
      return;
    case Value::Type::kArray:
      out->push_back(5);
      PackCount(value.array_items().size(), out);
      for (const Value& item : value.array_items()) Pack(item, out);
      return;
    case Value::Type::kObject:
      out->push_back(6);
      PackCount(value.object_members().size(), out);
      for (const Value::Member& member : value.object_members()) {
        PackText(member.first, out);
        Pack(member.second, out);
      }
      return;
  }
}

std::string PackedJson(const std::string& json) {
  Value value;
  std::string error;
  INFO(json);
  REQUIRE(ParseJsonValue(json, &value, &error, 1000));
  std::string out;
  Pack(value, &out);
  return out;
}

std::string NotJson(const std::string& message) {
  std::string out(1, '\x07');
  PackText(message, &out);
  return out;
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("A packed value decodes to what ParseJsonValue reads from the same text", "[packed]") {
  const char* texts[] = {
      "null",
      "true",
      "false",
      "-0.1",
      "1e300",
      R"("caf\u00e9 😀 \"quoted\" \\ \n")",
      "[]",
      "{}",
      R"({"type":"page_view","ts":1767225600000,"props":{"plan":["pro",2,null,{"x":true}]}})",
      R"({"a":1,"a":2})",
  };
  for (const char* text : texts) {
    INFO(text);
    Value expected;
    std::string error;
    REQUIRE(ParseJsonValue(text, &expected, &error));
    Value decoded;
    REQUIRE(DecodePackedJson(PackedJson(text), &decoded, &error));
    CHECK(decoded == expected);
    CHECK(ToJsonText(decoded) == ToJsonText(expected));
  }
}

TEST_CASE("Counts and lengths may be padded, as the browser writes them", "[packed]") {
  Value decoded;
  std::string error;
  REQUIRE(DecodePackedJson(std::string("\x04\x82\x80\x00\x61\x62", 6), &decoded, &error));
  CHECK(decoded.string_value() == "ab");
}

TEST_CASE("Nesting past the limit fails with ParseJsonValue's message", "[packed]") {
  Value decoded;
  std::string error;
  JsonFailure failure = JsonFailure::kSyntax;
  CHECK(DecodePackedJson(PackedJson(Nested(64)), &decoded, &error, 64, &failure));
  SECTION("deeper than the limit") {
    CHECK_FALSE(DecodePackedJson(PackedJson(Nested(65)), &decoded, &error, 64, &failure));
  }
  SECTION("deeper than the browser packs") {
    CHECK_FALSE(DecodePackedJson(std::string("\x05\x01\x08", 3), &decoded, &error, 64, &failure));
  }
  CHECK(error == "JSON nests deeper than 64 levels");
  CHECK(failure == JsonFailure::kTooDeep);
  CHECK_FALSE(ParseJsonValue(Nested(65), &decoded, &error, 64));
  CHECK(error == "JSON nests deeper than 64 levels");
}

TEST_CASE("Text that JSON.parse refused fails with its message", "[packed]") {
  Value decoded;
  std::string error;
  JsonFailure failure = JsonFailure::kTooDeep;
  CHECK_FALSE(DecodePackedJson(NotJson("Unexpected end of JSON input"), &decoded, &error,
                               mqlscore::kMaxValueDepth, &failure));
  CHECK(error == "Unexpected end of JSON input");
  CHECK(failure == JsonFailure::kSyntax);
}

TEST_CASE("Malformed packed bytes are refused without reading past their end", "[packed]") {
  std::string packed;
  SECTION("nothing") {}
  SECTION("a cut number") { packed = std::string("\x03\x00\x00\x00", 4); }
  SECTION("a string longer than what is left") { packed = std::string("\x04\x05\x61\x62\x63", 5); }
  SECTION("more items than bytes left") { packed = std::string("\x05\x09\x00", 3); }
  SECTION("a count that never ends") { packed = std::string("\x05\xff\xff\xff\xff\xff\xff", 7); }
  SECTION("an unknown tag") { packed = "\x09"; }
  SECTION("bytes after the value") { packed = std::string("\x00\x00", 2); }
  Value decoded;
  std::string error;
  CHECK_FALSE(DecodePackedJson(packed, &decoded, &error));
  CHECK(error == "malformed packed JSON");
}

TEST_CASE("Rules, events and snapshots read by JSON.parse are checked as from text", "[packed]") {
  const std::string text =
      R"({"version":1,"stages":[{"name":"mql","score":5},{"name":"visitor"}],)"
      R"("rules":[{"id":"pricing","on":"page_view","if":{"path":"/pricing"},"points":5}]})";
  SECTION("a valid rules file: the same rules and the hash of the text") {
    mqlscore::RuleSet from_text = mqlscore::ValidRules(text);
    mqlscore::RuleSet packed;
    CHECK(mqlscore::RuleSet::Parse(text, DecodePackedJson, PackedJson(text), &packed).empty());
    CHECK(packed.hash() == from_text.hash());
    CHECK(packed.rules().size() == 1);
  }
  SECTION("a rules file that is not JSON, or nests too deep") {
    mqlscore::RuleSet rules;
    mqlscore::Problems problems = mqlscore::RuleSet::Parse(
        "{", DecodePackedJson, NotJson("Unexpected end of JSON input"), &rules);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].ToString() ==
          "the rules file is not valid JSON: Unexpected end of JSON input");
    problems =
        mqlscore::RuleSet::Parse(Nested(300), DecodePackedJson, PackedJson(Nested(300)), &rules);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].ToString() == "the rules file nests deeper than 256 levels");
  }
  SECTION("an event and a snapshot") {
    mqlscore::RuleSet rules = mqlscore::ValidRules(text);
    mqlscore::OwnedEvent event;
    std::string error;
    REQUIRE(event.Parse(DecodePackedJson,
                        PackedJson(R"({"type":"page_view","ts":1,"url":"https://a.com/pricing"})"),
                        &error));
    mqlscore::Visitor visitor(&rules, "v");
    std::vector<mqlscore::Signal> signals;
    visitor.Track(event.event(), &signals);
    CHECK(signals.size() == 1);
    mqlscore::Visitor restored(&rules, "v");
    REQUIRE(mqlscore::Visitor::FromSnapshot(&rules, DecodePackedJson,
                                            PackedJson(visitor.Snapshot()), &restored, &error));
    CHECK(restored.Snapshot() == visitor.Snapshot());
    CHECK_FALSE(event.Parse(DecodePackedJson, NotJson("Unexpected token"), &error));
    CHECK(error == "Unexpected token");
    CHECK_FALSE(mqlscore::Visitor::FromSnapshot(&rules, DecodePackedJson, NotJson("Bad"), &restored,
                                                &error));
    CHECK(error == "not a valid visitor snapshot: Bad");
  }
}
