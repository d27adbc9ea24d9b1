// Everything the core remembers about one visitor between events: plain data, so it can be
// saved to a snapshot and restored (core/snapshot.h) with no loss.
#ifndef MQLSCORE_CORE_VISITOR_STATE_H_
#define MQLSCORE_CORE_VISITOR_STATE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/award_times.h"
#include "core/value.h"

namespace mqlscore {

// The five campaign fields, in this order, as utm.source ... utm.content.
constexpr std::array<const char*, 5> kUtmNames = {"utm_source", "utm_medium", "utm_campaign",
                                                  "utm_term", "utm_content"};

// Per engagement rule that has fired: its decayed sum of awards (for reasons) and what its limit
// counts.
struct RuleState {
  std::uint32_t rule = 0;  // index into the rule set's rules
  double sum = 0;          // awards decayed to sum_ts, before any clamp
  double sum_ts = 0;
  std::int64_t ever_awards = 0;
  std::int64_t session_awards = 0;  // awards in session `awards_session`
  std::int64_t awards_session = 0;
  AwardTimes recent_awards;  // inside the rolling day/week window

  bool operator==(const RuleState& o) const {
    return rule == o.rule && sum == o.sum && sum_ts == o.sum_ts && ever_awards == o.ever_awards &&
           session_awards == o.session_awards && awards_session == o.awards_session &&
           recent_awards == o.recent_awards;
  }
};

struct VisitorState {
  // What every event reads comes first, in as few cache lines as possible: a log interleaves
  // thousands of visitors, so each event meets its visitor's state cold.
  std::string id;
  double last_ts = 0;  // latest event time seen (time never runs backwards)
  std::int64_t session_number = 0;
  std::int64_t session_events = 0;
  bool started = false;   // false until the first event
  int stage = -1;         // index into the stages; -1 until started (then the last stage)
  int sticky_stage = -1;  // the highest sticky stage ever reached, or -1
  double engagement = 0;  // clamped, as of engagement_ts
  double engagement_ts = 0;
  double fit = 0;                // clamped
  std::vector<RuleState> rules;  // only rules that have fired, ordered by rule index
  // Empty, or the five utm values of the session's first event that carried any utm_* parameter.
  std::vector<std::optional<std::string>> session_utm;
  Value traits = Value::EmptyObject();
  std::vector<char> fit_holds;  // per rule index: 1 when a fit rule's `if` holds

  // The state of rule `index`, or nullptr when it has never fired.
  const RuleState* FindRule(std::size_t index) const;
  RuleState* FindRule(std::size_t index);
  // The state of rule `index`, added when it has none yet.
  RuleState& RuleStateFor(std::size_t index);

  bool operator==(const VisitorState& o) const {
    return session_utm == o.session_utm && id == o.id && started == o.started &&
           last_ts == o.last_ts && session_number == o.session_number &&
           session_events == o.session_events && traits == o.traits && engagement == o.engagement &&
           engagement_ts == o.engagement_ts && fit == o.fit && fit_holds == o.fit_holds &&
           rules == o.rules && stage == o.stage && sticky_stage == o.sticky_stage;
  }
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_VISITOR_STATE_H_
