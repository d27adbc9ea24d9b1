#include "collector/bounded_server.h"

#include <catch2/catch.hpp>
#include <string>

namespace {

using mqlscore::RequestHeadMeter;
using Verdict = RequestHeadMeter::Verdict;

// The verdict after the last byte of `text`, or kTooLarge as soon as a byte gets it.
Verdict Feed(RequestHeadMeter& meter, const std::string& text) {
  Verdict verdict = Verdict::kReading;
  for (char byte : text) {
    verdict = meter.Count(byte);
    if (verdict == Verdict::kTooLarge) break;
  }
  return verdict;
}

std::string Head(int header_lines, const char* newline = "\r\n") {
  std::string head = std::string("GET / HTTP/1.1") + newline;
  for (int i = 0; i < header_lines; ++i) head += "X-" + std::to_string(i) + ": y" + newline;
  return head + newline;
}

}  // namespace

TEST_CASE("A request head within the limits ends at its blank line", "[bounded_server]") {
  mqlscore::RequestLimits limits;
  limits.max_header_lines = 3;
  RequestHeadMeter meter(limits);
  SECTION("with CRLF") { CHECK(Feed(meter, Head(3)) == Verdict::kHeadDone); }
  SECTION("with bare LF") { CHECK(Feed(meter, Head(3, "\n")) == Verdict::kHeadDone); }
  SECTION("the body after it is not counted") {
    CHECK(Feed(meter, Head(3) + std::string(100000, '\n')) == Verdict::kHeadDone);
  }
  SECTION("a head not yet ended is still being read") {
    CHECK(Feed(meter, "GET / HTTP/1.1\r\nHost: a\r\n") == Verdict::kReading);
  }
  SECTION("blank lines before the request line do not end it") {
    CHECK(Feed(meter, "\r\n\r\nGET / HTTP/1.1\r\n") == Verdict::kReading);
  }
}

TEST_CASE("A request head with too many header lines or bytes is too large", "[bounded_server]") {
  mqlscore::RequestLimits limits;
  limits.max_header_lines = 3;
  limits.max_head_bytes = 100;
  RequestHeadMeter meter(limits);
  SECTION("one header line too many") { CHECK(Feed(meter, Head(4)) == Verdict::kTooLarge); }
  SECTION("40,000 header lines stop at the fourth") {
    CHECK(Feed(meter, Head(40000)) == Verdict::kTooLarge);
  }
  SECTION("one long line") {
    CHECK(Feed(meter, "GET /" + std::string(100, 'a')) == Verdict::kTooLarge);
  }
  SECTION("the next request on the connection starts afresh") {
    CHECK(Feed(meter, Head(3)) == Verdict::kHeadDone);
    meter.Reset();
    CHECK(Feed(meter, Head(2)) == Verdict::kHeadDone);
  }
}
