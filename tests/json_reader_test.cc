#include "core/json_reader.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

#include "core/json_writer.h"

using mqlscore::ReadJson;
using mqlscore::Status;
using mqlscore::ToJsonText;
using mqlscore::Value;

namespace {

constexpr int kDepth = mqlscore::kMaxValueDepth;

Value Read(const std::string& text) {
  Value v;
  Status read = ReadJson(text, kDepth, &v);
  INFO(text << ": " << read.message());
  REQUIRE(read.ok());
  return v;
}

std::string Failure(const std::string& text) {
  Value v;
  Status read = ReadJson(text, kDepth, &v);
  REQUIRE_FALSE(read.ok());
  return read.message();
}

}  // namespace

TEST_CASE("JSON text round-trips through Value", "[json]") {
  CHECK(ToJsonText(Read(R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})")) ==
        R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})");
}

TEST_CASE("A repeated key keeps the first place and the last value, as in JSON.parse", "[json]") {
  Value v = Read(R"({"a":1,"b":2,"a":3,"c":4,"a":5})");
  CHECK(v.Find("a")->number_value() == 5);
  CHECK(ToJsonText(v) == R"({"a":5,"b":2,"c":4})");
  SECTION("in objects with thousands of keys") {
    std::string text = "{";
    for (int i = 0; i < 20000; ++i)
      text += "\"k" + std::to_string(i % 5000) + "\":" + std::to_string(i) + ",";
    text.back() = '}';
    Value many = Read(text);
    REQUIRE(many.object_members().size() == 5000);
    CHECK(many.object_members()[7].first == "k7");
    CHECK(many.object_members()[7].second.number_value() == 15007);
  }
}

TEST_CASE("Syntax errors name the line and column of the token that failed", "[json]") {
  CHECK(Failure("{\n  \"a\": x}") == "parse error at line 2, column 8: invalid literal");
  CHECK(Failure("[1,\n2,]") ==
        "parse error at line 2, column 3: unexpected ']'; expected '[', '{', or a literal");
  CHECK(Failure("{\"a\" 1}") ==
        "parse error at line 1, column 6: unexpected number literal; expected ':'");
  CHECK(Failure("{}x") ==
        "parse error at line 1, column 3: invalid literal; expected end of input");
  CHECK(Failure("[\x01]") == "parse error at line 1, column 2: invalid literal");
  CHECK(Failure("") ==
        "parse error at line 1, column 1: unexpected end of input; expected '[', '{', or a "
        "literal");
  CHECK(Failure("{\"a\":") ==
        "parse error at line 1, column 6: unexpected end of input; expected '[', '{', or a "
        "literal");
}

TEST_CASE("Texts that are not JSON are refused", "[json]") {
  SECTION("a number beyond a double") {
    CHECK(Failure("[1,1e400]") ==
          "parse error at line 1, column 4: 1e400 is too large for a number");
  }
  SECTION("invalid UTF-8") {
    CHECK(Failure("\"\xff\"").find("ill-formed UTF-8") != std::string::npos);
  }
  SECTION("a lone surrogate") {
    CHECK(Failure(R"(["\ud800"])").find("surrogate") != std::string::npos);
    CHECK(Failure(R"(["\udc00x"])").find("surrogate") != std::string::npos);
  }
  SECTION("comments and trailing commas") {
    Failure("[1] // no");
    Failure("[1,]");
  }
}

TEST_CASE("Nesting deeper than the limit is refused, not a stack overflow", "[json]") {
  Value v;
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  Status read = ReadJson(deep, kDepth, &v);
  CHECK(read.code() == Status::Code::kTooDeep);
  CHECK(read.message() == "JSON nests deeper than 64 levels");
  CHECK(ReadJson(std::string(64, '[') + std::string(64, ']'), kDepth, &v).ok());
  CHECK_FALSE(ReadJson(std::string(65, '{'), kDepth, &v).ok());
}

TEST_CASE("A byte order mark before the text is skipped", "[json]") {
  CHECK(ToJsonText(Read("\xEF\xBB\xBF{\"a\":1}")) == R"({"a":1})");
}

TEST_CASE("Escapes and surrogate pairs read as UTF-8", "[json]") {
  CHECK(Read(R"("\u00e9\ud83d\ude00\n\/")").string_value() == "\xC3\xA9\xF0\x9F\x98\x80\n/");
  CHECK(Read(R"("\u0000")").string_value() == std::string(1, '\0'));
}

TEST_CASE("Numbers read exactly as the C library's strtod reads them", "[json]") {
  std::mt19937_64 random(42);
  auto check = [](const std::string& text) {
    double expected = std::strtod(text.c_str(), nullptr);
    Value v;
    Status read = ReadJson(text, kDepth, &v);
    INFO(text);
    if (!std::isfinite(expected)) {
      CHECK_FALSE(read.ok());
      return;
    }
    REQUIRE(read.ok());
    double got = v.number_value();
    CHECK(std::memcmp(&got, &expected, sizeof got) == 0);
  };
  for (const char* text :
       {"0", "1", "0.1", "0.30000000000000004", "9007199254740993", "18446744073709551615",
        "18446744073709551617", "-9223372036854775809", "1.7976931348623157e308",
        "1.7976931348623159e308", "4.9e-324", "2.4703282292062327e-324", "2.2250738585072011e-308",
        "1e23", "123456789012345678901234567890e-40", "1e-400", "-1e-400", "1e400"}) {
    check(text);
  }
  for (int i = 0; i < 20000; ++i) {
    int digits = 1 + static_cast<int>(random() % 25);
    std::string text = random() % 2 ? "-" : "";
    text += static_cast<char>('1' + random() % 9);
    for (int k = 1; k < digits; ++k) text += static_cast<char>('0' + random() % 10);
    if (random() % 2) text.insert(text.size() - random() % digits, ".");
    if (text.back() == '.') text += "0";
    if (random() % 2) text += "e" + std::to_string(static_cast<int>(random() % 660) - 340);
    check(text);
  }
}
