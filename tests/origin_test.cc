#include "collector/origin.h"

#include <catch2/catch.hpp>

using mqlscore::NormalizeOrigin;

namespace {

std::string Normalized(const std::string& text) {
  std::string out;
  mqlscore::Status status = NormalizeOrigin(text, &out);
  INFO(text << ": " << status.message());
  REQUIRE(status.ok());
  return out;
}

std::string Refusal(const std::string& text) {
  std::string out;
  mqlscore::Status status = NormalizeOrigin(text, &out);
  REQUIRE_FALSE(status.ok());
  return status.message();
}

}  // namespace

TEST_CASE("Allowed origins are written as browsers send them", "[origin]") {
  CHECK(Normalized("https://www.acme.com") == "https://www.acme.com");
  CHECK(Normalized("https://www.acme.com/") == "https://www.acme.com");
  CHECK(Normalized("HTTPS://WWW.Acme.COM") == "https://www.acme.com");
  CHECK(Normalized("https://www.acme.com:443") == "https://www.acme.com");
  CHECK(Normalized("http://localhost:80/") == "http://localhost");
  CHECK(Normalized("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
  CHECK(Normalized("http://[::1]:3000") == "http://[::1]:3000");
  CHECK(Normalized("http://[::1]") == "http://[::1]");
  CHECK(Normalized("*") == "*");
}

TEST_CASE("What is not an origin is refused, saying what an origin is", "[origin]") {
  CHECK(Refusal("www.acme.com") ==
        "--allow-origin \"www.acme.com\": the scheme must be http or https; an origin is "
        "scheme://host[:port], as in https://www.example.com");
  CHECK(Refusal("https://www.acme.com/pricing").find(": an origin has no path;") !=
        std::string::npos);
  CHECK(Refusal("https://www.acme.com?x").find(": an origin has no path;") != std::string::npos);
  CHECK(Refusal("https://").find(": no host;") != std::string::npos);
  CHECK(Refusal("https://www.acme.com:").find(": no port after the colon;") != std::string::npos);
  CHECK(Refusal("https://www.acme.com:44x").find(": the port must be a number;") !=
        std::string::npos);
  CHECK(Refusal("ftp://acme.com").find("the scheme must be http or https") != std::string::npos);
}
