#include "cli/visitor_index.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using mqlscore::VisitorIndex;

TEST_CASE("Visitor ids get dense indexes in order of first appearance", "[visitor_index]") {
  VisitorIndex index;
  std::vector<std::string> ids;  // what the caller keeps, by index
  auto id_of = [&ids](std::uint32_t i) -> std::string_view { return ids[i]; };
  auto find_or_add = [&](const std::string& id) {
    bool added = false;
    std::uint32_t i = index.FindOrAdd(id, id_of, &added);
    if (added) ids.push_back(id);
    return std::make_pair(i, added);
  };
  CHECK(find_or_add("a") == std::make_pair(0u, true));
  CHECK(find_or_add("b") == std::make_pair(1u, true));
  CHECK(find_or_add("a") == std::make_pair(0u, false));
  CHECK(find_or_add("") == std::make_pair(2u, true));
  CHECK(find_or_add("") == std::make_pair(2u, false));

  SECTION("through many growths") {
    for (int i = 0; i < 100000; ++i) find_or_add("v-" + std::to_string(i));
    REQUIRE(ids.size() == 100003);
    for (int i = 0; i < 100000; i += 997) {
      CHECK(find_or_add("v-" + std::to_string(i)) ==
            std::make_pair(static_cast<std::uint32_t>(i + 3), false));
    }
    CHECK(find_or_add("b") == std::make_pair(1u, false));
  }
}
