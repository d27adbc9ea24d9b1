// Visitor::Snapshot and Visitor::FromSnapshot: the visitor's state as versioned JSON.
#include <cmath>

#include "core/json_value.h"
#include "core/visitor.h"

namespace mqlscore {
namespace {

constexpr const char* kFormat = "mqlscore-visitor";
constexpr double kFormatVersion = 1;

// Reads typed members of a snapshot object, remembering the first problem.
class Reader {
 public:
  explicit Reader(std::string* error) : error_(error) {}
  bool ok() const { return ok_; }

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
    if (ok_ && (d < 0 || std::floor(d) != d || d > 9007199254740992.0)) {
      Fail(std::string(key) + " must be a whole number");
    }
    return static_cast<std::int64_t>(d);
  }
  void Fail(std::string message) {
    if (ok_) *error_ = "not a valid visitor snapshot: " + message;
    ok_ = false;
  }

 private:
  std::string* error_;
  bool ok_ = true;
};

}  // namespace

// Written as text directly rather than as a Value tree: a third of the code in WebAssembly.
std::string Visitor::Snapshot() const {
  std::string out = "{\"format\":";
  // Appends `,"key":` for the member that follows.
  auto key = [&out](const char* name) {
    out.push_back(',');
    AppendJsonKey(name, &out);
  };
  auto number = [&out, &key](const char* name, double d) {
    key(name);
    AppendJsonNumber(d, &out);
  };
  AppendJsonString(kFormat, &out);
  number("version", kFormatVersion);
  key("rules_hash");
  AppendJsonString(rules_->hash(), &out);
  key("visitor");
  AppendJsonString(state_.id, &out);
  key("started");
  out += state_.started ? "true" : "false";
  number("last_ts", state_.last_ts);
  out += ",\"session\":{\"number\":";
  AppendJsonNumber(static_cast<double>(state_.session_number), &out);
  number("events", static_cast<double>(state_.session_events));
  if (!state_.session_utm.empty()) {
    out += ",\"utm\":{";
    for (int i = 0; i < 5; ++i) {
      if (!state_.session_utm[i]) continue;
      if (out.back() != '{') out.push_back(',');
      AppendJsonKey(kUtmNames[i], &out);
      AppendJsonString(*state_.session_utm[i], &out);
    }
    out.push_back('}');
  }
  out.push_back('}');
  key("traits");
  out += ToJsonText(state_.traits);
  number("engagement", state_.engagement);
  number("engagement_ts", state_.engagement_ts);
  const auto& stages = rules_->stages();
  if (state_.stage >= 0) {
    key("stage");
    AppendJsonString(stages[state_.stage].name, &out);
  }
  if (state_.sticky_stage >= 0) {
    key("sticky_stage");
    AppendJsonString(stages[state_.sticky_stage].name, &out);
  }
  out += ",\"rules\":{";
  const auto& all_rules = rules_->rules();
  for (const RuleState& rule : state_.rules) {
    if (out.back() != '{') out.push_back(',');
    AppendJsonString(all_rules[rule.rule].id, &out);
    out += ":{\"sum\":";
    AppendJsonNumber(rule.sum, &out);
    number("sum_ts", rule.sum_ts);
    number("ever", static_cast<double>(rule.ever_awards));
    number("session", static_cast<double>(rule.awards_session));
    number("session_awards", static_cast<double>(rule.session_awards));
    out += ",\"recent\":[";
    for (double ts : rule.recent_awards) {
      if (out.back() != '[') out.push_back(',');
      AppendJsonNumber(ts, &out);
    }
    out += "]}";
  }
  out += "}}";
  return out;
}

bool Visitor::FromSnapshot(const RuleSet* rules, std::string_view text, Visitor* out,
                           std::string* error) {
  return FromSnapshot(rules, ParseJsonValue, text, out, error);
}

bool Visitor::FromSnapshot(const RuleSet* rules, JsonReader read_json, std::string_view input,
                           Visitor* out, std::string* error) {
  Value root;
  // Traits sit two levels down in a snapshot.
  if (!read_json(input, &root, error, kMaxValueDepth + 2, nullptr)) {
    *error = "not a valid visitor snapshot: " + *error;
    return false;
  }
  Reader read(error);
  if (!root.is_object()) {
    read.Fail("not a JSON object");
    return false;
  }
  const Value* format = read.Member(root, "format", Value::Type::kString, false);
  if (!read.ok() || format->string_value() != kFormat) {
    read.Fail("format must be \"mqlscore-visitor\"");
    return false;
  }
  if (read.Number(root, "version") != kFormatVersion) {
    read.Fail("version must be 1");
    return false;
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
  if (!read.ok()) return false;
  state.id = id->string_value();
  state.started = started->bool_value();
  state.traits = *traits;
  state.session_number = read.Count(*session, "number");
  state.session_events = read.Count(*session, "events");
  if (const Value* utm = read.Member(*session, "utm", Value::Type::kObject, true)) {
    state.session_utm = std::vector<std::optional<std::string>>(5);
    for (int i = 0; i < 5; ++i) {
      if (const Value* v = read.Member(*utm, kUtmNames[i], Value::Type::kString, true)) {
        state.session_utm[i] = v->string_value();
      }
    }
  }
  if (!state.started) {
    *out = Visitor(rules, std::move(state.id));
    return read.ok();
  }
  const auto& all_rules = rules->rules();
  state.fit_holds = std::vector<char>(all_rules.size(), 0);
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
  if (!read.ok()) return false;
  int last = static_cast<int>(rules->stages().size()) - 1;
  state.stage = stage != nullptr ? rules->StageIndex(stage->string_value()) : last;
  if (state.stage < 0) state.stage = last;
  state.sticky_stage = sticky != nullptr ? rules->StageIndex(sticky->string_value()) : -1;
  if (state.sticky_stage >= 0 && !rules->stages()[state.sticky_stage].sticky) {
    state.sticky_stage = -1;
  }
  *out = Visitor(rules, std::move(state));
  out->EvaluateFit();
  return true;
}

}  // namespace mqlscore
