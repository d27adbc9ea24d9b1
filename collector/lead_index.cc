#include "collector/lead_index.h"

#include "collector/signal_json.h"
#include "core/strings.h"

namespace mqlscore {

KnownFacts FactsOfBatch(const std::vector<StoredSignal>& batch) {
  KnownFacts known;
  for (const StoredSignal& s : batch) {
    if (!s.snapshot.empty()) {
      known[s.id] = {FactsOfSnapshot(s.snapshot), s.reasons.empty() ? "" : s.reasons[0].rule};
    }
  }
  return known;
}

SignalFacts FactsOfStoredSignal(const std::string& snapshot, const std::string& reasons_json) {
  std::vector<Reason> reasons;
  bool read = ReadReasonsJson(reasons_json, &reasons).ok() && !reasons.empty();
  return {FactsOfSnapshot(snapshot), read ? reasons[0].rule : ""};
}

std::string PersonOf(const SnapshotFacts& who, const std::string& visitor) {
  return who.email.empty() ? "visitor:" + visitor : who.email;
}

bool HeadsPerson(const std::string& visitor, double ts, const std::string& other, double other_ts) {
  return other.empty() || ts > other_ts || (ts == other_ts && visitor < other);
}

std::string SearchTextOf(const SnapshotFacts& who, const std::string& visitor) {
  return AsciiLower(who.email + "\n" + who.name + "\n" + who.company + "\n" + visitor);
}

const char kUnknownSort[] =
    "sort must be one of last_activity, score, engagement, fit, name, email, company, stage, "
    "status";

const char* LeadSortColumn(const std::string& sort) {
  static const std::pair<const char*, const char*> kSorts[] = {
      {"last_activity", "i.ts"}, {"score", "i.score"}, {"engagement", "i.engagement"},
      {"fit", "i.fit"},          {"name", "i.name"},   {"email", "i.email"},
      {"company", "i.company"},  {"stage", "i.stage"}, {"status", "i.status"}};
  for (const auto& [name, column] : kSorts) {
    if (sort == name) return column;
  }
  return nullptr;
}

}  // namespace mqlscore
