#include "collector/forwarder.h"

#include <catch2/catch.hpp>

TEST_CASE("Webhook signatures are HMAC-SHA256 in lower-case hex", "[forwarder]") {
  // RFC 4231, test case 2.
  CHECK(mqlscore::HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(mqlscore::HmacSha256Hex("secret", "1767225600.{}").size() == 64);
}

TEST_CASE("Retries back off from 250 ms, doubling to 30 s, with up to a quarter off", "[forwarder]") {
  CHECK(mqlscore::RetryDelayMs(1, 0) == 250);
  CHECK(mqlscore::RetryDelayMs(2, 0) == 500);
  CHECK(mqlscore::RetryDelayMs(3, 1) == 750);
  CHECK(mqlscore::RetryDelayMs(20, 0) == 30000);
  CHECK(mqlscore::RetryDelayMs(1000, 0) == 30000);
}
