// Visitor::Snapshot and Visitor::FromSnapshot: the visitor's state as versioned JSON.
#include <cmath>

#include "core/json_reader.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

constexpr const char* kFormat = "mqlscore-visitor";
constexpr double kFormatVersion = 1;
constexpr const char* kNotASnapshot = "not a valid visitor snapshot: ";

// Reads typed members of a snapshot object, remembering the first problem.
class Reader {
 public:
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  const Value* Member(const Value& object, const char* key, Value::Type type, bool nullable) {
    const Value* value = object.Find(key);
    if (value != nullptr && value->type() == type) return value;
    if (nullable && (value == nullptr || value->is_null())) return nullptr;
    Fail(std::string(key) + " is missing or has the wrong type");
    return nullptr;
  }
  double Number(const Value& object, const char* key) {
    const Value* value = Member(object, key, Value::Type::kNumber, false);
    return value != nullptr ? value->number_value() : 0;
  }
  std::int64_t Count(const Value& object, const char* key) {
    double d = Number(object, key);
    // Checked even after an earlier problem: casting 1e21 to an integer is undefined behaviour
    // (found by tests/fuzz/snapshot_fuzz).
    if (d < 0 || std::floor(d) != d || d > 9007199254740992.0) {
      Fail(std::string(key) + " must be a whole number");
      return 0;
    }
    return static_cast<std::int64_t>(d);
  }
  void Fail(const std::string& message) {
    if (ok()) status_ = Status::Invalid(std::string(kNotASnapshot) + message);
  }

 private:
  Status status_;
};

}  // namespace

Value Visitor::Snapshot() const {
  Value::Object session{{"number", static_cast<double>(state_.session_number)},
                        {"events", static_cast<double>(state_.session_events)}};
  if (!state_.session_utm.empty()) {
    Value::Object utm;
    for (std::size_t i = 0; i < kUtmNames.size(); ++i) {
      if (state_.session_utm[i]) utm.emplace_back(kUtmNames[i], *state_.session_utm[i]);
    }
    session.emplace_back("utm", std::move(utm));
  }
  Value::Object snapshot{{"format", kFormat},
                         {"version", kFormatVersion},
                         {"rules_hash", rules_->hash()},
                         {"visitor", state_.id},
                         {"started", state_.started},
                         {"last_ts", state_.last_ts},
                         {"session", std::move(session)},
                         {"traits", state_.traits},
                         {"engagement", state_.engagement},
                         {"engagement_ts", state_.engagement_ts}};
  const auto& stages = rules_->stages();
  if (state_.stage >= 0) snapshot.emplace_back("stage", stages[state_.stage].name);
  if (state_.sticky_stage >= 0) {
    snapshot.emplace_back("sticky_stage", stages[state_.sticky_stage].name);
  }
  Value::Object rule_states;
  const auto& all_rules = rules_->rules();
  for (const RuleState& rule : state_.rules) {
    Value::Array recent(rule.recent_awards.begin(), rule.recent_awards.end());
    rule_states.emplace_back(
        all_rules[rule.rule].id,
        Value::Object{{"sum", rule.sum},
                      {"sum_ts", rule.sum_ts},
                      {"ever", static_cast<double>(rule.ever_awards)},
                      {"session", static_cast<double>(rule.awards_session)},
                      {"session_awards", static_cast<double>(rule.session_awards)},
                      {"recent", std::move(recent)}});
  }
  snapshot.emplace_back("rules", std::move(rule_states));
  return snapshot;
}

Status Visitor::FromSnapshotText(const RuleSet* rules, std::string_view text, Visitor* out) {
  Value snapshot;
  Status read = ReadJson(text, kMaxSnapshotDepth, &snapshot);
  return FromSnapshot(rules, read, snapshot, out);
}

Status Visitor::FromSnapshot(const RuleSet* rules, const Status& read_json, const Value& root,
                             Visitor* out) {
  if (!read_json.ok()) return read_json.Prefixed(kNotASnapshot);
  Reader read;
  if (!root.is_object()) {
    read.Fail("not a JSON object");
    return read.status();
  }
  const Value* format = read.Member(root, "format", Value::Type::kString, false);
  if (!read.ok() || format->string_value() != kFormat) {
    read.Fail("format must be \"mqlscore-visitor\"");
    return read.status();
  }
  if (read.Number(root, "version") != kFormatVersion) {
    read.Fail("version must be 1");
    return read.status();
  }
  VisitorState state;
  const Value* id = read.Member(root, "visitor", Value::Type::kString, false);
  const Value* started = read.Member(root, "started", Value::Type::kBool, false);
  state.last_ts = read.Number(root, "last_ts");
  const Value* session = read.Member(root, "session", Value::Type::kObject, false);
  const Value* traits = read.Member(root, "traits", Value::Type::kObject, false);
  state.engagement = read.Number(root, "engagement");
  state.engagement_ts = read.Number(root, "engagement_ts");
  const Value* stage = read.Member(root, "stage", Value::Type::kString, true);
  const Value* sticky = read.Member(root, "sticky_stage", Value::Type::kString, true);
  const Value* rule_states = read.Member(root, "rules", Value::Type::kObject, false);
  if (!read.ok()) return read.status();
  state.id = id->string_value();
  state.started = started->bool_value();
  state.traits = *traits;
  state.session_number = read.Count(*session, "number");
  state.session_events = read.Count(*session, "events");
  if (const Value* utm = read.Member(*session, "utm", Value::Type::kObject, true)) {
    state.session_utm.resize(kUtmNames.size());
    for (std::size_t i = 0; i < kUtmNames.size(); ++i) {
      if (const Value* v = read.Member(*utm, kUtmNames[i], Value::Type::kString, true)) {
        state.session_utm[i] = v->string_value();
      }
    }
  }
  if (!state.started) {
    *out = Visitor(rules, std::move(state.id));
    return read.status();
  }
  const auto& all_rules = rules->rules();
  state.fit_holds.assign(all_rules.size(), 0);
  for (const auto& member : rule_states->object_members()) {
    int index = rules->RuleIndex(member.first);
    if (index < 0 || all_rules[index].is_fit) continue;  // a rule since removed
    if (!member.second.is_object()) {
      read.Fail("rules." + member.first + " must be an object");
      break;
    }
    RuleState& rule = state.RuleStateFor(index);
    rule.sum = read.Number(member.second, "sum");
    rule.sum_ts = read.Number(member.second, "sum_ts");
    rule.ever_awards = read.Count(member.second, "ever");
    rule.awards_session = read.Count(member.second, "session");
    rule.session_awards = read.Count(member.second, "session_awards");
    if (const Value* recent = read.Member(member.second, "recent", Value::Type::kArray, false)) {
      for (const Value& ts : recent->array_items()) {
        if (!ts.is_number()) read.Fail("rules." + member.first + ".recent must hold numbers");
        rule.recent_awards.push_back(ts.number_value());
      }
    }
  }
  if (!read.ok()) return read.status();
  int last = static_cast<int>(rules->stages().size()) - 1;
  state.stage = stage != nullptr ? rules->StageIndex(stage->string_value()) : last;
  if (state.stage < 0) state.stage = last;
  state.sticky_stage = sticky != nullptr ? rules->StageIndex(sticky->string_value()) : -1;
  if (state.sticky_stage >= 0 && !rules->stages()[state.sticky_stage].sticky) {
    state.sticky_stage = -1;
  }
  *out = Visitor(rules, std::move(state));
  out->EvaluateFit();
  return Status::Ok();
}

}  // namespace mqlscore
