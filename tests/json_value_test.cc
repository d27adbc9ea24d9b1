#include "core/json_value.h"

#include <catch2/catch.hpp>

using mqlscore::ParseJsonValue;
using mqlscore::ToJsonText;
using mqlscore::Value;

TEST_CASE("JSON text round-trips through Value", "[json]") {
  Value v;
  std::string error;
  REQUIRE(ParseJsonValue(R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})", &v, &error));
  CHECK(ToJsonText(v) == R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})");
}

TEST_CASE("A repeated key keeps the last value, as in JSON.parse", "[json]") {
  Value v;
  std::string error;
  REQUIRE(ParseJsonValue(R"({"a":1,"a":2})", &v, &error));
  CHECK(v.Find("a")->number_value() == 2);
  CHECK(ToJsonText(v) == R"({"a":2})");
}

TEST_CASE("Syntax errors name line and column", "[json]") {
  Value v;
  std::string error;
  CHECK_FALSE(ParseJsonValue("{\n  \"a\": x}", &v, &error));
  CHECK(error.rfind("parse error at line 2, column 8: syntax error", 0) == 0);
}

TEST_CASE("Out-of-range numbers are refused", "[json]") {
  Value v;
  std::string error;
  CHECK_FALSE(ParseJsonValue("[1e400]", &v, &error));
  CHECK(error == "number overflow parsing '1e400'");
}

TEST_CASE("Nesting deeper than 64 levels is refused, not a stack overflow", "[json]") {
  Value v;
  std::string error;
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  CHECK_FALSE(ParseJsonValue(deep, &v, &error));
  CHECK(error == "JSON nests deeper than 64 levels");
  std::string ok = std::string(64, '[') + std::string(64, ']');
  CHECK(ParseJsonValue(ok, &v, &error));
}

TEST_CASE("Numbers print without needless fractions and in shortest round-trip form", "[json]") {
  auto text = [](double d) {
    std::string out;
    mqlscore::AppendJsonNumber(d, &out);
    return out;
  };
  CHECK(text(20) == "20");
  CHECK(text(-0.0) == "0");
  CHECK(text(0.1) == "0.1");
  CHECK(text(12.345678) == "12.345678");
  CHECK(text(1e300) == "1e+300");
}

TEST_CASE("Strings are escaped and invalid UTF-8 is replaced", "[json]") {
  std::string out;
  mqlscore::AppendJsonString(
      "a\"\\\n\x01\xff"
      "é",
      &out);
  CHECK(out ==
        "\"a\\\"\\\\\\n\\u0001\xEF\xBF\xBD"
        "é\"");
}
