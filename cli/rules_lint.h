// What `mqlscore validate` warns about in a rules file: what the contract allows but is almost
// surely a mistake (issue 17). Each warning starts with the JSON Pointer of its place:
//   /stages/2: stage "engaged" can never be reached: whenever its minimums hold, so do those of
//   "mql", listed before it /rules/4/if/utm_medium: the scorer has no field "utm_medium"; it is
//   always missing (did you mean "utm.medium"?) /rules/1/on: "pageview" is not an event type the
//   widget sends (did you mean "page_view"?)
// Unknown keys are already problems; for them this adds the nearest known key. The scorer
// ignores none of this: the warnings change nothing that validate prints on stdout, nor its exit
// status.
#ifndef MQLSCORE_CLI_RULES_LINT_H_
#define MQLSCORE_CLI_RULES_LINT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace mqlscore {

// The warnings for the rules file `document` (as read, valid or not), in the order of the file.
std::vector<std::string> RulesWarnings(const Value& document);

// The candidate nearest to `name` (ignoring case, `_` `-` `.` and spaces, then by edit distance),
// or "" when none is close enough to be what was meant.
std::string_view NearestName(std::string_view name,
                             const std::vector<std::string_view>& candidates);

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_RULES_LINT_H_
