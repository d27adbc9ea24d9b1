#include "collector/handoff.h"

#include <catch2/catch.hpp>

using mqlscore::StatusChangeProblem;

TEST_CASE("A lead's status moves new, accepted, sql, won, or is rejected with a reason, or lost",
          "[handoff]") {
  CHECK(StatusChangeProblem("new", "accepted", "").empty());
  CHECK(StatusChangeProblem("new", "rejected", "no budget").empty());
  CHECK(StatusChangeProblem("accepted", "sql", "").empty());
  CHECK(StatusChangeProblem("accepted", "lost", "").empty());
  CHECK(StatusChangeProblem("sql", "won", "").empty());
  CHECK(StatusChangeProblem("closed-won", "lost", "").empty());  // a CRM's label, imported
}

TEST_CASE("A change the handoff does not allow says which would be", "[handoff]") {
  CHECK(StatusChangeProblem("new", "won", "") ==
        "a lead that is new can become accepted or rejected, not won");
  CHECK(StatusChangeProblem("accepted", "new", "") ==
        "status must be one of accepted, rejected, sql, won or lost, not \"new\"");
  CHECK(StatusChangeProblem("new", "rejected", " ") ==
        "a rejected lead needs a reason (\"reason\": \"no budget this year\")");
  CHECK(StatusChangeProblem("won", "lost", "") ==
        "a lead that is won is done; it cannot become lost");
}

TEST_CASE("The statuses export as the outcomes CSV that backtest reads", "[handoff]") {
  CHECK(mqlscore::OutcomesCsv({{"v-1", "sql", "", "ann", 1767225600000}}, {"ann@north.com"}) ==
        "\"visitor\",\"email\",\"outcome\",\"ts\"\r\n"
        "\"v-1\",\"ann@north.com\",\"sql\",\"2026-01-01T00:00:00Z\"\r\n");
}
