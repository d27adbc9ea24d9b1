#include "collector/verify.h"

#include <optional>
#include <vector>

#include "core/event.h"
#include "core/json_writer.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

// The reasons a signal claims are the replay's, rule for rule and point for point.
bool SameReasons(const std::vector<Reason>& replayed, const Value& claimed) {
  const Value::Array& items = claimed.array_items();
  if (items.size() != replayed.size()) return false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].Find("rule")->string_value() != replayed[i].rule ||
        items[i].Find("points")->number_value() != replayed[i].points) {
      return false;
    }
  }
  return true;
}

bool Reproduces(const std::vector<Signal>& replayed, const Value& signal) {
  double ts = signal.Find("ts")->number_value();
  for (const Signal& s : replayed) {
    if (s.ts == ts && s.from == signal.Find("from")->string_value() &&
        s.to == signal.Find("to")->string_value() &&
        s.engagement == signal.Find("engagement")->number_value() &&
        s.fit == signal.Find("fit")->number_value() &&
        s.score == signal.Find("score")->number_value() &&
        SameReasons(s.reasons, *signal.Find("reasons"))) {
      return true;
    }
  }
  return false;
}

void Replay(const Value& item, Visitor* visitor, std::vector<Signal>* replayed) {
  OwnedEvent event;
  if (event.Reset(item).ok()) visitor->Track(event.event(), replayed);
}

// Replays the evidence from its `first` event on; the snapshot after it when that reproduces
// the signal.
std::optional<std::string> ReplayFrom(Visitor visitor, std::size_t first, const Value& signal) {
  const Value::Array& evidence = signal.Find("evidence")->array_items();
  std::vector<Signal> replayed;
  for (std::size_t i = first; i < evidence.size(); ++i) Replay(evidence[i], &visitor, &replayed);
  std::string snapshot = ToJsonText(visitor.Snapshot());
  visitor.ReportAt(signal.Find("ts")->number_value(), &replayed);
  if (!Reproduces(replayed, signal)) return std::nullopt;
  return snapshot;
}

Verdict Judged(const std::optional<std::string>& snapshot, const char* otherwise) {
  return snapshot ? Verdict{"verified", *snapshot} : Verdict{otherwise, ""};
}

}  // namespace

Verdict Verify(const RulesByHash& rules, const Value& signal, const ChainLink* previous) {
  auto found = rules.find(signal.Find("rules_hash")->string_value());
  const RuleSet* current = found->second.get();
  const std::string& visitor_id = signal.Find("visitor")->string_value();
  // Without its oldest events the replay starts from less than the browser had: a signal it does
  // not reproduce may still be honest.
  const Value* complete = signal.Find("evidence_complete");
  const char* failed = complete != nullptr && complete->is_bool() && !complete->bool_value()
                           ? "unverifiable"
                           : "mismatch";
  if (signal.Find("previous") == nullptr) {
    return Judged(ReplayFrom(Visitor(current, visitor_id), 0, signal), failed);
  }
  if (previous == nullptr || previous->visitor != visitor_id) return {"unverifiable", ""};

  auto made_with = rules.find(previous->rules_hash);
  if (previous->rules_hash == found->first || made_with == rules.end()) {
    Visitor start(current, visitor_id);
    if (!Visitor::FromSnapshotText(current, previous->snapshot, &start).ok()) {
      return {"unverifiable", ""};
    }
    // Rules that are no longer loaded: the restore can only be tried before the first event.
    return Judged(ReplayFrom(start, 0, signal),
                  previous->rules_hash == found->first ? failed : "unverifiable");
  }
  // The rules changed since the previous signal: the browser scored the events before the page
  // load that brought the new rules with the old ones, then restored into the new. Which event
  // that was is not written down, so each point is tried (at most 201 short replays).
  Visitor before(made_with->second.get(), visitor_id);
  if (!Visitor::FromSnapshotText(made_with->second.get(), previous->snapshot, &before).ok()) {
    return {"unverifiable", ""};
  }
  const Value::Array& evidence = signal.Find("evidence")->array_items();
  std::vector<Signal> ignored;  // raised under the old rules: signals of their own
  for (std::size_t split = 0;; ++split) {
    Visitor after(current, visitor_id);
    if (Visitor::FromSnapshot(current, Status::Ok(), before.Snapshot(), &after).ok()) {
      std::optional<std::string> snapshot = ReplayFrom(after, split, signal);
      if (snapshot) return {"verified", *snapshot};
    }
    if (split == evidence.size()) break;
    Replay(evidence[split], &before, &ignored);
  }
  return {"unverifiable", ""};
}

}  // namespace mqlscore
