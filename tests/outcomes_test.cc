#include "cli/outcomes.h"

#include <catch2/catch.hpp>

namespace mqlscore {
namespace {

std::vector<OutcomeRow> Rows(const std::string& csv) {
  std::vector<OutcomeRow> rows;
  Status status = ReadOutcomes(csv, &rows);
  INFO(status.message());
  REQUIRE(status.ok());
  return rows;
}

std::string Problem(const std::string& csv) {
  std::vector<OutcomeRow> rows;
  Status status = ReadOutcomes(csv, &rows);
  REQUIRE_FALSE(status.ok());
  CHECK(rows.empty());
  return status.message();
}

}  // namespace

TEST_CASE("Outcome columns come in any order, others are ignored", "[outcomes]") {
  std::vector<OutcomeRow> rows =
      Rows("ts,note,outcome,visitor\n2026-01-10T00:00:00Z,first call,sql,v-1\n,,won,v-2\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].visitor == "v-1");
  CHECK(rows[0].outcome == "sql");
  CHECK(rows[0].has_ts);
  CHECK(rows[0].ts == 1768003200000);
  CHECK(rows[0].line == 2);
  CHECK_FALSE(rows[1].has_ts);
  CHECK(Rows("visitor,outcome,ts\nv,lost,1767225600000\n")[0].ts == 1767225600000);
}

TEST_CASE("A row with a visitor is keyed by it, without one, by its e-mail as compared",
          "[outcomes]") {
  std::vector<OutcomeRow> rows =
      Rows("email,visitor,outcome\n ann@north.com ,v-1,sql\n\"  Bob@North.COM\",,won\n");
  CHECK(rows[0].visitor == "v-1");
  CHECK(rows[0].email.empty());
  CHECK(rows[1].visitor.empty());
  CHECK(rows[1].email == "bob@north.com");
}

TEST_CASE("Quoted fields follow RFC 4180, a record's line is where it starts", "[outcomes]") {
  std::vector<OutcomeRow> rows = Rows(
      "\xEF\xBB\xBFvisitor,note,outcome\n\nv-1,\"two\nlines, and "
      "\"\"quotes\"\"\",sql\nv-2,,won\r\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].line == 3);
  CHECK(rows[1].line == 5);
  CHECK(rows[1].outcome == "won");
}

TEST_CASE("A malformed outcomes file is refused at its first bad row, with its line",
          "[outcomes]") {
  CHECK(Problem("") == "line 1: no header row");
  CHECK(Problem("visitor,result\nv,sql\n") ==
        "line 1: the header row must name an outcome column and a visitor or an email column (it "
        "has: visitor, result)");
  CHECK(Problem("visitor,outcome\nv,sql\nv,s q l\n") ==
        "line 3: outcome must be 1 to 64 of A-Z a-z 0-9 _ . - (got \"s q l\")");
  CHECK(Problem("visitor,outcome\nv," + std::string(65, 'x') + "\n").rfind("line 2: outcome", 0) ==
        0);
  CHECK(Problem("visitor,email,outcome\n,,sql\n") == "line 2: a row needs a visitor or an email");
  CHECK(Problem("visitor,outcome,ts\nv,sql,yesterday\n") ==
        "line 2: ts \"yesterday\" is neither milliseconds since the epoch nor an RFC 3339 time");
  CHECK(Problem("visitor,outcome\nv,sql,extra\n") == "line 2: 3 fields; the header row has 2");
  CHECK(Problem("visitor,outcome\nv,\"sql\n") ==
        "line 2: not valid CSV: a quoted field is not closed");
  CHECK(Problem("visitor,outcome\nv,\"sql\"x\n").rfind("line 2: not valid CSV: ", 0) == 0);
}

TEST_CASE("Outcome labels are 1 to 64 of A-Z a-z 0-9 _ . -", "[outcomes]") {
  CHECK(IsOutcomeLabel("closed-won.2026_Q1"));
  CHECK_FALSE(IsOutcomeLabel(""));
  CHECK_FALSE(IsOutcomeLabel("won!"));
  CHECK_FALSE(IsOutcomeLabel(std::string(65, 'a')));
}

}  // namespace mqlscore
