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

#include <cmath>
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

namespace mqlscore {
namespace {

using emscripten::val;

// A JavaScript value as a Value, as JSON.parse(JSON.stringify(v)) would give it, nesting at most
// `depth` deep: members that are undefined (or functions) are left out, and undefined in an
// array is null. Non-finite numbers fail, as JSON cannot hold them.
Status FromJs(const val& v, int depth, Value* out) {
  std::string type = v.typeOf().as<std::string>();
  if (type == "string") {
    *out = Value(v.as<std::string>());
  } else if (type == "number") {
    double d = v.as<double>();
    if (!std::isfinite(d)) return Status::Invalid("a number is too large (beyond 1.8e308)");
    *out = Value(d);
  } else if (type == "boolean") {
    *out = Value(v.as<bool>());
  } else if (type != "object" || v.isNull()) {
    *out = Value();
  } else if (depth == 0) {
    return Status::TooDeep("");
  } else if (v.isArray()) {
    unsigned length = v["length"].as<unsigned>();
    Value::Array items(length);
    for (unsigned i = 0; i < length; ++i) {
      Status item = FromJs(v[i], depth - 1, &items[i]);
      if (!item.ok()) return item;
    }
    *out = std::move(items);
  } else {
    val keys = val::global("Object").call<val>("keys", v);
    unsigned length = keys["length"].as<unsigned>();
    Value::Object members;
    members.reserve(length);
    for (unsigned i = 0; i < length; ++i) {
      val key = keys[i];
      val member = v[key];
      std::string member_type = member.typeOf().as<std::string>();
      if (member_type == "undefined" || member_type == "function") continue;
      members.emplace_back(key.as<std::string>(), Value());
      Status item = FromJs(member, depth - 1, &members.back().second);
      if (!item.ok()) return item;
    }
    *out = std::move(members);
  }
  return Status::Ok();
}

// A JavaScript value, or JSON text (a string) read by the layer's readJson, as a Value nesting at
// most `max_depth` deep.
Status ReadJs(const val& v, int max_depth, Value* out) {
  Status read;
  if (v.typeOf().as<std::string>() == "string") {
    val parsed = val::module_property("readJson")(v);
    read = parsed.hasOwnProperty("error") ? Status::Invalid(parsed["error"].as<std::string>())
                                          : FromJs(parsed["value"], max_depth, out);
  } else {
    read = FromJs(v, max_depth, out);
  }
  return read.code() == Status::Code::kTooDeep ? Status::TooDeep(TooDeepMessage(max_depth)) : read;
}

val ToJs(const Value& value) {
  switch (value.type()) {
    case Value::Type::kNull:
      return val::null();
    case Value::Type::kBool:
      return val(value.bool_value());
    case Value::Type::kNumber:
      return val(value.number_value());
    case Value::Type::kString:
      return val(value.string_value());
    case Value::Type::kArray: {
      val items = val::array();
      const Value::Array& array = value.array_items();
      for (std::size_t i = 0; i < array.size(); ++i) items.set(i, ToJs(array[i]));
      return items;
    }
    case Value::Type::kObject: {
      val members = val::object();
      for (const Value::Member& member : value.object_members()) {
        members.set(member.first, ToJs(member.second));
      }
      return members;
    }
  }
  return val::null();
}

val Failure(const std::string& error) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", error);
  return out;
}

// {ok: true, [name]: value}
val Success(const char* name, val value) {
  val out = val::object();
  out.set("ok", true);
  out.set(name, std::move(value));
  return out;
}

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
