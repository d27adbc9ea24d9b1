#include "core/timestamp.h"

#include <catch2/catch.hpp>

using mqlscore::ParseRfc3339;

TEST_CASE("RFC 3339 times become milliseconds since the epoch", "[timestamp]") {
  double ms = 0;
  REQUIRE(ParseRfc3339("2026-01-02T10:00:00Z", &ms));
  CHECK(ms == 1767348000000.0);
  REQUIRE(ParseRfc3339("2026-01-02T12:00:00+02:00", &ms));
  CHECK(ms == 1767348000000.0);
  REQUIRE(ParseRfc3339("2026-01-02t10:00:00.250z", &ms));
  CHECK(ms == 1767348000250.0);
  REQUIRE(ParseRfc3339("1970-01-01 00:00:00-00:30", &ms));
  CHECK(ms == 1800000.0);
  REQUIRE(ParseRfc3339("2024-02-29T00:00:00Z", &ms));
}

TEST_CASE("Malformed or impossible times are refused", "[timestamp]") {
  double ms = 0;
  for (const char* bad : {"2026-01-02", "2026-01-02T10:00:00", "2026-13-01T00:00:00Z",
                          "2025-02-29T00:00:00Z", "2026-01-02T24:00:00Z", "2026-01-02T10:00:00+2",
                          "2026-01-02T10:00:00.Z", "yesterday", "2026-01-02T10:00:00Zjunk", ""}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad, &ms));
  }
}

TEST_CASE("Formatting is the inverse of parsing", "[timestamp]") {
  CHECK(mqlscore::FormatRfc3339(1767348000000.0) == "2026-01-02T10:00:00Z");
  CHECK(mqlscore::FormatRfc3339(1767348000250.0) == "2026-01-02T10:00:00.250Z");
  CHECK(mqlscore::FormatRfc3339(-1000.0) == "1969-12-31T23:59:59Z");
}
