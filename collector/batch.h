// A batch of signals as POST /v1/signals receives it (docs/signals.md): checked field by field,
// each signal verified against its evidence, and mapped to the rows the store keeps.
#ifndef MQLSCORE_COLLECTOR_BATCH_H_
#define MQLSCORE_COLLECTOR_BATCH_H_

#include <string>
#include <string_view>
#include <vector>

#include "collector/store.h"
#include "collector/verify.h"
#include "core/status.h"

namespace mqlscore {

constexpr std::size_t kMaxSignalsPerBatch = 500;

// Times a signal and its evidence may carry: within this many days before the collector's clock,
// and at most a day after it (clocks drift; a year 2100 or a 1e300 cannot be true).
constexpr double kMaxSignalAgeDays = 3650;
constexpr double kMaxClockSkewMs = 24 * 3600 * 1000.0;

// Finds the chain link kept for a verified signal: sets *found and, when true, *link.
using FindLink = std::function<Status(const std::string& signal_id, ChainLink* link, bool* found)>;

// Reads a batch's body, received at `now_ms` (ms since the epoch), and appends one row per signal
// to *rows, its verdict set (verify.h). A chained signal's `previous` is looked up among the
// batch's earlier signals, then in `chains`. A signal without `previous` for a visitor that has
// verified signals does not continue its chain: it is "unverifiable" (a known visitor id alone
// cannot make a lead). A batch is all or nothing: fails kInvalid naming the first problem ("not
// JSON: ...", "signals[2]: ts must be a number", a rules_hash or stage the collector's rules do
// not have), kTooLarge past kMaxSignalsPerBatch signals, or with the failure of `chains`; *rows
// is then unchanged.
Status ReadBatch(std::string_view body, const RulesByHash& rules, ChainLookup* chains,
                 double now_ms, std::vector<StoredSignal>* rows);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_BATCH_H_
