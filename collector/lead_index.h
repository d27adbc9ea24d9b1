// How a visitor's row of the lead index is decided, whichever store keeps it (sqlite_store.h,
// postgres_store.h): who the lead is, which of a person's visitors the leads list shows, what its
// search matches, and the columns it sorts by.
#ifndef MQLSCORE_COLLECTOR_LEAD_INDEX_H_
#define MQLSCORE_COLLECTOR_LEAD_INDEX_H_

#include <map>
#include <string>
#include <vector>

#include "collector/store.h"

namespace mqlscore {

// What the lead index takes of a verified signal: who its state says the lead is, and the rule
// that gave it most.
struct SignalFacts {
  SnapshotFacts who;
  std::string top_rule;
};
// By signal id.
using KnownFacts = std::map<std::string, SignalFacts>;

// A batch's verified signals' facts (worked out before a store takes its locks).
KnownFacts FactsOfBatch(const std::vector<StoredSignal>& batch);
// Those of a stored signal, from its chain link's snapshot and its reasons' JSON.
SignalFacts FactsOfStoredSignal(const std::string& snapshot, const std::string& reasons_json);

// The person a visitor is: its e-mail, else "visitor:" and its id.
std::string PersonOf(const SnapshotFacts& who, const std::string& visitor);
// Whether `visitor`, last active at `ts`, is its person's head (the row the leads list shows)
// rather than `other`, the person's latest other visitor ("" for none).
bool HeadsPerson(const std::string& visitor, double ts, const std::string& other, double other_ts);
// What the leads list's search looks in: e-mail, name, company and visitor id, lower-cased.
std::string SearchTextOf(const SnapshotFacts& who, const std::string& visitor);

// The lead index's column (of `lead_index i`) a LeadFilter sorts by, or nullptr for a sort it
// does not know (then kUnknownSort is the answer).
const char* LeadSortColumn(const std::string& sort);
extern const char kUnknownSort[];

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_LEAD_INDEX_H_
