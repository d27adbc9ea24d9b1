// A stable sort of indices under a caller's ordering.
//
// One plain function rather than std::sort/std::stable_sort: each of their instantiations costs
// ~5 KB of the WebAssembly build, and the core sorts only short lists, rarely.
#ifndef MQLSCORE_CORE_SORT_H_
#define MQLSCORE_CORE_SORT_H_

#include <cstdint>
#include <vector>

namespace mqlscore {

// True when the item at index `a` goes before the one at `b`; `context` is the caller's data.
using IndexLess = bool (*)(const void* context, std::uint32_t a, std::uint32_t b);

// Returns 0..n-1 ordered by `less`, equal items keeping their order. O(n log n).
std::vector<std::uint32_t> SortedIndices(std::uint32_t n, IndexLess less, const void* context);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_SORT_H_
