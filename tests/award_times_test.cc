#include "core/award_times.h"

#include <catch2/catch.hpp>
#include <utility>
#include <vector>

using mqlscore::AwardTimes;

namespace {

std::vector<double> Items(const AwardTimes& times) { return {times.begin(), times.end()}; }

AwardTimes Of(std::initializer_list<double> values) {
  AwardTimes times;
  for (double value : values) times.push_back(value);
  return times;
}

}  // namespace

TEST_CASE("Award times keep their order in place and on the heap", "[award_times]") {
  for (int n : {0, 1, 3, 4, 100}) {
    AwardTimes times;
    std::vector<double> expected;
    for (int i = 0; i < n; ++i) {
      times.push_back(i * 10.0);
      expected.push_back(i * 10.0);
    }
    CHECK(times.size() == static_cast<std::uint32_t>(n));
    CHECK(Items(times) == expected);
  }
}

TEST_CASE("Dropping through a time removes that time and all older ones", "[award_times]") {
  SECTION("held in place") {
    AwardTimes times = Of({10, 20, 30});
    times.DropThrough(20);
    CHECK(Items(times) == std::vector<double>{30});
    times.DropThrough(5);
    CHECK(Items(times) == std::vector<double>{30});
    times.DropThrough(30);
    CHECK(times.size() == 0);
    times.push_back(40);
    CHECK(Items(times) == std::vector<double>{40});
  }
  SECTION("on the heap") {
    AwardTimes times = Of({10, 20, 30, 40, 50});
    times.DropThrough(35);
    CHECK(Items(times) == (std::vector<double>{40, 50}));
    times.push_back(60);
    times.push_back(70);
    CHECK(Items(times) == (std::vector<double>{40, 50, 60, 70}));
  }
}

TEST_CASE("Copies and moves of award times are independent and complete", "[award_times]") {
  for (int n : {2, 6}) {
    AwardTimes original;
    for (int i = 0; i < n; ++i) original.push_back(i);
    AwardTimes copy = original;
    copy.push_back(99);
    CHECK(copy.size() == original.size() + 1);
    CHECK_FALSE(copy == original);

    AwardTimes assigned = Of({7});
    assigned = original;
    CHECK(assigned == original);

    AwardTimes moved = std::move(copy);
    CHECK(moved.size() == static_cast<std::uint32_t>(n + 1));
    CHECK(moved.end()[-1] == 99);

    AwardTimes move_assigned = Of({1, 2, 3, 4, 5});
    move_assigned = std::move(moved);
    CHECK(move_assigned.size() == static_cast<std::uint32_t>(n + 1));
    CHECK(Items(move_assigned).front() == 0);
  }
}
