// libFuzzer target: an outcomes CSV (backtest-v1.md §1) through the reader of backtest and of the
// collector's import.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cli/outcomes.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<mqlscore::OutcomeRow> rows;
  mqlscore::ReadOutcomes(std::string_view(reinterpret_cast<const char*>(data), size), &rows);
  return 0;
}
