// Scores one visitor's events against a rule set (contract §2–§5) and emits stage_changed
// signals. Pure: time comes from the events and from the caller, never from a clock.
//
//   Visitor visitor(&rules, "v-123");
//   std::vector<Signal> signals;
//   visitor.Track(event, &signals);          // for each event, in order
//   visitor.ReportAt(now_ms, &signals);      // decay to the reporting time
//   Scores scores = visitor.ScoresAt(now_ms);
#ifndef MQLSCORE_CORE_VISITOR_H_
#define MQLSCORE_CORE_VISITOR_H_

#include <string>
#include <vector>

#include "core/event.h"
#include "core/json_reader.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/value.h"
#include "core/visitor_state.h"

namespace mqlscore {

// Unrounded scores; stages compare these.
struct Scores {
  double engagement = 0;
  double fit = 0;
  double score = 0;
};

// One rule's share of the current scores, rounded to 6 decimals (contract §5).
struct Reason {
  std::string rule;
  double points = 0;
};

// A stage change (contract §5). Numbers are rounded to 6 decimals.
struct Signal {
  std::string visitor;
  double ts = 0;
  std::string from, to;
  double engagement = 0, fit = 0, score = 0;
  std::vector<Reason> reasons;
};

// What one scored event did, for explanations (`mqlscore explain`).
struct Step {
  struct Award {
    std::string rule;
    double points = 0;     // the rule's points
    bool limited = false;  // matched, but its limit was used up: nothing awarded
  };
  std::string type;  // the event's type, or "session_start" for the synthetic one
  double ts = 0;     // the time it was scored at
  std::int64_t session_number = 0;
  std::vector<Award> awards;
  bool fit_changed = false;
  Scores scores;      // after the event, unrounded
  std::string stage;  // after the event
};

// Snapshots hold traits two levels down: they nest two levels deeper than events may.
constexpr int kMaxSnapshotDepth = kMaxValueDepth + 2;

// Rounds half away from zero to 6 decimal places, as every reported number is.
double RoundReported(double value);

class Visitor {
 public:
  // REQUIRES: `rules` is a successfully parsed rule set that outlives the Visitor.
  Visitor(const RuleSet* rules, std::string id);
  // Continues from a restored state. REQUIRES: state sized for `rules` (see core/snapshot.h).
  Visitor(const RuleSet* rules, VisitorState state);

  // Scores one event of this visitor, after a synthetic session_start when it opens a session.
  // Appends any stage change to *signals and, when `steps` is not null, one Step per scored event.
  void Track(const Event& event, std::vector<Signal>* signals, std::vector<Step>* steps = nullptr);

  // The time the functions below use when asked about `at`: a time before the latest event
  // counts as the latest event's time (engagement never grows back by asking about the past).
  double ReportingTime(double at) const;

  // Re-evaluates the stage with engagement decayed to `at` and appends a signal if it changed.
  void ReportAt(double at, std::vector<Signal>* signals);

  Scores ScoresAt(double at) const;
  // Each rule's share of ScoresAt(at), largest first (ties by rule id); rules with none left out.
  std::vector<Reason> ReasonsAt(double at) const;
  // The current stage's name; the last stage before the first event.
  const std::string& stage() const;
  const VisitorState& state() const { return state_; }

  // The whole scoring state as a versioned JSON document (format in docs/snapshot.md). Restoring
  // it and going on scores exactly as if the run had never stopped.
  Value Snapshot() const;
  // Restores a Snapshot() from its JSON text, read with ReadJson (core/json_reader.h). Fails
  // (kInvalid, "not a valid visitor snapshot: ...") when it is not one of this format version.
  // Made with other rules, it keeps what still applies: per-rule state by rule id, stages by
  // name; fit is recomputed from the traits.
  static Status FromSnapshotText(const RuleSet* rules, std::string_view text, Visitor* out);
  // The same for a snapshot another reader read (the browser's JSON.parse, nesting at most
  // kMaxSnapshotDepth deep): `read` says whether it made a document, `snapshot` is what it made.
  static Status FromSnapshot(const RuleSet* rules, const Status& read, const Value& snapshot,
                             Visitor* out);

 private:
  class Fields;
  void Start(double ts);
  void ScoreRules(const Fields& fields, std::string_view type, double ts, Step* step);
  // Whether rule `index` has used up its limit in the window ending at ts (drops expired awards).
  bool LimitUsedUp(const Limit& limit, std::size_t index, double ts);
  void EvaluateFit();
  void UpdateStage(double at, std::vector<Signal>* signals);
  int StageFor(const Scores& scores) const;

  const RuleSet* rules_;
  VisitorState state_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_VISITOR_H_
