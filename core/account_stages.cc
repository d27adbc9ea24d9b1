#include "core/account_stages.h"

#include <cmath>
#include <set>

#include "core/rules.h"
#include "core/strings.h"

namespace mqlscore {

Problems ParseAccountStages(const Value& rules, std::vector<AccountStage>* out) {
  Problems problems;
  out->clear();
  const Value* accounts = rules.is_object() ? rules.Find("accounts") : nullptr;
  if (accounts == nullptr) return problems;
  if (!accounts->is_object()) {
    problems.push_back(
        {"/accounts", ExpectedButGot("must be an object such as {\"stages\": [...]}", *accounts)});
    return problems;
  }
  for (const auto& [key, value] : accounts->object_members()) {
    if (key != "stages" && !IsNoteKey(key)) {
      problems.push_back(
          {"/accounts/" + PointerToken(key),
           "unknown key in the accounts section (known: stages; or x-... for notes)"});
    }
  }
  const Value* stages = accounts->Find("stages");
  if (stages == nullptr || !stages->is_array() || stages->array_items().empty()) {
    problems.push_back({stages == nullptr ? "/accounts" : "/accounts/stages",
                        stages == nullptr ? "needs \"stages\", an array of account stages"
                        : stages->is_array()
                            ? "needs at least one stage"
                            : ExpectedButGot("must be an array of account stages", *stages)});
    return problems;
  }
  std::set<std::string> names;
  const Value::Array& items = stages->array_items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string here = "/accounts/stages/" + std::to_string(i);
    const Value& item = items[i];
    if (!item.is_object()) {
      problems.push_back({here, ExpectedButGot("an account stage must be an object", item)});
      continue;
    }
    AccountStage stage;
    for (const auto& [key, value] : item.object_members()) {
      std::string at = here + "/" + PointerToken(key);
      if (key == "name") {
        if (!value.is_string()) {
          problems.push_back({at, ExpectedButGot("must be a string", value)});
        } else if (!IsValidName(value.string_value())) {
          problems.push_back({at, QuoteForMessage(value.string_value()) +
                                      " is not a valid name (1 to 64 of A-Z a-z 0-9 _ . -)"});
        } else if (!names.insert(value.string_value()).second) {
          problems.push_back(
              {at, "duplicate account stage name " + QuoteForMessage(value.string_value())});
        } else {
          stage.name = value.string_value();
        }
      } else if (key == "engagement" || key == "fit") {
        if (!value.is_number() || value.number_value() < 0) {
          problems.push_back({at, value.is_number() ? "must be at least 0"
                                                    : ExpectedButGot("must be a number", value)});
        } else {
          (key == "engagement" ? stage.min_engagement : stage.min_fit) = value.number_value();
        }
      } else if (key == "people") {
        double n = value.is_number() ? value.number_value() : 0;
        if (!value.is_number() || n < 1 || n > 1e6 || std::floor(n) != n) {
          problems.push_back({at, value.is_number()
                                      ? "must be a whole number of at least 1"
                                      : ExpectedButGot("must be a whole number", value)});
        } else {
          stage.min_people = static_cast<int>(n);
        }
      } else if (key == "description") {
        if (!value.is_string()) problems.push_back({at, ExpectedButGot("must be a string", value)});
      } else if (!IsNoteKey(key)) {
        problems.push_back({at,
                            "unknown key in an account stage (known: description, engagement, fit, "
                            "name, people; or x-... for notes)"});
      }
    }
    if (item.Find("name") == nullptr)
      problems.push_back({here, "an account stage needs a \"name\""});
    out->push_back(stage);
  }
  if (!problems.empty()) out->clear();
  return problems;
}

std::string AccountStageFor(const std::vector<AccountStage>& stages, double engagement,
                            double best_fit, int people) {
  for (const AccountStage& stage : stages) {
    if (stage.min_engagement && engagement < *stage.min_engagement) continue;
    if (stage.min_fit && best_fit < *stage.min_fit) continue;
    if (people < stage.min_people) continue;
    return stage.name;
  }
  return "";
}

}  // namespace mqlscore
