// A batch of signals as POST /v1/signals receives it (docs/signals.md): checked field by field,
// each signal verified against its evidence, and mapped to the rows the store keeps.
#ifndef MQLSCORE_COLLECTOR_BATCH_H_
#define MQLSCORE_COLLECTOR_BATCH_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/store.h"
#include "core/rules.h"
#include "core/status.h"

namespace mqlscore {

// The rules files signals are verified against, by their hash.
using RulesByHash = std::map<std::string, std::unique_ptr<RuleSet>>;

constexpr std::size_t kMaxSignalsPerBatch = 500;

// Times a signal and its evidence may carry: within this many days before the collector's clock,
// and at most a day after it (clocks drift; a year 2100 or a 1e300 cannot be true).
constexpr double kMaxSignalAgeDays = 3650;
constexpr double kMaxClockSkewMs = 24 * 3600 * 1000.0;

// Reads a batch's body, received at `now_ms` (ms since the epoch), and appends one row per signal
// to *rows, its verdict set (verify.h). A batch is all or nothing: fails kInvalid naming the first
// problem ("not JSON: ...", "signals[2]: ts must be a number"), or kTooLarge past
// kMaxSignalsPerBatch signals; *rows is then unchanged.
Status ReadBatch(std::string_view body, const RulesByHash& rules, double now_ms,
                 std::vector<StoredSignal>* rows);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_BATCH_H_
