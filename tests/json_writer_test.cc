#include "core/json_writer.h"

#include <catch2/catch.hpp>

#include "core/strings.h"

using mqlscore::ToJsonText;
using mqlscore::Value;

TEST_CASE("Numbers are written as JSON.stringify writes them", "[json]") {
  auto text = [](double d) { return ToJsonText(Value(d)); };
  CHECK(text(20) == "20");
  CHECK(text(-0.0) == "0");
  CHECK(text(0.1) == "0.1");
  CHECK(text(12.345678) == "12.345678");
  CHECK(text(1e300) == "1e+300");
  CHECK(text(1e-7) == "1e-7");
  CHECK(text(5e-324) == "5e-324");
  CHECK(text(-1e20) == "-100000000000000000000");
  CHECK(text(1e21) == "1e+21");
}

TEST_CASE("Strings are escaped as JSON.stringify escapes them, invalid UTF-8 replaced", "[json]") {
  std::string out;
  mqlscore::AppendJsonString(
      "a\"\\\n\b\f\r\t\x01\x1f\x7f\xff"
      "é\xE2\x80\xA8",
      &out);
  CHECK(out ==
        "\"a\\\"\\\\\\n\\b\\f\\r\\t\\u0001\\u001f\x7f\xEF\xBF\xBD"
        "é\xE2\x80\xA8\"");
}

TEST_CASE("Objects and arrays are written compactly, members in order", "[json]") {
  Value v =
      Value::Object{{"b", Value::Array{Value(true), Value(), Value("x")}}, {"a", Value::Object{}}};
  CHECK(ToJsonText(v) == R"({"b":[true,null,"x"],"a":{}})");
}
