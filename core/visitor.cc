#include "core/visitor.h"

#include <algorithm>
#include <cmath>

#include "core/condition.h"
#include "core/decay.h"
#include "core/url.h"

namespace mqlscore {
namespace {

const Value* Walk(const Value* value, const std::vector<std::string>& path) {
  for (std::size_t i = 0; i < path.size() && value != nullptr; ++i) value = value->Find(path[i]);
  return value;
}

// A scan, not a binary search: a visitor has few fired rules, and a scan reads adjacent cache
// lines where a binary search jumps between them.
std::vector<RuleState>::iterator FirstAtOrAfter(std::vector<RuleState>* rules, std::size_t index) {
  auto it = rules->begin();
  while (it != rules->end() && it->rule < index) ++it;
  return it;
}

}  // namespace

RuleState* VisitorState::FindRule(std::size_t index) {
  auto it = FirstAtOrAfter(&rules, index);
  return it != rules.end() && it->rule == index ? &*it : nullptr;
}

const RuleState* VisitorState::FindRule(std::size_t index) const {
  return const_cast<VisitorState*>(this)->FindRule(index);
}

RuleState& VisitorState::RuleStateFor(std::size_t index) {
  auto it = FirstAtOrAfter(&rules, index);
  if (it == rules.end() || it->rule != index) {
    std::size_t at = static_cast<std::size_t>(it - rules.begin());
    rules.emplace_back().rule = static_cast<std::uint32_t>(index);
    std::rotate(rules.begin() + at, rules.end() - 1, rules.end());
    return rules[at];
  }
  return *it;
}

double RoundReported(double value) { return std::round(value * 1e6) / 1e6 + 0.0; }

// The fields of one event as rules see them (contract §2), derived lazily; or, without an event,
// only the visitor's traits (for fit rules).
class Visitor::Fields : public FieldSource {
 public:
  Fields(const VisitorState& state, const Event* event) : state_(state), event_(event) {
    if (event_ == nullptr) return;
    type_ = event_->type();
    FieldValue url = event_->members().Get("url");
    if (url.kind == FieldValue::Kind::kString) {
      has_url_ = true;
      url_text_ = url.text;
    }
  }

  void set_type(std::string_view type) { type_ = type; }
  void set_ts(double ts) { ts_ = ts; }
  void set_session_events(std::int64_t n) { session_events_ = n; }
  // Whether the event's own URL has a utm_* parameter; its own values then stand for this event.
  // `session` are the session's values, used otherwise (nullptr when it has none).
  void set_utm(bool own, const std::optional<std::string>* session) {
    own_utm_ = own;
    session_utm_ = session;
  }

  // Whether the event's own URL has any utm_* parameter.
  bool HasOwnUtm() const {
    // Most URLs can be ruled out without splitting them.
    if (url_text_.find("utm_") == std::string_view::npos &&
        url_text_.find('%') == std::string_view::npos) {
      return false;
    }
    ScanOwnUtm();
    return own_utm_any_;
  }

  // The event's own value of utm parameter `index` (of kUtmNames; the first of that name),
  // decoded on first use: most events carry utm values, few rules read them.
  const std::optional<std::string>& OwnUtm(int index) const {
    ScanOwnUtm();
    if (own_utm_raw_[index].data() != nullptr && !own_utm_values_[index]) {
      own_utm_values_[index] = DecodeQueryComponent(own_utm_raw_[index]);
    }
    return own_utm_values_[index];
  }

  FieldValue Get(const FieldRef& field) const override {
    using S = FieldRef::Source;
    if (field.source == S::kTraits) {
      return FieldValue::Of(field.path.empty() ? &state_.traits : Walk(&state_.traits, field.path));
    }
    if (event_ == nullptr) return FieldValue();
    switch (field.source) {
      case S::kType:
        return FieldValue::OfString(type_);
      case S::kTs:
        return FieldValue::OfNumber(ts_);
      case S::kHost:
        return has_url_ && Url().has_host ? FieldValue::OfString(Url().host()) : FieldValue();
      case S::kPath:
        return has_url_ ? FieldValue::OfString(Url().path) : FieldValue();
      case S::kQuery:
        for (const auto& param : QueryParams()) {
          if (param.first == field.key) return FieldValue::OfString(param.second);
        }
        return FieldValue();
      case S::kUtm: {
        const std::optional<std::string>* value = own_utm_ ? &OwnUtm(field.utm_index)
                                                  : session_utm_ != nullptr
                                                      ? &session_utm_[field.utm_index]
                                                      : nullptr;
        return value != nullptr && *value ? FieldValue::OfString(**value) : FieldValue();
      }
      case S::kReferrerHost:
        if (!referrer_parsed_) {
          referrer_parsed_ = true;
          FieldValue referrer = event_->members().Get("referrer");
          if (referrer.kind == FieldValue::Kind::kString) referrer_ = SplitUrl(referrer.text);
        }
        return referrer_.has_host ? FieldValue::OfString(referrer_.host()) : FieldValue();
      case S::kEventMember:
        return field.path.size() == 1 ? event_->members().Get(field.path[0])
                                      : event_->members().GetPath(field.path);
      case S::kSessionNumber:
        return FieldValue::OfNumber(static_cast<double>(state_.session_number));
      case S::kSessionEvents:
        return FieldValue::OfNumber(static_cast<double>(session_events_));
      default:
        return FieldValue();
    }
  }

 private:
  using Params = std::vector<std::pair<std::string, std::string>>;

  // Finds the raw value of the first of each utm_* parameter, in one pass over the query. Names
  // are decoded only when they may be (percent-encoded) "utm_...": this runs per event.
  void ScanOwnUtm() const {
    if (own_utm_scanned_) return;
    own_utm_scanned_ = true;
    ForEachRawQueryParam(Url().query, [&](std::string_view raw_name, std::string_view raw_value) {
      bool encoded = raw_name.find('%') != std::string_view::npos;
      if (raw_name.substr(0, 4) != "utm_" && !encoded) return true;
      std::string decoded;
      std::string_view name = raw_name;
      if (encoded || raw_name.find('+') != std::string_view::npos) {
        decoded = DecodeQueryComponent(raw_name);
        name = decoded;
      }
      if (name.substr(0, 4) != "utm_") return true;
      own_utm_any_ = true;
      for (int i = 0; i < 5; ++i) {
        if (own_utm_raw_[i].data() == nullptr && name == kUtmNames[i]) {
          // Not null even when empty: "utm_source=" is present, with an empty value.
          own_utm_raw_[i] = raw_value.data() != nullptr ? raw_value : std::string_view("", 0);
        }
      }
      return true;
    });
  }

  // The event's URL in parts, split on first use: many events meet no rule that reads it. Empty
  // parts when the event has no URL.
  const UrlParts& Url() const {
    if (!url_split_ && has_url_) url_ = SplitUrl(url_text_);
    url_split_ = true;
    return url_;
  }

  const Params& QueryParams() const {
    if (!query_parsed_) {
      query_parsed_ = true;
      ForEachQueryParam(Url().query, [this](std::string name, std::string value) {
        query_.emplace_back(std::move(name), std::move(value));
        return true;
      });
    }
    return query_;
  }

  const VisitorState& state_;
  const Event* event_;
  std::string_view type_;
  double ts_ = 0;
  std::int64_t session_events_ = 0;
  bool own_utm_ = false;
  const std::optional<std::string>* session_utm_ = nullptr;
  mutable bool own_utm_scanned_ = false;
  mutable bool own_utm_any_ = false;
  mutable std::string_view own_utm_raw_[5];  // null data: no such parameter
  mutable std::optional<std::string> own_utm_values_[5];
  bool has_url_ = false;
  std::string_view url_text_;
  mutable bool url_split_ = false;
  mutable UrlParts url_;
  mutable bool query_parsed_ = false;
  mutable Params query_;
  mutable bool referrer_parsed_ = false;
  mutable UrlParts referrer_;
};

Visitor::Visitor(const RuleSet* rules, std::string id) : rules_(rules) {
  state_.id = std::move(id);
}

Visitor::Visitor(const RuleSet* rules, VisitorState state)
    : rules_(rules), state_(std::move(state)) {}

const std::string& Visitor::stage() const {
  const auto& stages = rules_->stages();
  return stages[state_.stage < 0 ? stages.size() - 1 : state_.stage].name;
}

void Visitor::Start(double ts) {
  state_.started = true;
  state_.last_ts = ts;
  state_.engagement_ts = ts;
  state_.stage = static_cast<int>(rules_->stages().size()) - 1;
  state_.fit_holds.assign(rules_->rules().size(), 0);
  EvaluateFit();
}

void Visitor::Track(const Event& event, std::vector<Signal>* signals, std::vector<Step>* steps) {
  if (!state_.started) Start(event.ts());
  double ts = std::max(event.ts(), state_.last_ts);
  bool new_session =
      state_.session_number == 0 || ts - state_.last_ts > rules_->session_timeout_ms();
  state_.last_ts = ts;

  Fields fields(state_, &event);
  fields.set_ts(ts);
  bool has_own_utm = fields.HasOwnUtm();
  if (new_session) {
    ++state_.session_number;
    state_.session_events = 0;
    state_.session_utm.clear();
  }
  if (has_own_utm && state_.session_utm.empty()) {
    for (std::size_t i = 0; i < kUtmNames.size(); ++i) {
      state_.session_utm.push_back(fields.OwnUtm(static_cast<int>(i)));
    }
  }
  fields.set_utm(has_own_utm, state_.session_utm.empty() ? nullptr : state_.session_utm.data());

  auto score = [&](std::string_view type) {
    Step step;
    fields.set_type(type);
    fields.set_session_events(state_.session_events);
    ScoreRules(fields, type, ts, steps != nullptr ? &step : nullptr);
    UpdateStage(ts, signals);
    if (steps != nullptr) {
      step.type = std::string(type);
      step.ts = ts;
      step.session_number = state_.session_number;
      step.scores = ScoresAt(ts);
      step.stage = stage();
      steps->push_back(std::move(step));
    }
  };

  if (new_session) score("session_start");
  ++state_.session_events;
  bool fit_changed = false;
  Value traits;
  if (event.type() == "identify" && event.members().Copy("traits", &traits)) {
    // New values replace old ones (and move to the end, as a later key does), null erases. The
    // new keys are sorted once, not searched per trait: an identify may carry tens of thousands.
    std::vector<std::string_view> new_keys;
    new_keys.reserve(traits.object_members().size());
    for (const Value::Member& member : traits.object_members()) new_keys.push_back(member.first);
    std::sort(new_keys.begin(), new_keys.end());
    Value::Object combined;
    for (Value::Member& member : state_.traits.object_members()) {
      if (!std::binary_search(new_keys.begin(), new_keys.end(), member.first)) {
        combined.push_back(std::move(member));
      }
    }
    for (Value::Member& member : traits.object_members()) {
      if (!member.second.is_null()) combined.push_back(std::move(member));
    }
    state_.traits = std::move(combined);
    double fit_before = state_.fit;
    std::vector<char> holds_before = state_.fit_holds;
    EvaluateFit();
    fit_changed = fit_before != state_.fit || holds_before != state_.fit_holds;
  }
  score(event.type());
  if (steps != nullptr) steps->back().fit_changed = fit_changed;
}

void Visitor::ScoreRules(const Fields& fields, std::string_view type, double ts, Step* step) {
  const auto& all_rules = rules_->rules();
  for (std::size_t index : rules_->EngagementRulesFor(type)) {
    const Rule& rule = all_rules[index];
    if (!rule.when.Evaluate(fields)) continue;
    if (rule.limit && LimitUsedUp(*rule.limit, index, ts)) {
      if (step != nullptr) step->awards.push_back({rule.id, rule.points, true});
      continue;
    }
    RuleState& rule_state = state_.RuleStateFor(index);
    if (rule.limit &&
        (rule.limit->per == Limit::Per::kDay || rule.limit->per == Limit::Per::kWeek)) {
      rule_state.recent_awards.push_back(ts);
    }
    double half_life = rules_->half_life_ms();
    double engagement =
        state_.engagement * DecayFactor(ts - state_.engagement_ts, half_life) + rule.points;
    engagement = std::max(0.0, engagement);
    if (rules_->engagement_cap()) engagement = std::min(*rules_->engagement_cap(), engagement);
    state_.engagement = engagement;
    state_.engagement_ts = ts;

    rule_state.sum = rule_state.sum * DecayFactor(ts - rule_state.sum_ts, half_life) + rule.points;
    rule_state.sum_ts = ts;
    ++rule_state.ever_awards;
    if (rule_state.awards_session != state_.session_number) {
      rule_state.awards_session = state_.session_number;
      rule_state.session_awards = 0;
    }
    ++rule_state.session_awards;
    if (step != nullptr) step->awards.push_back({rule.id, rule.points, false});
  }
}

bool Visitor::LimitUsedUp(const Limit& limit, std::size_t index, double ts) {
  RuleState* found = state_.FindRule(index);
  if (found == nullptr) return false;
  RuleState& rule_state = *found;
  std::int64_t used = 0;
  switch (limit.per) {
    case Limit::Per::kEver:
      used = rule_state.ever_awards;
      break;
    case Limit::Per::kSession:
      used = rule_state.awards_session == state_.session_number ? rule_state.session_awards : 0;
      break;
    case Limit::Per::kDay:
    case Limit::Per::kWeek: {
      // An award exactly one window ago is outside the window; older ones can never count again.
      rule_state.recent_awards.DropThrough(ts - limit.window_ms);
      used = rule_state.recent_awards.size();
      break;
    }
  }
  return used >= limit.times;
}

void Visitor::EvaluateFit() {
  Fields traits_only(state_, nullptr);
  double fit = 0;
  const auto& all_rules = rules_->rules();
  for (std::size_t index : rules_->fit_rules()) {
    bool holds = all_rules[index].when.Evaluate(traits_only);
    state_.fit_holds[index] = holds;
    if (holds) fit += all_rules[index].points;
  }
  fit = std::max(0.0, fit);
  if (rules_->fit_cap()) fit = std::min(*rules_->fit_cap(), fit);
  state_.fit = fit;
}

Scores Visitor::ScoresAt(double at) const {
  at = ReportingTime(at);
  Scores scores;
  scores.engagement =
      state_.engagement * DecayFactor(at - state_.engagement_ts, rules_->half_life_ms());
  scores.fit = state_.fit;
  scores.score = scores.engagement + scores.fit;
  return scores;
}

std::vector<Reason> Visitor::ReasonsAt(double at) const {
  at = ReportingTime(at);
  const auto& all_rules = rules_->rules();
  auto points_of = [&](std::size_t i) {
    if (all_rules[i].is_fit) return state_.fit_holds[i] ? RoundReported(all_rules[i].points) : 0.0;
    const RuleState* rule_state = state_.FindRule(i);
    if (rule_state == nullptr) return 0.0;
    return RoundReported(rule_state->sum *
                         DecayFactor(at - rule_state->sum_ts, rules_->half_life_ms()));
  };
  std::vector<Reason> reasons;
  for (std::size_t i = 0; i < all_rules.size(); ++i) {
    double points = points_of(i);
    if (points != 0) reasons.push_back({all_rules[i].id, points});
  }
  // Rule ids are unique, so no two reasons compare equal and the order is total.
  std::sort(reasons.begin(), reasons.end(), [](const Reason& x, const Reason& y) {
    return x.points != y.points ? x.points > y.points : x.rule < y.rule;
  });
  return reasons;
}

int Visitor::StageFor(const Scores& scores) const {
  const auto& stages = rules_->stages();
  int found = static_cast<int>(stages.size()) - 1;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const Stage& stage = stages[i];
    if ((!stage.min_engagement || scores.engagement >= *stage.min_engagement) &&
        (!stage.min_fit || scores.fit >= *stage.min_fit) &&
        (!stage.min_score || scores.score >= *stage.min_score)) {
      found = static_cast<int>(i);
      break;
    }
  }
  if (state_.sticky_stage >= 0 && state_.sticky_stage < found) found = state_.sticky_stage;
  return found;
}

void Visitor::UpdateStage(double at, std::vector<Signal>* signals) {
  Scores scores = ScoresAt(at);
  int next = StageFor(scores);
  const auto& stages = rules_->stages();
  if (next != state_.stage) {
    Signal signal;
    signal.visitor = state_.id;
    signal.ts = at;
    signal.from = stages[state_.stage].name;
    signal.to = stages[next].name;
    signal.engagement = RoundReported(scores.engagement);
    signal.fit = RoundReported(scores.fit);
    signal.score = RoundReported(scores.score);
    signal.reasons = ReasonsAt(at);
    signals->push_back(std::move(signal));
    state_.stage = next;
  }
  if (stages[next].sticky && (state_.sticky_stage < 0 || next < state_.sticky_stage)) {
    state_.sticky_stage = next;
  }
}

void Visitor::ReportAt(double at, std::vector<Signal>* signals) {
  if (!state_.started) return;
  UpdateStage(ReportingTime(at), signals);
}

double Visitor::ReportingTime(double at) const { return std::max(at, state_.last_ts); }

}  // namespace mqlscore
