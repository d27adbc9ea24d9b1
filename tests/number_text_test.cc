#include "core/number_text.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

using mqlscore::AppendNumberText;

namespace {

std::string Text(double d) {
  std::string out;
  AppendNumberText(d, &out);
  return out;
}

}  // namespace

// The expected texts are what Node 20 prints with String(d), which is what the WebAssembly build
// uses (wasm/number_text.cc) and what JSON.stringify writes.
TEST_CASE("Numbers are written as JavaScript writes them", "[number_text]") {
  const std::pair<double, const char*> cases[] = {
      {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.0 / 3, "0.3333333333333333"},
      {-2.0 / 3, "-0.6666666666666666"},
      {12.345678, "12.345678"},
      {4.35, "4.35"},
      {100.5, "100.5"},
      {20.0, "20"},
      {-7.0, "-7"},
      {0.0, "0"},
      {-0.0, "0"},
  };
  for (const auto& [d, text] : cases) CHECK(Text(d) == text);
}

TEST_CASE("Very small and very large numbers switch to exponents where JavaScript does",
          "[number_text]") {
  const std::pair<double, const char*> cases[] = {
      {0.000001, "0.000001"},
      {-0.0000012345, "-0.0000012345"},
      {2.5e-5, "0.000025"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {5e-7, "5e-7"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {9007199254740992.0, "9007199254740992"},
      {18014398509481984.0, "18014398509481984"},
      {1152921504606846976.0, "1152921504606847000"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e21, "1e+21"},
      {1.23e22, "1.23e+22"},
      {-3.0e300, "-3e+300"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
  };
  for (const auto& [d, text] : cases) CHECK(Text(d) == text);
}
