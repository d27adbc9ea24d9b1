// The core for JavaScript, with Embind: two classes and conversions between JavaScript values and
// the core's Values, nothing else. Nothing throws across the boundary: failures come back as
// values ({ok: false, error}) and wasm/mqlscore-core.mjs, the thin layer over Emscripten's glue,
// is all the JavaScript there is.
//
// JSON text is read by the browser's own JSON.parse (the layer's readJson) and written by
// JSON.stringify: the core takes and returns plain JavaScript values, so the module carries no
// JSON reader or writer (docs/benchmarks.md has what nlohmann/json in the module would cost).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/json_reader.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/status.h"
#include "core/value.h"
#include "core/visitor.h"
#include "wasm/js_value.h"

namespace mqlscore {
namespace {

using emscripten::val;

// A rules file, parsed; usable only when it has no problems.
class Rules {
 public:
  // `text` is the file as given (its bytes are hashed).
  explicit Rules(const val& text) {
    if (text.typeOf().as<std::string>() != "string") {
      problems_.push_back({"", "the rules file must be given as text"});
      return;
    }
    Value document;
    Status read = ReadJs(text, kMaxRulesDepth, &document);
    problems_ = RuleSet::Parse(text.as<std::string>(), read, document, &rules_);
  }

  bool ok() const { return problems_.empty(); }
  // ["/rules/0/points: must be a number, not a string", ...]
  val problems() const {
    val out = val::array();
    for (std::size_t i = 0; i < problems_.size(); ++i) out.set(i, problems_[i].ToString());
    return out;
  }
  std::string hash() const { return rules_.hash(); }
  const RuleSet* rule_set() const { return &rules_; }

 private:
  RuleSet rules_;
  Problems problems_;
};

// One visitor scored against Rules, which it keeps alive.
class JsVisitor {
 public:
  JsVisitor(std::shared_ptr<Rules> rules, std::string id)
      : rules_(std::move(rules)), visitor_(rules_->rule_set(), std::move(id)) {}

  // `event` as JSON.parse gives it, or its JSON text. {ok: true, signals: [...the stage changes
  // this event caused...]} or {ok: false, error}.
  val track(const val& event) {
    if (!rules_->ok()) return Unusable();
    Value body;
    Status read = ReadJs(event, kMaxValueDepth, &body);
    if (read.ok()) read = event_.Reset(std::move(body));
    if (!read.ok()) return Failure(read.message());
    signals_.clear();
    visitor_.Track(event_.event(), &signals_);
    return Success("signals", ToJs(SignalsValue(signals_)));
  }

  // {engagement, fit, score, stage, reasons} as of `at` (ms).
  val scores(double at) const {
    if (!rules_->ok()) return Unusable();
    return ToJs(ScoresValue(visitor_.ScoresAt(at), visitor_.stage(), visitor_.ReasonsAt(at)));
  }

  // docs/snapshot.md, as a plain object.
  val snapshot() const { return rules_->ok() ? ToJs(visitor_.Snapshot()) : Unusable(); }

  // `snapshot` as snapshot() gave it, or its JSON text. {ok: true} or {ok: false, error}.
  val restore(const val& snapshot) {
    if (!rules_->ok()) return Unusable();
    Value document;
    Status read = ReadJs(snapshot, kMaxSnapshotDepth, &document);
    Status restored = Visitor::FromSnapshot(rules_->rule_set(), read, document, &visitor_);
    if (!restored.ok()) return Failure(restored.message());
    val out = val::object();
    out.set("ok", true);
    return out;
  }

 private:
  static val Unusable() { return Failure("the rules file has problems (see Rules.problems())"); }

  std::shared_ptr<Rules> rules_;
  Visitor visitor_;
  OwnedEvent event_;
  std::vector<Signal> signals_;  // of the call being answered
};

std::shared_ptr<Rules> MakeRules(val text) { return std::make_shared<Rules>(text); }

}  // namespace
}  // namespace mqlscore

EMSCRIPTEN_BINDINGS(mqlscore) {
  using namespace emscripten;
  using mqlscore::JsVisitor;
  using mqlscore::Rules;
  class_<Rules>("Rules")
      .smart_ptr_constructor("RulesPtr", &mqlscore::MakeRules)
      .function("ok", &Rules::ok)
      .function("problems", &Rules::problems)
      .function("hash", &Rules::hash);
  class_<JsVisitor>("Visitor")
      .constructor<std::shared_ptr<Rules>, std::string>()
      .function("track", &JsVisitor::track)
      .function("scores", &JsVisitor::scores)
      .function("snapshot", &JsVisitor::snapshot)
      .function("restore", &JsVisitor::restore);
}
