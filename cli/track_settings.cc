#include "cli/track_settings.h"

#include "cli/css_selector.h"
#include "core/json_reader.h"
#include "core/json_writer.h"
#include "core/rules.h"
#include "core/value.h"

namespace mqlscore {
namespace {

bool IsSelectors(const Value& v) {
  if (!v.is_object()) return false;
  for (const Value::Member& member : v.object_members()) {
    if (!member.second.is_string()) return false;
  }
  return true;
}

template <typename ItemTest>
bool IsListOf(const Value& v, ItemTest item_test) {
  if (!v.is_array()) return false;
  for (const Value& item : v.array_items()) {
    if (!item_test(item)) return false;
  }
  return true;
}

bool IsPositive(const Value& v) { return v.is_number() && v.number_value() > 0; }

struct Setting {
  const char* name;
  bool (*valid)(const Value&);  // besides true and false
  const char* expected;
};

const Setting kSettings[] = {
    {"page_views", [](const Value&) { return false; }, "true or false"},
    {"ctas", IsSelectors, "false or an object of CSS selectors"},
    {"forms", IsSelectors, "false or an object of CSS selectors"},
    {"downloads",
     [](const Value& v) { return IsListOf(v, [](const Value& e) { return e.is_string(); }); },
     "false or a list of file extensions"},
    {"scroll",
     [](const Value& v) {
       return IsListOf(v, [](const Value& n) { return IsPositive(n) && n.number_value() <= 100; });
     },
     "false or a list of percentages"},
    {"engaged_seconds", [](const Value& v) { return IsListOf(v, IsPositive); },
     "false or a list of seconds"},
    {"traits",
     [](const Value& v) { return IsListOf(v, [](const Value& t) { return t.is_string(); }); },
     "false or a list of trait names"},
};

}  // namespace

std::vector<std::string> TrackSettingWarnings(std::string_view rules_text) {
  Value doc;
  if (!ReadJson(rules_text, kMaxRulesDepth, &doc).ok()) return {};
  const Value* track = doc.Find("track");
  if (track == nullptr || !track->is_object()) return {};
  std::vector<std::string> warnings;
  for (const Value::Member& member : track->object_members()) {
    const std::string& key = member.first;
    const Setting* setting = nullptr;
    for (const Setting& candidate : kSettings) {
      if (key == candidate.name) setting = &candidate;
    }
    if (setting == nullptr) {
      if (!IsNoteKey(key)) {
        std::string names;
        for (const Setting& known : kSettings)
          names += (names.empty() ? "" : ", ") + std::string(known.name);
        warnings.push_back("track." + key + " is not a setting (" + names + "); ignored");
      }
    } else if (!member.second.is_bool() && !setting->valid(member.second)) {
      warnings.push_back("track." + key + " must be " + setting->expected + ", not " +
                         ToJsonText(member.second) + "; using the default");
    } else if (setting->valid == IsSelectors && member.second.is_object()) {
      for (const Value::Member& selector : member.second.object_members()) {
        if (!IsCssSelector(selector.second.string_value())) {
          warnings.push_back("track." + key + "." + selector.first + ": " +
                             ToJsonText(selector.second) + " is not a CSS selector; ignored");
        }
      }
    }
  }
  return warnings;
}

}  // namespace mqlscore
