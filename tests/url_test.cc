#include "core/url.h"

#include <catch2/catch.hpp>

using mqlscore::SplitUrl;

TEST_CASE("Host is lower-cased and loses port and user info", "[url]") {
  auto parts = SplitUrl("https://user:pw@WWW.Example.COM:8443/Pricing?x=1#top");
  CHECK(parts.has_host);
  CHECK(parts.host() == "www.example.com");
  CHECK(parts.path == "/Pricing");
  CHECK(parts.query == "x=1");
}

TEST_CASE("Path is as sent, without query and fragment, and / when empty", "[url]") {
  CHECK(SplitUrl("https://example.com").path == "/");
  CHECK(SplitUrl("https://example.com?a=1").path == "/");
  CHECK(SplitUrl("https://example.com#x").path == "/");
  CHECK(SplitUrl("https://example.com/a%20b/").path == "/a%20b/");
  CHECK(SplitUrl("/relative/page?q=1").path == "/relative/page");
  CHECK_FALSE(SplitUrl("/relative/page").has_host);
  CHECK(SplitUrl("//cdn.example.com/x").host() == "cdn.example.com");
  CHECK(SplitUrl("http://[::1]:8080/x").host() == "[::1]");
}

TEST_CASE("Odd authorities split without reading past the URL", "[url]") {
  CHECK(SplitUrl("http://").host().empty());
  CHECK(SplitUrl("//").host().empty());
  CHECK(SplitUrl("http://user@").host().empty());
  CHECK(SplitUrl("http://a@b@Host.example:1?q").host() == "host.example");
  CHECK(SplitUrl("http://a@b@Host.example:1?q").query == "q");
  CHECK(SplitUrl("http://USER:PW@host.example/").host() == "host.example");
  CHECK(SplitUrl("http://[FE80::1]/").host() == "[fe80::1]");
  CHECK(SplitUrl("http://[::1/x").host().empty());
  CHECK(SplitUrl("http://[::1/x").path == "/x");
}

TEST_CASE("Query values are percent-decoded with plus as space, first occurrence first", "[url]") {
  std::vector<std::pair<std::string, std::string>> params;
  mqlscore::ForEachQueryParam("a=1&b=x+y%21&a=2&flag&%7A=%zz", [&](std::string n, std::string v) {
    params.emplace_back(n, v);
    return true;
  });
  REQUIRE(params.size() == 5);
  CHECK(params[0] == std::make_pair(std::string("a"), std::string("1")));
  CHECK(params[1].second == "x y!");
  CHECK(params[3] == std::make_pair(std::string("flag"), std::string("")));
  CHECK(params[4] == std::make_pair(std::string("z"), std::string("%zz")));
}
