#include "collector/admin_auth.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

using mqlscore::AdminAuth;

namespace {

std::string TokenFile(const std::string& text) {
  char path[] = "/tmp/mqlscore-tokens-XXXXXX";
  ::close(::mkstemp(path));
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("Tokens name who made a request, anything else names nobody", "[admin_auth]") {
  AdminAuth auth;
  REQUIRE(auth.ReadTokenFile(
                  TokenFile("# the team\nann:0123456789abcdef\n\nbob:fedcba9876543210xyz\r\n"))
              .ok());
  CHECK(auth.NameForToken("0123456789abcdef") == "ann");
  CHECK(auth.NameForToken("fedcba9876543210xyz") == "bob");
  CHECK(auth.NameForToken("0123456789abcdeF") == "");
  CHECK(auth.NameForToken("0123456789abcde") == "");
  CHECK(auth.NameForToken("") == "");
}

TEST_CASE("A bad token file is refused, naming the line", "[admin_auth]") {
  AdminAuth auth;
  std::string path = TokenFile("ann:short\n");
  CHECK(auth.ReadTokenFile(path).message() ==
        "--admin-token-file " + path + ":1: the token must be at least 16 characters");
  path = TokenFile("# only a comment\n:0123456789abcdef\n");
  CHECK(AdminAuth().ReadTokenFile(path).message() ==
        "--admin-token-file " + path + ":2: expected name:token");
  path = TokenFile("\n");
  CHECK(AdminAuth().ReadTokenFile(path).message() ==
        "--admin-token-file " + path + ": no token in it");
}

TEST_CASE("Sessions last twelve hours and end when asked", "[admin_auth]") {
  AdminAuth auth;
  std::string id = auth.StartSession("ann", 1000);
  CHECK(id.size() == 64);
  CHECK(auth.SessionName(id, 1000 + AdminAuth::kSessionMs - 1) == "ann");
  CHECK(auth.SessionName(id, 1000 + AdminAuth::kSessionMs) == "");
  std::string other = auth.StartSession("bob", 1000);
  CHECK(other != id);
  auth.EndSession(other);
  CHECK(auth.SessionName(other, 2000) == "");
}

TEST_CASE("Loopback addresses are this machine's", "[admin_auth]") {
  CHECK(mqlscore::IsLoopbackAddress("127.0.0.1"));
  CHECK(mqlscore::IsLoopbackAddress("127.1.2.3"));
  CHECK(mqlscore::IsLoopbackAddress("::1"));
  CHECK(mqlscore::IsLoopbackAddress("::ffff:127.0.0.1"));
  CHECK_FALSE(mqlscore::IsLoopbackAddress("10.0.0.2"));
  CHECK_FALSE(mqlscore::IsLoopbackAddress("::ffff:10.0.0.2"));
  CHECK_FALSE(mqlscore::IsLoopbackAddress("1127.0.0.1"));
}

TEST_CASE("Behind a proxy on this machine the client is the one X-Forwarded-For names",
          "[admin_auth]") {
  CHECK(mqlscore::ClientAddress("127.0.0.1", "203.0.113.7") == "203.0.113.7");
  CHECK(mqlscore::ClientAddress("::1", "10.0.0.1, 203.0.113.7 ") == "203.0.113.7");
  CHECK(mqlscore::ClientAddress("127.0.0.1", "") == "127.0.0.1");
  SECTION("from anywhere else the header is the client's own word") {
    CHECK(mqlscore::ClientAddress("203.0.113.7", "127.0.0.1") == "203.0.113.7");
  }
}
