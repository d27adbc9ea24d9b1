// A lead's timeline for the dashboard: the evidence of its verified signals replayed with the
// core, event by event (what each rule awarded), with engagement and fit between the events as
// they decayed, up to now.
#ifndef MQLSCORE_COLLECTOR_TIMELINE_H_
#define MQLSCORE_COLLECTOR_TIMELINE_H_

#include <string>
#include <vector>

#include "collector/store.h"
#include "collector/verify.h"
#include "core/visitor.h"

namespace mqlscore {

struct TimelineEvent {
  double ts = 0;
  std::string type;
  std::string label;  // what it was about: the CTA, form, file, or the page's path
  std::vector<Step::Award> awards;
  double engagement = 0, fit = 0;  // after it
  std::string stage;               // after it
};

struct TimelinePoint {
  double ts = 0, engagement = 0, fit = 0;
};

struct Timeline {
  std::vector<TimelineEvent> events;
  // After each event, and between events further apart than an hour (decay), up to `now_ms`.
  std::vector<TimelinePoint> curve;
  bool complete = true;  // false when evidence was scored with rules no longer loaded
};

// Replays `rows` (one visitor's, oldest first) as the browser scored them: each with the rules
// of its rules_hash, the state carried across a change of rules. A row whose rules are not in
// `rules` is left out (complete is then false).
Timeline ReplayTimeline(const RulesByHash& rules, const std::vector<EvidenceRow>& rows,
                        double now_ms);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_TIMELINE_H_
