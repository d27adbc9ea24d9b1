#include "collector/timeline.h"

#include <algorithm>

#include "core/event.h"
#include "core/json_reader.h"

namespace mqlscore {
namespace {

constexpr double kHourMs = 3600 * 1000.0;
constexpr int kPointsPerGap = 8;

std::string LabelOf(const Value& event) {
  for (const char* key : {"cta", "form", "file"}) {
    const Value* field = event.Find(key);
    if (field != nullptr && field->is_string()) return field->string_value();
  }
  const Value* url = event.Find("url");
  if (url == nullptr || !url->is_string()) return "";
  const std::string& text = url->string_value();
  std::size_t scheme = text.find("://");
  std::size_t path = scheme == std::string::npos ? 0 : text.find('/', scheme + 3);
  if (path == std::string::npos) return "/";
  return text.substr(path, text.find_first_of("?#", path) - path);
}

// Points between `from` and `to` as engagement decays (the state is the one after `from`).
void Decay(const Visitor& visitor, double from, double to, std::vector<TimelinePoint>* curve) {
  if (to - from <= kHourMs) return;
  for (int k = 1; k <= kPointsPerGap; ++k) {
    double at = from + (to - from) * k / kPointsPerGap;
    Scores scores = visitor.ScoresAt(at);
    curve->push_back({at, scores.engagement, scores.fit});
  }
}

}  // namespace

Timeline ReplayTimeline(const RulesByHash& rules, const std::vector<EvidenceRow>& rows,
                        double now_ms) {
  Timeline timeline;
  std::unique_ptr<Visitor> visitor;
  const RuleSet* scoring = nullptr;
  double last = 0;
  for (const EvidenceRow& row : rows) {
    auto found = rules.find(row.rules_hash);
    Value events;
    if (found == rules.end() || !ReadJson(row.events, kMaxValueDepth + 1, &events).ok() ||
        !events.is_array()) {
      timeline.complete = false;
      continue;
    }
    const RuleSet* next = found->second.get();
    if (visitor == nullptr) {
      visitor = std::make_unique<Visitor>(next, row.visitor);
    } else if (next != scoring) {  // new rules: the state restored into them, as the browser does
      auto restored = std::make_unique<Visitor>(next, row.visitor);
      if (Visitor::FromSnapshot(next, Status::Ok(), visitor->Snapshot(), restored.get()).ok()) {
        visitor = std::move(restored);
      }
    }
    scoring = next;
    for (const Value& item : events.array_items()) {
      OwnedEvent event;
      if (!event.Reset(item).ok()) continue;
      double ts = event.event().ts();
      if (!timeline.events.empty()) Decay(*visitor, last, ts, &timeline.curve);
      std::vector<Signal> signals;
      std::vector<Step> steps;
      visitor->Track(event.event(), &signals, &steps);
      for (const Step& step : steps) {
        if (step.type == "session_start" && step.awards.empty()) continue;
        timeline.events.push_back({step.ts, step.type,
                                   step.type == "session_start" ? "" : LabelOf(item), step.awards,
                                   step.scores.engagement, step.scores.fit, step.stage});
      }
      Scores scores = visitor->ScoresAt(ts);
      timeline.curve.push_back({ts, scores.engagement, scores.fit});
      last = std::max(last, ts);
    }
  }
  if (visitor != nullptr && !timeline.events.empty())
    Decay(*visitor, last, now_ms, &timeline.curve);
  return timeline;
}

}  // namespace mqlscore
