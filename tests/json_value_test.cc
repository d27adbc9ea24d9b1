#include "core/json_value.h"

#include <catch2/catch.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

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
  CHECK(error.rfind("parse error at line 2, column 8: invalid literal", 0) == 0);
  CHECK_FALSE(ParseJsonValue("[1,\n2,]", &v, &error));
  CHECK(error == "parse error at line 2, column 3: unexpected ']'; expected a value");
  CHECK_FALSE(ParseJsonValue("{\"a\" 1}", &v, &error));
  CHECK(error == "parse error at line 1, column 6: unexpected '1'; expected ':'");
  CHECK_FALSE(ParseJsonValue("{}x", &v, &error));
  CHECK(error == "parse error at line 1, column 3: unexpected 'x' after the JSON value");
  CHECK_FALSE(ParseJsonValue("[\x01]", &v, &error));
  CHECK(error == "parse error at line 1, column 2: unexpected byte 0x01; expected a value");
}

TEST_CASE("Out-of-range numbers are refused", "[json]") {
  Value v;
  std::string error;
  CHECK_FALSE(ParseJsonValue("[1e400]", &v, &error));
  CHECK(error ==
        "parse error at line 1, column 2: 1e400 is too large for a number (beyond 1.8e308)");
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

TEST_CASE("Numbers print as JSON.stringify writes them", "[json]") {
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
  CHECK(text(1e-7) == "1e-7");
  CHECK(text(-1e20) == "-100000000000000000000");
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

namespace {

// The oracle: nlohmann/json's parser, converted to a Value.
bool OracleParse(const std::string& text, Value* out) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return false;
  std::function<Value(const nlohmann::json&)> convert = [&](const nlohmann::json& j) {
    switch (j.type()) {
      case nlohmann::json::value_t::null:
        return Value();
      case nlohmann::json::value_t::boolean:
        return Value::Bool(j.get<bool>());
      case nlohmann::json::value_t::string:
        return Value::String(j.get<std::string>());
      case nlohmann::json::value_t::array: {
        Value array = Value::Array();
        for (const auto& item : j) array.array_items().push_back(convert(item));
        return array;
      }
      case nlohmann::json::value_t::object: {
        Value object = Value::Object();
        for (const auto& item : j.items()) object.Append(item.key(), convert(item.value()));
        return object;
      }
      default:
        return Value::Number(j.get<double>());
    }
  };
  *out = convert(doc);
  return true;
}

// Objects compare by their unique members regardless of order (nlohmann sorts keys).
bool SameValue(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.array_items().size() != b.array_items().size()) return false;
    for (std::size_t i = 0; i < a.array_items().size(); ++i) {
      if (!SameValue(a.array_items()[i], b.array_items()[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    auto members = a.UniqueMembers();
    if (members.size() != b.UniqueMembers().size()) return false;
    for (const Value::Member* m : members) {
      const Value* other = b.Find(m->first);
      if (other == nullptr || !SameValue(m->second, *other)) return false;
    }
    return true;
  }
  return a == b;
}

std::string RandomJson(std::mt19937& random, int depth) {
  auto pick = [&](const std::vector<std::string>& options) {
    return options[random() % options.size()];
  };
  int kind = static_cast<int>(random() % (depth > 3 ? 4 : 6));
  switch (kind) {
    case 0:
      return pick({"true",
                   "false",
                   "null",
                   "0",
                   "-0",
                   "1",
                   "-1",
                   "12.5",
                   "1e5",
                   "1E-7",
                   "0.1",
                   "123456789012345678901234567890",
                   "1.7976931348623157e308",
                   "4.9e-324",
                   "2.2250738585072011e-308",
                   "9007199254740993",
                   "0.30000000000000004",
                   "1e22",
                   "1e23",
                   "-123.456e-10",
                   "1e-400",
                   "100000000000000000000000"});
    case 1:
      return std::to_string(random() % 1000000) + "." + std::to_string(random() % 100000) + "e" +
             std::to_string(static_cast<int>(random() % 60) - 30);
    case 2:
    case 3:
      return pick({R"("")", R"("plain")", R"("é ü 中文 😀")", R"("\u00e9\ud83d\ude00")",
                   R"("esc \" \\ \/ \b \f \n \r \t")", R"("\u0000")", R"("a\u0041b")"});
    case 4: {
      std::string text = "[";
      int n = static_cast<int>(random() % 4);
      for (int i = 0; i < n; ++i) text += (i ? " , " : "") + RandomJson(random, depth + 1);
      return text + "]";
    }
    default: {
      std::string text = "{";
      int n = static_cast<int>(random() % 4);
      for (int i = 0; i < n; ++i) {
        text += (i ? ",\n" : "") + pick({R"("a")", R"("b")", R"("é")", R"("")"}) + " : " +
                RandomJson(random, depth + 1);
      }
      return text + "}";
    }
  }
}

}  // namespace

TEST_CASE("The reader agrees with nlohmann/json on valid and broken texts", "[json]") {
  std::mt19937 random(20261126);
  const std::string kNoise[] = {"",    "{",   "}", "[",  "]",   ",",       ":",           "\"",
                                "\\",  "-",   ".", "e",  "0",   "\x01",    "\xff",        "\xc3",
                                "tru", "nul", " ", "\n", "\\u", "\\ud800", "\xEF\xBB\xBF"};
  int agreed_valid = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = RandomJson(random, 0);
    if (i % 2 == 1) {  // break it
      std::size_t at = random() % (text.size() + 1);
      const std::string& noise = kNoise[random() % (sizeof(kNoise) / sizeof(kNoise[0]))];
      if (random() % 2 == 0 && at < text.size()) text.erase(at, 1);
      text.insert(at, noise);
    }
    Value ours, theirs;
    std::string error;
    bool ours_ok = ParseJsonValue(text, &ours, &error);
    bool theirs_ok = OracleParse(text, &theirs);
    INFO(text);
    REQUIRE(ours_ok == theirs_ok);
    if (ours_ok) {
      REQUIRE(SameValue(ours, theirs));
      ++agreed_valid;
    } else {
      CHECK_FALSE(error.empty());
    }
  }
  CHECK(agreed_valid > 10000);
}

TEST_CASE("Numbers read exactly as the C library's strtod reads them", "[json]") {
  std::mt19937_64 random(42);
  auto check = [](const std::string& text) {
    Value v;
    std::string error;
    errno = 0;
    double expected = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(expected)) {
      CHECK_FALSE(ParseJsonValue(text, &v, &error));
      return;
    }
    INFO(text);
    REQUIRE(ParseJsonValue(text, &v, &error));
    double got = v.number_value();
    CHECK(std::memcmp(&got, &expected, sizeof got) == 0);
  };
  for (const char* text :
       {"0",
        "-0",
        "1",
        "0.1",
        "0.30000000000000004",
        "9007199254740993",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.7976931348623159e308",
        "4.9e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "1e23",
        "8.589973e9",
        "123456789012345678901234567890e-40",
        "1e-400",
        "-1e-400",
        "1e400",
        "0.000000000000000000000000000000000000000000001",
        "4.4501477170144022721148195934182639518696390927032912960468522194496444440421538910330590"
        "47e-308"}) {
    check(text);
  }
  for (int i = 0; i < 100000; ++i) {
    int digits = 1 + static_cast<int>(random() % 25);
    std::string text = random() % 2 ? "-" : "";
    text += static_cast<char>('1' + random() % 9);
    for (int k = 1; k < digits; ++k) text += static_cast<char>('0' + random() % 10);
    if (random() % 2) text.insert(text.size() - random() % digits, ".");
    if (text.back() == '.') text += "0";
    text += "e" + std::to_string(static_cast<int>(random() % 660) - 340);
    check(text);
  }
  // Halfway between neighbouring doubles, where digits far down decide: the midpoint is exact in
  // x86's long double and printed with up to 1,000 digits (past the reader's 800).
  for (int i = 0; i < 300; ++i) {
    double d =
        std::ldexp(static_cast<double>(random() >> 11), static_cast<int>(random() % 1400) - 1100);
    long double middle = (static_cast<long double>(d) + std::nextafter(d, HUGE_VAL)) / 2;
    std::vector<char> buffer(1200);
    for (int precision : {16, 17, 25, 790, 1000}) {
      std::snprintf(buffer.data(), buffer.size(), "%.*Le", precision, middle);
      check(buffer.data());
    }
  }
}
