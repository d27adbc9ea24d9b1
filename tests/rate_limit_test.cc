#include "collector/rate_limit.h"

#include <catch2/catch.hpp>

TEST_CASE("A client gets its burst at once, then its rate, and is told how long to wait",
          "[rate_limit]") {
  mqlscore::RateLimiter limiter(2, 3);
  for (int i = 0; i < 3; ++i) CHECK(limiter.Take("a", 100) == 0);
  CHECK(limiter.Take("a", 100) == 1);
  CHECK(limiter.Take("b", 100) == 0);    // each client has its own bucket
  CHECK(limiter.Take("a", 100.5) == 0);  // half a second at 2 a second: one more
  CHECK(limiter.Take("a", 100.5) == 1);
  CHECK(limiter.Take("a", 200) == 0);  // refilled, to the burst and no more
  CHECK(limiter.Take("a", 200) == 0);
  CHECK(limiter.Take("a", 200) == 0);
  CHECK(limiter.Take("a", 200) == 1);
  mqlscore::RateLimiter slow(0.1, 1);
  CHECK(slow.Take("c", 0) == 0);
  CHECK(slow.Take("c", 0) == 10);
}
