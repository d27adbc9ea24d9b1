// The rules file's optional `accounts` section (docs/rules.md, "Accounts"): stages for companies,
// reached by the combined engagement of their people. The widget scores people only and ignores
// it; the collector groups its leads into accounts and gives each the first stage it reaches.
//
//   "accounts": { "stages": [
//     { "name": "mqa", "engagement": 150, "people": 2 },
//     { "name": "engaged-account", "engagement": 50 } ] }
#ifndef MQLSCORE_CORE_ACCOUNT_STAGES_H_
#define MQLSCORE_CORE_ACCOUNT_STAGES_H_

#include <optional>
#include <string>
#include <vector>

#include "core/problem.h"
#include "core/value.h"

namespace mqlscore {

struct AccountStage {
  std::string name;
  std::optional<double> min_engagement;  // the people's engagement now, summed
  std::optional<double> min_fit;         // the best fit among them
  int min_people = 0;                    // how many people (an e-mail, or else a visitor)
};

// The stages of a rules document's `accounts` section, highest first; none without the section.
// Reports each problem with its JSON Pointer (/accounts/stages/0/people, ...).
// REQUIRES: `rules` is the rules file read with ReadJson (core/json_reader.h).
Problems ParseAccountStages(const Value& rules, std::vector<AccountStage>* out);

// The first of `stages` an account reaches, or "" when it reaches none.
std::string AccountStageFor(const std::vector<AccountStage>& stages, double engagement,
                            double best_fit, int people);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_ACCOUNT_STAGES_H_
