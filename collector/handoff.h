// The handoff from marketing to sales (docs/collector.md, "The handoff"): a lead's sales status,
// `new` when it becomes an MQL, then what sales says of it, and the statuses as the outcomes CSV
// that `mqlscore backtest` reads (../shared/spec/backtest-v1.md).
#ifndef MQLSCORE_COLLECTOR_HANDOFF_H_
#define MQLSCORE_COLLECTOR_HANDOFF_H_

#include <string>
#include <vector>

#include "collector/store.h"

namespace mqlscore {

// Why a lead of status `current` cannot become `next` with `reason`, or "" when it can:
//   new -> accepted | rejected;  accepted -> sql | rejected | lost;  sql -> won | lost.
// `rejected` needs a reason; rejected, won and lost are final. A status a CRM import brought
// (any other label) may become any of the team's.
std::string StatusChangeProblem(const std::string& current, const std::string& next,
                                const std::string& reason);

// The outcomes CSV (visitor,email,outcome,ts): one row per change, `emails[i]` the lead of
// changes[i]'s e-mail, times in RFC 3339.
std::string OutcomesCsv(const std::vector<StatusChange>& changes,
                        const std::vector<std::string>& emails);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_HANDOFF_H_
