#include "collector/batch.h"

#include <algorithm>
#include <map>
#include <set>

#include "collector/verify.h"
#include "core/json_reader.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

constexpr std::size_t kMaxEvidence = 200;
constexpr std::size_t kMaxReasons = 200;
constexpr std::size_t kMaxText = 128;

// A non-empty string of at most `max` bytes without control characters (a NUL would be stored
// whole but read back cut, a line break would split a log line).
bool IsText(const Value* v, std::size_t max) {
  if (v == nullptr || !v->is_string()) return false;
  const std::string& text = v->string_value();
  if (text.empty() || text.size() > max) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}
bool IsNumber(const Value* v) { return v != nullptr && v->is_number(); }

bool IsSignalId(const Value* v) {
  if (!IsText(v, 64)) return false;
  for (char c : v->string_value()) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Whether `ts` (ms since the epoch, or an RFC 3339 time) can be true at `now_ms`.
bool PlausibleTime(const Value& ts, double now_ms) {
  double ms = 0;
  if (ts.is_number()) {
    ms = ts.number_value();
  } else if (!ts.is_string() || !ParseRfc3339(ts.string_value(), &ms)) {
    return true;  // not a time at all: the replay refuses the event, the verdict says so
  }
  return ms >= now_ms - kMaxSignalAgeDays * 24 * 3600 * 1000.0 && ms <= now_ms + kMaxClockSkewMs;
}

// Checks one signal against the payload of docs/signals.md and the collector's rules; returns ""
// or what is wrong.
std::string CheckSignal(const Value& s, const RulesByHash& rules, double now_ms) {
  if (!s.is_object()) return "a signal must be an object";
  if (!IsSignalId(s.Find("id"))) return "id must be 1 to 64 of A-Z a-z 0-9 - _";
  const Value* type = s.Find("type");
  if (type == nullptr || !type->is_string() || type->string_value() != "stage_changed") {
    return "type must be \"stage_changed\"";
  }
  for (const char* key : {"visitor", "from", "to"}) {
    if (!IsText(s.Find(key), kMaxText)) {
      return std::string(key) + " must be a string of 1 to 128 bytes, without control characters";
    }
  }
  for (const char* key : {"ts", "engagement", "fit", "score"}) {
    if (!IsNumber(s.Find(key))) return std::string(key) + " must be a number";
  }
  const Value* previous = s.Find("previous");
  if (previous != nullptr && !IsSignalId(previous)) {
    return "previous must be a signal id (1 to 64 of A-Z a-z 0-9 - _)";
  }
  const Value* hash = s.Find("rules_hash");
  if (!IsText(hash, 16) || hash->string_value().size() != 16) {
    return "rules_hash must be 16 hex digits";
  }
  auto scored_with = rules.find(hash->string_value());
  if (scored_with == rules.end()) {
    return "rules_hash " + hash->string_value() +
           " is none of the collector's rules files (mqlscore hash RULES.json; give each with "
           "--rules)";
  }
  for (const char* key : {"from", "to"}) {
    const std::string& stage = s.Find(key)->string_value();
    if (scored_with->second->StageIndex(stage) < 0) {
      return std::string(key) + " " + QuoteForMessage(stage) +
             " is not a stage of the rules file " + hash->string_value();
    }
  }
  const Value* reasons = s.Find("reasons");
  if (reasons == nullptr || !reasons->is_array() || reasons->array_items().size() > kMaxReasons) {
    return "reasons must be an array of at most 200";
  }
  for (const Value& r : reasons->array_items()) {
    if (!r.is_object() || !IsText(r.Find("rule"), 64) || !IsNumber(r.Find("points"))) {
      return "each reason must be {\"rule\": string, \"points\": number}";
    }
  }
  const Value* evidence = s.Find("evidence");
  if (evidence == nullptr || !evidence->is_array() ||
      evidence->array_items().size() > kMaxEvidence) {
    return "evidence must be an array of at most 200 events";
  }
  const std::string kWindow =
      " must be within the last 3650 days and at most a day after the "
      "collector's clock";
  if (!PlausibleTime(*s.Find("ts"), now_ms)) return "ts" + kWindow;
  const Value::Array& events = evidence->array_items();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!events[i].is_object()) return "each evidence event must be an object";
    const Value* ts = events[i].Find("ts");
    if (ts != nullptr && !PlausibleTime(*ts, now_ms)) {
      return "evidence[" + std::to_string(i) + "].ts" + kWindow;
    }
  }
  return "";
}

// Where a rules file's marketing-qualified leads start: its stage named "mql", else its lowest
// sticky stage, else its first.
std::size_t MqlStage(const RuleSet& rules) {
  int mql = rules.StageIndex("mql");
  if (mql >= 0) return static_cast<std::size_t>(mql);
  for (std::size_t k = rules.stages().size(); k-- > 0;) {
    if (rules.stages()[k].sticky) return k;
  }
  return 0;
}

// REQUIRES: CheckSignal(s) found nothing wrong.
StoredSignal ToRow(const std::string& site, const Value& s, const RulesByHash& rules,
                   const ChainLink* previous) {
  StoredSignal row;
  row.id = s.Find("id")->string_value();
  row.site = site;
  row.visitor = s.Find("visitor")->string_value();
  row.from = s.Find("from")->string_value();
  row.to = s.Find("to")->string_value();
  row.rules_hash = s.Find("rules_hash")->string_value();
  row.ts = s.Find("ts")->number_value();
  row.engagement = s.Find("engagement")->number_value();
  row.fit = s.Find("fit")->number_value();
  row.score = s.Find("score")->number_value();
  for (const Value& r : s.Find("reasons")->array_items()) {
    row.reasons.push_back({r.Find("rule")->string_value(), r.Find("points")->number_value()});
  }
  Verdict verdict = Verify(rules, s, previous);
  row.verdict = verdict.name;
  row.snapshot = verdict.snapshot;
  if (row.verdict == "verified") row.evidence = ToJsonText(*s.Find("evidence"));
  const RuleSet& scored_with = *rules.find(row.rules_hash)->second;
  row.qualifies = row.verdict == "verified" &&
                  static_cast<std::size_t>(scored_with.StageIndex(row.to)) <= MqlStage(scored_with);
  return row;
}

}  // namespace

Status ReadBatch(std::string_view body, const RulesByHash& rules, ChainLookup* chains,
                 double now_ms, std::vector<StoredSignal>* rows) {
  Value batch;
  Status read = ReadJson(body, kMaxValueDepth, &batch);
  if (!read.ok()) return Status::Invalid("not JSON: " + read.message());
  const Value* site = batch.Find("site");
  const Value* signals = batch.Find("signals");
  if (!batch.is_object() || signals == nullptr || !signals->is_array() ||
      signals->array_items().empty()) {
    return Status::Invalid("expected {\"site\": string, \"signals\": [...]}");
  }
  if (site == nullptr || !site->is_string()) return Status::Invalid("\"site\" must be a string");
  if (site->string_value().empty()) return Status::Invalid("\"site\" must not be empty");
  if (!IsText(site, kMaxText)) {
    return Status::Invalid("\"site\" must be at most 128 bytes, without control characters");
  }
  const Value::Array& items = signals->array_items();
  if (items.size() > kMaxSignalsPerBatch) {
    return Status::TooLarge("at most " + std::to_string(kMaxSignalsPerBatch) +
                            " signals per batch");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string problem = CheckSignal(items[i], rules, now_ms);
    if (!problem.empty()) {
      return Status::Invalid("signals[" + std::to_string(i) + "]: " + problem);
    }
  }
  // Which of the visitors whose signals claim to start a chain have one already.
  std::vector<std::string> starting;
  for (const Value& s : items) {
    if (s.Find("previous") == nullptr) starting.push_back(s.Find("visitor")->string_value());
  }
  std::set<std::string> chained;
  if (!starting.empty()) {
    Status looked_up = chains->VisitorsWithChain(starting, &chained);
    if (!looked_up.ok()) return looked_up;
  }
  std::vector<StoredSignal> checked;
  std::map<std::string, ChainLink> links;  // of this batch's verified signals
  for (const Value& s : items) {
    const Value* previous = s.Find("previous");
    const std::string& visitor = s.Find("visitor")->string_value();
    ChainLink link;
    bool found = false;
    if (previous != nullptr) {
      auto earlier = links.find(previous->string_value());
      if (earlier != links.end()) {
        link = earlier->second;
        found = true;
      } else {
        Status looked_up = chains->FindLink(previous->string_value(), &link, &found);
        if (!looked_up.ok()) return looked_up;
      }
    } else {
      bool known = chained.count(visitor) ||
                   std::any_of(links.begin(), links.end(),
                               [&](const auto& entry) { return entry.second.visitor == visitor; });
      if (known) {
        checked.push_back(ToRow(site->string_value(), s, rules, nullptr));
        checked.back().verdict = "unverifiable";  // it does not continue the visitor's chain
        checked.back().snapshot.clear();
        checked.back().qualifies = false;
        continue;
      }
    }
    checked.push_back(ToRow(site->string_value(), s, rules, found ? &link : nullptr));
    const StoredSignal& row = checked.back();
    if (row.verdict == "verified") links[row.id] = {row.visitor, row.rules_hash, row.snapshot};
  }
  rows->insert(rows->end(), checked.begin(), checked.end());
  return Status::Ok();
}

}  // namespace mqlscore
