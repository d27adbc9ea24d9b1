#include "core/sort.h"

#include <catch2/catch.hpp>
#include <random>
#include <utility>

using mqlscore::SortedIndices;

namespace {

bool ByFirst(const void* context, std::uint32_t a, std::uint32_t b) {
  const auto* items = static_cast<const std::pair<int, int>*>(context);
  return items[a].first < items[b].first;
}

}  // namespace

TEST_CASE("Indices come back ordered, equal items in their original order", "[sort]") {
  std::mt19937 random(7);
  for (std::uint32_t n : {0u, 1u, 2u, 3u, 17u, 1000u}) {
    std::vector<std::pair<int, int>> items;
    for (std::uint32_t i = 0; i < n; ++i)
      items.push_back({static_cast<int>(random() % 10), static_cast<int>(i)});
    std::vector<std::uint32_t> order = SortedIndices(n, ByFirst, items.data());
    REQUIRE(order.size() == n);
    for (std::uint32_t i = 1; i < n; ++i) {
      const auto& before = items[order[i - 1]];
      const auto& after = items[order[i]];
      CHECK((before.first < after.first ||
             (before.first == after.first && before.second < after.second)));
    }
  }
}
