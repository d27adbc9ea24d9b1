#include "collector/handoff.h"

#include <algorithm>
#include <map>

#include "cli/outcomes.h"
#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

const std::map<std::string, std::vector<std::string>>& Transitions() {
  static const auto* transitions =
      new std::map<std::string, std::vector<std::string>>{{"new", {"accepted", "rejected"}},
                                                          {"accepted", {"sql", "rejected", "lost"}},
                                                          {"sql", {"won", "lost"}},
                                                          {"rejected", {}},
                                                          {"won", {}},
                                                          {"lost", {}}};
  return *transitions;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  }
  return out;
}

}  // namespace

std::string StatusChangeProblem(const std::string& current, const std::string& next,
                                const std::string& reason) {
  const std::vector<std::string> team = {"accepted", "rejected", "sql", "won", "lost"};
  if (std::find(team.begin(), team.end(), next) == team.end()) {
    return "status must be one of " + Joined(team) + ", not " + QuoteForMessage(next);
  }
  if (next == "rejected" && reason.find_first_not_of(" \t") == std::string::npos) {
    return "a rejected lead needs a reason (\"reason\": \"no budget this year\")";
  }
  auto found = Transitions().find(current);
  if (found == Transitions().end()) return "";  // a CRM's own label
  const std::vector<std::string>& allowed = found->second;
  if (std::find(allowed.begin(), allowed.end(), next) != allowed.end()) return "";
  if (allowed.empty()) return "a lead that is " + current + " is done; it cannot become " + next;
  return "a lead that is " + current + " can become " + Joined(allowed) + ", not " + next;
}

std::string OutcomesCsv(const std::vector<StatusChange>& changes,
                        const std::vector<std::string>& emails) {
  std::string csv = CsvRow({"visitor", "email", "outcome", "ts"});
  for (std::size_t i = 0; i < changes.size(); ++i) {
    csv += CsvRow({changes[i].visitor, emails[i], changes[i].status, FormatRfc3339(changes[i].at)});
  }
  return csv;
}

}  // namespace mqlscore
