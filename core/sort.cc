#include "core/sort.h"

namespace mqlscore {

std::vector<std::uint32_t> SortedIndices(std::uint32_t n, IndexLess less, const void* context) {
  std::vector<std::uint32_t> order(n), scratch(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  // Bottom-up merge sort: runs of `width` merged pairwise into scratch, then swapped back.
  for (std::uint32_t width = 1; width < n; width *= 2) {
    for (std::uint32_t left = 0; left < n; left += 2 * width) {
      std::uint32_t middle = left + width < n ? left + width : n;
      std::uint32_t right = middle + width < n ? middle + width : n;
      std::uint32_t i = left, j = middle, out = left;
      while (i < middle && j < right) {
        scratch[out++] = less(context, order[j], order[i]) ? order[j++] : order[i++];
      }
      while (i < middle) scratch[out++] = order[i++];
      while (j < right) scratch[out++] = order[j++];
    }
    order.swap(scratch);
  }
  return order;
}

}  // namespace mqlscore
