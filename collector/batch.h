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

// Reads a batch's body and appends one row per signal to *rows, its verdict set (verify.h).
// A batch is all or nothing: fails kInvalid naming the first problem ("not JSON: ...",
// "signals[2]: ts must be a number"), or kTooLarge past kMaxSignalsPerBatch signals; *rows is
// then unchanged.
Status ReadBatch(std::string_view body, const RulesByHash& rules, std::vector<StoredSignal>* rows);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_BATCH_H_
