#include "core/strings.h"

#include <catch2/catch.hpp>

using mqlscore::GlobMatch;

TEST_CASE("Glob matches the whole value, ASCII case-insensitively", "[strings]") {
  CHECK(GlobMatch("/pricing*", "/Pricing/enterprise"));
  CHECK(GlobMatch("/pricing*", "/pricing"));
  CHECK_FALSE(GlobMatch("/pricing", "/pricing/x"));
  CHECK_FALSE(GlobMatch("pricing*", "/pricing"));
}

TEST_CASE("Glob star crosses slashes and question mark takes exactly one character", "[strings]") {
  CHECK(GlobMatch("/docs/*.pdf", "/docs/a/b/c.PDF"));
  CHECK(GlobMatch("/v?/x", "/v2/x"));
  CHECK_FALSE(GlobMatch("/v?/x", "/v/x"));
  CHECK_FALSE(GlobMatch("/v?/x", "/v22/x"));
  CHECK(GlobMatch("caf?", "café"));
  CHECK(GlobMatch("*", ""));
  CHECK_FALSE(GlobMatch("?", ""));
}

TEST_CASE("Glob with many stars stays fast on a long non-matching value", "[strings]") {
  std::string text(100000, 'a');
  CHECK_FALSE(GlobMatch("*a*a*a*a*a*a*b", text));
}

TEST_CASE("Case-insensitive helpers fold ASCII only", "[strings]") {
  CHECK(mqlscore::StartsWithIgnoreCase("HTTPS://x", "https://"));
  CHECK(mqlscore::EndsWithIgnoreCase("report.PDF", ".pdf"));
  CHECK(mqlscore::ContainsIgnoreCase("Book a DEMO today", "demo"));
  CHECK_FALSE(mqlscore::EqualsIgnoreCase("É", "é"));
}

TEST_CASE("Messages quote user text and cut it short", "[strings]") {
  CHECK(mqlscore::QuoteForMessage("a\"b") == "\"a\\\"b\"");
  std::string quoted = mqlscore::QuoteForMessage(std::string(1000, 'x'));
  CHECK(quoted == "\"" + std::string(60, 'x') + "...\"");
}
