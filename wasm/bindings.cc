// The Embind layer: converts between JavaScript strings/numbers and the core, nothing else.
// Nothing throws across the boundary: every result is JSON text, failures included
// ({"ok":false,"error":"..."}); web/ turns those into rejected promises or console warnings.
#include <emscripten/bind.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/json_value.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

std::string Failure(const std::string& error) {
  std::string out = "{\"ok\":false,\"error\":";
  AppendJsonString(error, &out);
  return out + "}";
}

// A parsed rules file. problems() is "[]" when it is usable.
class WasmRules {
 public:
  explicit WasmRules(const std::string& text) : problems_(RuleSet::Parse(text, &rules_)) {}

  bool ok() const { return problems_.empty(); }
  std::string problems() const {
    std::string out = "[";
    for (const Problem& problem : problems_) {
      if (out.size() > 1) out.push_back(',');
      AppendJsonString(problem.ToString(), &out);
    }
    return out + "]";
  }
  std::string hash() const { return rules_.hash(); }
  std::string track() const { return rules_.track_json(); }
  const RuleSet* rules() const { return &rules_; }

 private:
  RuleSet rules_;
  Problems problems_;
};

// One visitor scored against a WasmRules, which must outlive it.
class WasmVisitor {
 public:
  WasmVisitor(const WasmRules& rules, const std::string& id)
      : rules_(rules.rules()), usable_(rules.ok()), visitor_(rules_, id) {}

  // Scores one event (JSON text). Returns {"ok":true,"signals":[...new signals...]}.
  std::string track(const std::string& event_json) {
    if (!usable_) return Unusable();
    std::string error;
    if (!event_.Parse(event_json, &error)) return Failure(error);
    std::size_t before = signals_.size();
    visitor_.Track(event_.event(), &signals_);
    return NewSignals(before);
  }

  // Re-evaluates the stage at `at` (ms); returns {"ok":true,"signals":[...]} like track.
  std::string report(double at) {
    if (!usable_) return Unusable();
    std::size_t before = signals_.size();
    visitor_.ReportAt(at, &signals_);
    return NewSignals(before);
  }

  // The command line's result line for this visitor as of `at` (ms), every signal included.
  std::string result(double at) {
    if (!usable_) return Unusable();
    double when = std::max(at, visitor_.state().last_ts);
    visitor_.ReportAt(when, &signals_);
    return VisitorResultJson(visitor_.state().id, visitor_.ScoresAt(when), visitor_.stage(),
                             signals_);
  }

  // {"engagement":...,"fit":...,"score":...,"stage":...,"reasons":[...]} as of `at` (ms).
  std::string scores(double at) const {
    if (!usable_) return Unusable();
    double when = std::max(at, visitor_.state().last_ts);
    Scores scores = visitor_.ScoresAt(when);
    std::string out = "{\"engagement\":";
    AppendJsonNumber(RoundReported(scores.engagement), &out);
    out += ",\"fit\":";
    AppendJsonNumber(RoundReported(scores.fit), &out);
    out += ",\"score\":";
    AppendJsonNumber(RoundReported(scores.score), &out);
    out += ",\"stage\":";
    AppendJsonString(visitor_.stage(), &out);
    out += ",\"reasons\":";
    AppendReasonsJson(visitor_.ReasonsAt(when), &out);
    return out + "}";
  }

  std::string snapshot() const { return usable_ ? visitor_.Snapshot() : Unusable(); }

  // Replaces the state with a snapshot. Returns {"ok":true} or a failure.
  std::string restore(const std::string& text) {
    if (!usable_) return Unusable();
    std::string error;
    if (!Visitor::FromSnapshot(rules_, text, &visitor_, &error)) return Failure(error);
    signals_.clear();
    return "{\"ok\":true}";
  }

 private:
  std::string NewSignals(std::size_t before) const {
    std::string out = "{\"ok\":true,\"signals\":[";
    for (std::size_t i = before; i < signals_.size(); ++i) {
      if (i > before) out.push_back(',');
      AppendSignalJson(signals_[i], &out);
    }
    return out + "]}";
  }

  static std::string Unusable() {
    return Failure("the rules file has problems (see Rules.problems())");
  }

  const RuleSet* rules_;
  bool usable_;
  Visitor visitor_;
  OwnedEvent event_;
  std::vector<Signal> signals_;
};

}  // namespace
}  // namespace mqlscore

EMSCRIPTEN_BINDINGS(mqlscore) {
  using namespace emscripten;
  using mqlscore::WasmRules;
  using mqlscore::WasmVisitor;
  class_<WasmRules>("Rules")
      .constructor<const std::string&>()
      .function("ok", &WasmRules::ok)
      .function("problems", &WasmRules::problems)
      .function("hash", &WasmRules::hash)
      .function("track", &WasmRules::track);
  class_<WasmVisitor>("Visitor")
      .constructor<const WasmRules&, const std::string&>()
      .function("track", &WasmVisitor::track)
      .function("report", &WasmVisitor::report)
      .function("result", &WasmVisitor::result)
      .function("scores", &WasmVisitor::scores)
      .function("snapshot", &WasmVisitor::snapshot)
      .function("restore", &WasmVisitor::restore);
}
