// The WebAssembly interface of the core: a handful of C functions over opaque handles, converting
// between UTF-8 bytes and the core and nothing else. Nothing throws across the boundary: every
// result is JSON text, failures included ({"ok":false,"error":"..."}). wasm/mqlscore-core.mjs is
// the JavaScript side (objects, strings, memory); web/ turns failures into rejected promises or
// console warnings.
//
// Why C functions rather than Embind: Embind's JavaScript glue and its C++ registry were ~16 KB of
// the widget's 31 KB gzip budget; these exports need ~1 KB of JavaScript (docs/benchmarks.md).
//
// Strings come in as (pointer, length) in memory the caller got from mqlscore_alloc; JSON (rules,
// events, snapshots) comes in as what JavaScript's JSON.parse read, packed (core/packed_json.h),
// so the module needs no JSON reader. Functions that produce text leave it in one result buffer
// (mqlscore_result_data/size), valid until the next call.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/json_value.h"
#include "core/packed_json.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

std::string result;

std::string Failure(const std::string& error) {
  std::string out = "{\"ok\":false,\"error\":";
  AppendJsonString(error, &out);
  return out + "}";
}

// A parsed rules file; usable only when it has no problems.
struct WasmRules {
  WasmRules(std::string_view text, std::string_view packed)
      : problems(RuleSet::Parse(text, DecodePackedJson, packed, &rules)) {}
  RuleSet rules;
  Problems problems;
};

// One visitor scored against a WasmRules, which must outlive it.
class WasmVisitor {
 public:
  WasmVisitor(const WasmRules& rules, std::string_view id)
      : rules_(&rules.rules), usable_(rules.problems.empty()), visitor_(rules_, std::string(id)) {}

  std::string Track(std::string_view packed_event) {
    if (!usable_) return Unusable();
    std::string error;
    if (!event_.Parse(DecodePackedJson, packed_event, &error)) return Failure(error);
    std::size_t before = signals_.size();
    visitor_.Track(event_.event(), &signals_);
    return NewSignals(before);
  }

  std::string Result(double at) {
    if (!usable_) return Unusable();
    double when = std::max(at, visitor_.state().last_ts);
    visitor_.ReportAt(when, &signals_);
    return VisitorResultJson(visitor_.state().id, visitor_.ScoresAt(when), visitor_.stage(),
                             signals_);
  }

  std::string Scores(double at) const {
    if (!usable_) return Unusable();
    double when = std::max(at, visitor_.state().last_ts);
    std::string out = "{";
    AppendScoresJson(visitor_.ScoresAt(when), visitor_.stage(), &out);
    out += ",\"reasons\":";
    AppendReasonsJson(visitor_.ReasonsAt(when), &out);
    return out + "}";
  }

  std::string Snapshot() const { return usable_ ? visitor_.Snapshot() : Unusable(); }

  std::string Restore(std::string_view packed_snapshot) {
    if (!usable_) return Unusable();
    std::string error;
    if (!Visitor::FromSnapshot(rules_, DecodePackedJson, packed_snapshot, &visitor_, &error)) {
      return Failure(error);
    }
    signals_.clear();
    return "{\"ok\":true}";
  }

 private:
  std::string NewSignals(std::size_t before) const {
    std::string out = "{\"ok\":true,\"signals\":";
    AppendSignalsJson(signals_, before, &out);
    return out + "}";
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

std::string_view Text(const char* data, std::size_t size) { return std::string_view(data, size); }

}  // namespace
}  // namespace mqlscore

using mqlscore::Text;
using mqlscore::WasmRules;
using mqlscore::WasmVisitor;

extern "C" {

EMSCRIPTEN_KEEPALIVE void* mqlscore_alloc(std::size_t size) { return std::malloc(size); }
EMSCRIPTEN_KEEPALIVE void mqlscore_free(void* data) { std::free(data); }
EMSCRIPTEN_KEEPALIVE const char* mqlscore_result_data() { return mqlscore::result.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t mqlscore_result_size() { return mqlscore::result.size(); }

// The rules file as given (UTF-8, for its hash and size limit) and packed as JSON.parse read it.
EMSCRIPTEN_KEEPALIVE WasmRules* mqlscore_rules_new(const char* text, std::size_t size,
                                                   const char* packed, std::size_t packed_size) {
  return new WasmRules(Text(text, size), Text(packed, packed_size));
}
EMSCRIPTEN_KEEPALIVE void mqlscore_rules_delete(WasmRules* rules) { delete rules; }
// The problems as a JSON array of strings ("/rules/0/points: ...").
EMSCRIPTEN_KEEPALIVE void mqlscore_rules_problems(const WasmRules* rules) {
  std::string& out = mqlscore::result;
  out = "[";
  for (const mqlscore::Problem& problem : rules->problems) {
    if (out.size() > 1) out.push_back(',');
    mqlscore::AppendJsonString(problem.ToString(), &out);
  }
  out += "]";
}
EMSCRIPTEN_KEEPALIVE void mqlscore_rules_hash(const WasmRules* rules) {
  mqlscore::result = rules->rules.hash();
}

EMSCRIPTEN_KEEPALIVE WasmVisitor* mqlscore_visitor_new(const WasmRules* rules, const char* id,
                                                       std::size_t size) {
  return new WasmVisitor(*rules, Text(id, size));
}
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_delete(WasmVisitor* visitor) { delete visitor; }
// Scores one event (packed): {"ok":true,"signals":[...new stage_changed signals...]}.
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_track(WasmVisitor* visitor, const char* event,
                                                 std::size_t size) {
  mqlscore::result = visitor->Track(Text(event, size));
}
// The command line's result line for this visitor as of `at` (ms), every signal included.
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_result(WasmVisitor* visitor, double at) {
  mqlscore::result = visitor->Result(at);
}
// {"engagement":...,"fit":...,"score":...,"stage":...,"reasons":[...]} as of `at` (ms).
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_scores(const WasmVisitor* visitor, double at) {
  mqlscore::result = visitor->Scores(at);
}
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_snapshot(const WasmVisitor* visitor) {
  mqlscore::result = visitor->Snapshot();
}
// Replaces the state with a snapshot (packed): {"ok":true} or a failure.
EMSCRIPTEN_KEEPALIVE void mqlscore_visitor_restore(WasmVisitor* visitor, const char* snapshot,
                                                   std::size_t size) {
  mqlscore::result = visitor->Restore(Text(snapshot, size));
}

}  // extern "C"
