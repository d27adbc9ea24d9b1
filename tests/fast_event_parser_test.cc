#include "cli/fast_event_parser.h"

#include <catch2/catch.hpp>

#include "core/json_value.h"

using mqlscore::FastEventParser;
using mqlscore::Value;

namespace {

// Parses with both readers; they must agree on acceptance and on the value.
void CheckAgreement(const std::string& text) {
  std::string padded = text + std::string(64, ' ');
  std::string_view view(padded.data(), text.size());
  FastEventParser fast(1 << 20);
  Value a, b;
  std::string error_a, error_b;
  bool ok_a = fast.Parse(view, &a, &error_a);
  bool ok_b = mqlscore::ParseJsonValue(text, &b, &error_b);
  INFO(text << " | fast: " << error_a << " | nlohmann: " << error_b);
  REQUIRE(ok_a == ok_b);
  if (ok_a) CHECK(a == b);
}

}  // namespace

TEST_CASE("The fast event reader agrees with the core's JSON reader", "[fast_event_parser]") {
  SECTION("valid events") {
    for (const char* text :
         {R"({"type":"page_view","ts":1767348000000,"url":"https://x.com/a?b=c"})",
          R"({"a":1,"a":2})", R"({"n":[0,-0,1.5,1e-7,18446744073709551615,18446744073709551616]})",
          R"({"s":"\u00e9\ud83d\ude00\n\t\""})", R"({"deep":{"a":{"b":{"c":[null,true,false]}}}})",
          R"(  {"spaces": 1}  )", "[1,2]", "\"just a string\"", "12"}) {
      CheckAgreement(text);
    }
  }
  SECTION("invalid events") {
    for (const char* text :
         {"", "garbage", "{\"a\":1", "{\"a\":1}}", "{\"a\":1} x", "{\"n\":1e400}", "{'a':1}",
          "{\"s\":\"\xff\xfe\"}", "{\"s\":\"tab\there\"}", "{\"a\":01}", "{\"a\":NaN}",
          "{\"a\":[1,]}"}) {
      CheckAgreement(text);
    }
    CheckAgreement(std::string("\x00\x01\x02{}", 5));
  }
  SECTION("nesting") {
    CheckAgreement(std::string(64, '[') + std::string(64, ']'));
    CheckAgreement(std::string(65, '[') + std::string(65, ']'));
    CheckAgreement(std::string(5000, '[') + std::string(5000, ']'));
  }
}
