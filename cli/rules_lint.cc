#include "cli/rules_lint.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/condition.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

const std::vector<std::string_view> kWidgetEventTypes = {
    "page_view", "cta_click",    "form_submit", "download",
    "scroll",    "engaged_time", "identify",    "session_start"};
const std::vector<std::string_view> kFields = {"type",          "ts",          "url",
                                               "host",          "path",        "referrer",
                                               "referrer_host", "visitor",     "cta",
                                               "form",          "file",        "text",
                                               "seconds",       "percent",     "title",
                                               "utm.source",    "utm.medium",  "utm.campaign",
                                               "utm.term",      "utm.content", "session.number",
                                               "session.events"};
const std::vector<std::string_view> kTopKeys = {
    "version", "session_timeout_minutes", "decay", "caps", "stages", "rules", "track", "accounts"};
const std::vector<std::string_view> kStageKeys = {"name",  "engagement", "fit",
                                                  "score", "sticky",     "description"};
const std::vector<std::string_view> kRuleKeys = {"id",     "kind",  "on",         "if",
                                                 "points", "limit", "description"};
const std::vector<std::string_view> kOperators = {"eq",     "ne",       "in",    "nin",  "gt",
                                                  "gte",    "lt",       "lte",   "glob", "prefix",
                                                  "suffix", "contains", "exists"};

std::string Folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') continue;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

// Edits (insert, delete, replace, swap two neighbours) from a to b: "limti" is one from "limit".
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string Escaped(std::string_view key) {  // a JSON Pointer's reference token
  std::string out;
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

std::string Quoted(std::string_view text) { return QuoteForMessage(text); }

std::string DidYouMean(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string_view nearest = NearestName(name, candidates);
  return nearest.empty() ? "" : " (did you mean " + Quoted(nearest) + "?)";
}

std::optional<double> NumberAt(const Value& object, const char* key) {
  const Value* v = object.Find(key);
  return v != nullptr && v->is_number() ? std::optional<double>(v->number_value()) : std::nullopt;
}

// Numbers as a rules file writes them (150, 0.5). Not number_text.h: the playground's module,
// which has this file too, has no std::to_chars for doubles.
std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

class Linter {
 public:
  std::vector<std::string> warnings;

  void Warn(const std::string& pointer, const std::string& message) {
    warnings.push_back(pointer + ": " + message);
  }

  void UnknownKeys(const Value& object, const std::string& pointer,
                   const std::vector<std::string_view>& known) {
    if (!object.is_object()) return;
    for (const Value::Member& member : object.object_members()) {
      const std::string& key = member.first;
      if (std::find(known.begin(), known.end(), key) != known.end() || key.rfind("x-", 0) == 0 ||
          key == "$schema") {
        continue;
      }
      std::string_view nearest = NearestName(key, known);
      if (!nearest.empty()) {
        Warn(pointer + "/" + Escaped(key),
             "unknown key " + Quoted(key) + "; did you mean " + Quoted(nearest) + "?");
      }
    }
  }

  void Stages(const Value& document) {
    const Value* stages = document.Find("stages");
    if (stages == nullptr || !stages->is_array()) return;
    const Value* caps = document.Find("caps");
    std::optional<double> engagement_cap, fit_cap;
    if (caps != nullptr && caps->is_object()) {
      engagement_cap = NumberAt(*caps, "engagement");
      fit_cap = NumberAt(*caps, "fit");
    }
    const Value::Array& items = stages->array_items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Value& stage = items[i];
      std::string here = "/stages/" + std::to_string(i);
      UnknownKeys(stage, here, kStageKeys);
      if (!stage.is_object()) continue;
      const Value* name = stage.Find("name");
      std::string label = name != nullptr && name->is_string() ? Quoted(name->string_value()) : "";
      auto capped = [&](const char* key, const std::optional<double>& cap, const char* cap_name) {
        std::optional<double> minimum = NumberAt(stage, key);
        if (minimum && cap && *minimum > *cap) {
          Warn(here + "/" + key, "stage " + label + " asks for " + Number(*minimum) + " " + key +
                                     " but " + cap_name + " is " + Number(*cap) +
                                     ": it can never be reached");
        }
      };
      capped("engagement", engagement_cap, "caps.engagement");
      capped("fit", fit_cap, "caps.fit");
      if (engagement_cap && fit_cap) capped("score", *engagement_cap + *fit_cap, "the caps' sum");
      if (i + 1 == items.size()) continue;  // the last stage is everyone's
      // Shadowed: an earlier stage whose every minimum is at most this one's holds whenever this
      // one's do, and the first stage that holds wins.
      for (std::size_t j = 0; j < i; ++j) {
        if (!items[j].is_object()) continue;
        bool implied = true;
        for (const char* key : {"engagement", "fit", "score"}) {
          std::optional<double> above = NumberAt(items[j], key), own = NumberAt(stage, key);
          if (above && (!own || *own < *above)) implied = false;
        }
        if (implied) {
          const Value* above_name = items[j].Find("name");
          Warn(here, "stage " + label +
                         " can never be reached: whenever its minimums hold, so do those of " +
                         (above_name != nullptr && above_name->is_string()
                              ? Quoted(above_name->string_value())
                              : "stage " + std::to_string(j)) +
                         ", listed before it");
          break;
        }
      }
    }
  }

  void Condition(const Value& condition, const std::string& pointer, bool fit) {
    if (!condition.is_object()) return;
    for (const Value::Member& member : condition.object_members()) {
      const std::string& key = member.first;
      std::string here = pointer + "/" + Escaped(key);
      if (key == "all" || key == "any") {
        if (!member.second.is_array()) continue;
        const Value::Array& items = member.second.array_items();
        for (std::size_t i = 0; i < items.size(); ++i) {
          Condition(items[i], here + "/" + std::to_string(i), fit);
        }
        continue;
      }
      if (key == "not") {
        Condition(member.second, here, fit);
        continue;
      }
      if (key.empty()) continue;
      FieldRef field = ResolveField(key);
      if (field.source == FieldRef::Source::kNone) {
        Warn(here, "the scorer has no field " + Quoted(key) + "; it is always missing" +
                       DidYouMean(key, kFields));
      } else if (fit && field.source != FieldRef::Source::kTraits) {
        Warn(here, "a fit rule sees only the visitor's traits: " + Quoted(key) +
                       " is always missing there (did you mean " + Quoted("traits." + key) + "?)");
      }
      Value::Object operands;
      if (member.second.is_object()) {
        operands = member.second.object_members();
      } else {
        operands.push_back({"eq", member.second});
      }
      for (const Value::Member& operand : operands) {
        std::string at = member.second.is_object() ? here + "/" + Escaped(operand.first) : here;
        if (std::find(kOperators.begin(), kOperators.end(), operand.first) == kOperators.end()) {
          std::string_view nearest = NearestName(operand.first, kOperators);
          if (!nearest.empty())
            Warn(at, "unknown operator " + Quoted(operand.first) + "; did you mean " +
                         Quoted(nearest) + "?");
          continue;
        }
        Operand(key, operand.first, operand.second, at);
      }
    }
  }

  void Operand(const std::string& field, const std::string& op, const Value& value,
               const std::string& pointer) {
    if (!value.is_string()) return;
    const std::string& text = value.string_value();
    if (op == "gt" || op == "gte" || op == "lt" || op == "lte") {
      char* end = nullptr;
      std::strtod(text.c_str(), &end);
      if (!text.empty() && end == text.c_str() + text.size()) {
        Warn(pointer, Quoted(text) + " is text, so " + Quoted(op) +
                          " compares it with text (\"9\" is after \"100\"); write " + text +
                          " to compare numbers");
      }
    }
    bool matches_text = op == "eq" || op == "glob" || op == "prefix";
    if (matches_text && field == "url" && !text.empty() && text[0] == '/') {
      Warn(pointer, "url is the whole address (https://...), so " + Quoted(text) +
                        " never matches it (did you mean \"path\"?)");
    }
    if (matches_text && field == "path" && !text.empty() && text[0] != '/' && text[0] != '*') {
      Warn(pointer, "a path starts with \"/\", so " + Quoted(text) +
                        " never matches (did you mean " + Quoted("/" + text) + "?)");
    }
  }

  void EventType(const Value& type, const std::string& pointer) {
    if (!type.is_string()) return;
    const std::string& name = type.string_value();
    if (std::find(kWidgetEventTypes.begin(), kWidgetEventTypes.end(), name) !=
        kWidgetEventTypes.end()) {
      return;
    }
    std::string_view nearest = NearestName(name, kWidgetEventTypes);
    if (!nearest.empty()) {
      Warn(pointer, Quoted(name) + " is not an event type the widget sends (did you mean " +
                        Quoted(nearest) + "?)");
    }
  }

  void Rules(const Value& document) {
    const Value* rules = document.Find("rules");
    if (rules == nullptr || !rules->is_array()) return;
    const Value::Array& items = rules->array_items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Value& rule = items[i];
      std::string here = "/rules/" + std::to_string(i);
      UnknownKeys(rule, here, kRuleKeys);
      if (!rule.is_object()) continue;
      const Value* kind = rule.Find("kind");
      bool fit = kind != nullptr && kind->is_string() && kind->string_value() == "fit";
      if (const Value* on = rule.Find("on")) {
        if (on->is_array()) {
          for (std::size_t k = 0; k < on->array_items().size(); ++k) {
            EventType(on->array_items()[k], here + "/on/" + std::to_string(k));
          }
        } else {
          EventType(*on, here + "/on");
        }
      }
      if (const Value* condition = rule.Find("if")) Condition(*condition, here + "/if", fit);
      if (const Value* limit = rule.Find("limit"))
        UnknownKeys(*limit, here + "/limit", {"times", "per"});
    }
  }
};

}  // namespace

std::string_view NearestName(std::string_view name,
                             const std::vector<std::string_view>& candidates) {
  std::string folded = Folded(name);
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(1, folded.size() / 4);
  for (std::string_view candidate : candidates) {
    std::string other = Folded(candidate);
    if (other == folded) return candidate;
    std::size_t distance = EditDistance(folded, other);
    if (distance <= best_distance && (best.empty() || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::vector<std::string> RulesWarnings(const Value& document) {
  Linter linter;
  if (!document.is_object()) return {};
  linter.UnknownKeys(document, "", kTopKeys);
  linter.Stages(document);
  linter.Rules(document);
  return linter.warnings;
}

}  // namespace mqlscore
