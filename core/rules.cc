#include "core/rules.h"

#include <algorithm>
#include <cmath>

#include "core/json_reader.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

constexpr double kMsPerMinute = 60 * 1000.0;
constexpr double kMsPerDay = 24 * 60 * kMsPerMinute;
constexpr double kMaxPoints = 1e9;

// For each of `items`, whether its valid name under `key` is one an earlier item already has.
std::vector<char> RepeatedNames(const std::vector<Value>& items, const char* key) {
  std::vector<std::string_view> names(items.size());  // empty: no valid name
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value* name = items[i].Find(key);
    if (name && name->is_string() && IsValidName(name->string_value())) {
      names[i] = name->string_value();
    }
  }
  std::vector<std::string_view> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  std::vector<char> seen(sorted.size(), 0);  // per name, at its first place in `sorted`
  std::vector<char> repeated(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (names[i].empty()) continue;
    auto first = std::lower_bound(sorted.begin(), sorted.end(), names[i]);
    char& earlier = seen[static_cast<std::size_t>(first - sorted.begin())];
    repeated[i] = earlier;
    earlier = 1;
  }
  return repeated;
}

bool IsWholeNumber(const Value& value) {
  if (!value.is_number()) return false;
  double d = value.number_value();
  return std::floor(d) == d && std::fabs(d) < 9007199254740992.0;
}

// Out of line on purpose. Inlined into RuleSet::Parse, the loop became one whose back edge spans
// all of Parse in the WebAssembly build; V8 charges each pass of a loop by that span against the
// function's budget for its optimising compiler, so hashing a 6 KB file had V8 recompile all of
// Parse in the background on every first page view (15-45 ms of one core, docs/benchmarks.md).
[[gnu::noinline]] std::string Fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  // By hand rather than std::to_chars(..., 16): 0.35 KB gzip of the WebAssembly build.
  static const char kHex[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) text[i] = kHex[hash & 0xF];
  return text;
}

// Collects the problems of one object's keys: unknown ones, missing required ones, wrong types.
class ObjectChecker {
 public:
  ObjectChecker(const Value& object, std::string pointer, Problems* problems)
      : object_(object), pointer_(std::move(pointer)), problems_(problems) {}

  // Keys are string_views: as const std::string&, every call with a literal built a string, which
  // was 0.7 KB of the WebAssembly build.
  std::string Here(std::string_view key) const { return pointer_ + "/" + PointerToken(key); }
  void Problem(std::string_view key, std::string message) const {
    problems_->push_back({Here(key), std::move(message)});
  }
  // The same for a fixed message, built here rather than at each of the many callers.
  void Problem(std::string_view key, const char* message) const {
    Problem(key, std::string(message));
  }

  // Reports keys outside `known` other than x-... notes. `known` is in alphabetical order, the
  // order the message lists them in.
  void RejectUnknownKeys(std::initializer_list<std::string_view> known, const char* what) const {
    for (const Value::Member& member : object_.object_members()) {
      const std::string& key = member.first;
      if (std::find(known.begin(), known.end(), key) != known.end() || IsNoteKey(key)) continue;
      std::string message = "unknown key in ";
      message += what;
      message += " (expected ";
      for (std::string_view k : known) {
        if (k == "$schema") continue;
        message += k;
        message += ", ";
      }
      Problem(key, message + "or x-... for notes)");
    }
  }

  const Value* Find(std::string_view key) const { return object_.Find(key); }

  const Value* Required(std::string_view key) const {
    const Value* value = Find(key);
    if (value == nullptr) Problem(key, "is required");
    return value;
  }

  // A number; when `positive`, strictly greater than 0; when `non_negative`, at least 0.
  std::optional<double> Number(std::string_view key, bool positive, bool non_negative) const {
    const Value* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) {
      Problem(key, ExpectedButGot("must be a number", *value));
      return std::nullopt;
    }
    double d = value->number_value();
    if (positive && !(d > 0)) {
      Problem(key, "must be greater than 0");
      return std::nullopt;
    }
    if (non_negative && d < 0) {
      Problem(key, "must be 0 or more");
      return std::nullopt;
    }
    return d;
  }

  // A string; nullptr when absent or not a string (a problem then).
  const std::string* String(std::string_view key) const {
    const Value* value = Find(key);
    if (value == nullptr) return nullptr;
    if (!value->is_string()) {
      Problem(key, ExpectedButGot("must be a string", *value));
      return nullptr;
    }
    return &value->string_value();
  }

 private:
  const Value& object_;
  std::string pointer_;
  Problems* problems_;
};

}  // namespace

bool IsNoteKey(std::string_view key) { return key.rfind("x-", 0) == 0; }

bool IsValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Problems RuleSet::Parse(std::string_view text, RuleSet* out) {
  Value document;
  Status read =
      text.size() > kMaxRulesBytes ? Status::Ok() : ReadJson(text, kMaxRulesDepth, &document);
  return Parse(text, read, document, out);
}

Problems RuleSet::Parse(std::string_view text, const Status& read, const Value& doc, RuleSet* out) {
  Problems problems;
  *out = RuleSet();
  if (text.size() > kMaxRulesBytes) {
    problems.push_back({"", "the rules file is " + std::to_string(text.size()) +
                                " bytes; the limit is 16 MiB (" + std::to_string(kMaxRulesBytes) +
                                " bytes)"});
    return problems;
  }
  if (!read.ok()) {
    problems.push_back(
        {"", read.code() == Status::Code::kTooDeep
                 ? "the rules file nests deeper than " + std::to_string(kMaxRulesDepth) + " levels"
                 : "the rules file is not valid JSON: " + read.message()});
    return problems;
  }
  if (!doc.is_object()) {
    problems.push_back({"", ExpectedButGot("the rules file must be a JSON object", doc)});
    return problems;
  }
  out->hash_ = Fnv1a64(text);
  ObjectChecker top(doc, "", &problems);
  top.RejectUnknownKeys({"$schema", "accounts", "caps", "decay", "rules", "session_timeout_minutes",
                         "stages", "track", "version"},
                        "the rules file");

  if (const Value* version = top.Required("version")) {
    if (!IsWholeNumber(*version) || version->number_value() != 1) {
      top.Problem("version", "must be 1 (this is rules format v1)");
    }
  }
  if (auto minutes = top.Number("session_timeout_minutes", true, false)) {
    out->session_timeout_ms_ = *minutes * kMsPerMinute;
  }
  if (const Value* decay = top.Find("decay")) {
    if (!decay->is_object()) {
      top.Problem("decay",
                  ExpectedButGot("must be an object such as {\"half_life_days\": 30}", *decay));
    } else {
      ObjectChecker checker(*decay, "/decay", &problems);
      checker.RejectUnknownKeys({"half_life_days"}, "decay");
      if (checker.Required("half_life_days")) {
        if (auto days = checker.Number("half_life_days", true, false)) {
          out->half_life_ms_ = *days * kMsPerDay;
        }
      }
    }
  }
  if (const Value* caps = top.Find("caps")) {
    if (!caps->is_object()) {
      top.Problem("caps", ExpectedButGot("must be an object such as {\"engagement\": 200}", *caps));
    } else {
      ObjectChecker checker(*caps, "/caps", &problems);
      checker.RejectUnknownKeys({"engagement", "fit"}, "caps");
      out->engagement_cap_ = checker.Number("engagement", false, true);
      out->fit_cap_ = checker.Number("fit", false, true);
    }
  }
  // Stages for companies, the collector's (core/account_stages.h): the scorer leaves them be.
  // What the browser widget collects; the widget reads it from the file itself.
  if (const Value* track = top.Find("track")) {
    if (!track->is_object()) top.Problem("track", ExpectedButGot("must be an object", *track));
  }

  if (const Value* stages = top.Required("stages")) {
    if (!stages->is_array() || stages->array_items().empty()) {
      top.Problem("stages", stages->is_array()
                                ? "needs at least one stage"
                                : ExpectedButGot("must be an array of stages", *stages));
    } else {
      const std::vector<Value>& items = stages->array_items();
      std::vector<char> repeated = RepeatedNames(items, "name");
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Value& item = items[i];
        std::string here = "/stages/" + std::to_string(i);
        if (!item.is_object()) {
          problems.push_back({here, ExpectedButGot("a stage must be an object", item)});
          continue;
        }
        ObjectChecker checker(item, here, &problems);
        checker.RejectUnknownKeys({"description", "engagement", "fit", "name", "score", "sticky"},
                                  "a stage");
        Stage stage;
        if (checker.Required("name")) {
          if (auto name = checker.String("name")) {
            if (!IsValidName(*name)) {
              checker.Problem("name", QuoteForMessage(*name) +
                                          " is not a valid name (1 to 64 of A-Z a-z 0-9 _ . -)");
            } else if (repeated[i]) {
              checker.Problem("name", "duplicate stage name " + QuoteForMessage(*name));
            }
            stage.name = *name;
          }
        }
        stage.min_engagement = checker.Number("engagement", false, false);
        stage.min_fit = checker.Number("fit", false, false);
        stage.min_score = checker.Number("score", false, false);
        checker.String("description");
        if (const Value* sticky = checker.Find("sticky")) {
          if (!sticky->is_bool()) {
            checker.Problem("sticky", ExpectedButGot("must be true or false", *sticky));
          } else {
            stage.sticky = sticky->bool_value();
          }
        }
        bool last = i + 1 == items.size();
        if (last && (item.Find("engagement") || item.Find("fit") || item.Find("score"))) {
          problems.push_back({here,
                              "the last stage must have no minimums (engagement, fit, score): "
                              "it is where every visitor starts"});
        }
        out->stages_.push_back(std::move(stage));
      }
    }
  }

  if (const Value* rules = top.Required("rules")) {
    if (!rules->is_array()) {
      top.Problem("rules", ExpectedButGot("must be an array of rules", *rules));
    } else {
      const std::vector<Value>& items = rules->array_items();
      std::vector<char> repeated = RepeatedNames(items, "id");
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Value& item = items[i];
        std::string here = "/rules/" + std::to_string(i);
        if (!item.is_object()) {
          problems.push_back({here, ExpectedButGot("a rule must be an object", item)});
          continue;
        }
        ObjectChecker checker(item, here, &problems);
        checker.RejectUnknownKeys({"description", "id", "if", "kind", "limit", "on", "points"},
                                  "a rule");
        Rule rule;
        if (checker.Required("id")) {
          if (auto id = checker.String("id")) {
            if (!IsValidName(*id)) {
              checker.Problem("id", QuoteForMessage(*id) +
                                        " is not a valid rule id (1 to 64 of A-Z a-z 0-9 _ . -)");
            } else if (repeated[i]) {
              checker.Problem("id", "duplicate rule id " + QuoteForMessage(*id));
            }
            rule.id = *id;
          }
        }
        if (auto kind = checker.String("kind")) {
          if (*kind == "fit") {
            rule.is_fit = true;
          } else if (*kind != "engagement") {
            checker.Problem("kind",
                            "must be \"engagement\" or \"fit\", not " + QuoteForMessage(*kind));
          }
        }
        if (const Value* on = checker.Find("on")) {
          if (rule.is_fit) {
            checker.Problem("on", "fit rules score the visitor's traits and take no \"on\"");
          } else if (on->is_string()) {
            if (on->string_value().empty()) {
              checker.Problem("on", "must name an event type, not be empty");
            }
            rule.on.push_back(on->string_value());
          } else if (on->is_array() && !on->array_items().empty()) {
            const std::vector<Value>& types = on->array_items();
            for (std::size_t k = 0; k < types.size(); ++k) {
              if (!types[k].is_string() || types[k].string_value().empty()) {
                problems.push_back({checker.Here("on") + "/" + std::to_string(k),
                                    "must be an event type name (a non-empty string)"});
              } else {
                rule.on.push_back(types[k].string_value());
              }
            }
          } else {
            checker.Problem("on", "must be an event type or a non-empty array of event types");
          }
        } else if (!rule.is_fit) {
          checker.Problem("on",
                          "is required: the event type(s) this rule listens to, such as "
                          "\"page_view\"");
        }
        if (const Value* when = checker.Find("if")) {
          rule.when = Condition::Parse(*when, checker.Here("if"), &problems);
        }
        if (checker.Required("points")) {
          if (auto points = checker.Number("points", false, false)) {
            // Far beyond any real rule, and it keeps sums of awards finite.
            if (std::fabs(*points) > kMaxPoints) {
              checker.Problem("points", "must be between -1000000000 and 1000000000");
            }
            rule.points = *points;
          }
        }
        if (const Value* limit = checker.Find("limit")) {
          if (rule.is_fit) {
            checker.Problem("limit", "fit rules have no limit: they count once while they hold");
          } else if (!limit->is_object()) {
            checker.Problem(
                "limit", ExpectedButGot(
                             "must be an object such as {\"times\": 1, \"per\": \"day\"}", *limit));
          } else {
            ObjectChecker limit_checker(*limit, checker.Here("limit"), &problems);
            limit_checker.RejectUnknownKeys({"per", "times"}, "a limit");
            Limit parsed;
            bool ok = true;
            if (const Value* times = limit_checker.Required("times")) {
              if (!IsWholeNumber(*times) || times->number_value() < 1) {
                limit_checker.Problem("times", "must be a whole number, 1 or more");
                ok = false;
              } else {
                parsed.times = static_cast<std::int64_t>(times->number_value());
              }
            } else {
              ok = false;
            }
            if (limit_checker.Required("per")) {
              // In the order of Limit::Per, with their rolling windows.
              static const struct {
                const char* name;
                double window_ms;
              } kPeriods[] = {
                  {"session", 0}, {"day", kMsPerDay}, {"week", 7 * kMsPerDay}, {"ever", 0}};
              const std::string* per = limit_checker.String("per");
              int found = -1;
              for (int k = 0; k < 4 && per != nullptr; ++k) {
                if (*per == kPeriods[k].name) found = k;
              }
              if (found >= 0) {
                parsed.per = static_cast<Limit::Per>(found);
                parsed.window_ms = kPeriods[found].window_ms;
              } else {
                if (per) {
                  limit_checker.Problem("per", "must be one of session, day, week, ever; not " +
                                                   QuoteForMessage(*per));
                }
                ok = false;
              }
            } else {
              ok = false;
            }
            if (ok) rule.limit = parsed;
          }
        }
        if (auto description = checker.String("description")) rule.description = *description;
        out->rules_.push_back(std::move(rule));
      }
    }
  }

  if (problems.empty()) {
    for (std::size_t i = 0; i < out->rules_.size(); ++i) {
      const Rule& rule = out->rules_[i];
      if (rule.is_fit) {
        out->fit_rules_.push_back(i);
        continue;
      }
      for (const std::string& type : rule.on) {
        std::size_t k = std::find(out->event_types_.begin(), out->event_types_.end(), type) -
                        out->event_types_.begin();
        if (k == out->event_types_.size()) {
          out->event_types_.push_back(type);
          out->listeners_.resize(k + 1);
        }
        std::vector<std::size_t>& listeners = out->listeners_[k];
        if (listeners.empty() || listeners.back() != i) listeners.push_back(i);
      }
    }
  }
  return problems;
}

const std::vector<std::size_t>& RuleSet::EngagementRulesFor(std::string_view type) const {
  static const std::vector<std::size_t> kNone;
  for (std::size_t k = 0; k < event_types_.size(); ++k) {
    if (event_types_[k] == type) return listeners_[k];
  }
  return kNone;
}

int RuleSet::RuleIndex(std::string_view id) const {
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int RuleSet::StageIndex(std::string_view name) const {
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    if (stages_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace mqlscore
