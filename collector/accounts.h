// Accounts: the collector's leads grouped by company (docs/collector.md, "Accounts"). A lead
// belongs to the account of its e-mail's domain, unless that is a free-mail provider's (npm's
// free-email-domains-list, built in), else to its `company` trait; a lead with neither has none.
#ifndef MQLSCORE_COLLECTOR_ACCOUNTS_H_
#define MQLSCORE_COLLECTOR_ACCOUNTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/account_stages.h"
#include "core/rules.h"

namespace mqlscore {

// Whether `domain` (lower case) is a free-mail provider's: gmail.com, yahoo.co.uk, ...
bool IsFreeMailDomain(std::string_view domain);

// The account key of a person: "northwind.com" for ann@Northwind.com, "northwind" for a gmail
// address with the company trait " Northwind ", "" for neither.
std::string AccountOf(const std::string& email, const std::string& company);

// A lead as an account counts it: its latest signal's scores and stage.
struct AccountMember {
  std::string visitor, person, email, company, stage;
  double engagement = 0;  // at `ts`
  double fit = 0;
  double ts = 0;
};

struct Account {
  std::string key;
  std::string name;        // the company trait most of its members give, else the key
  std::string stage;       // its account stage (core/account_stages.h), "" for none
  std::string best_stage;  // the highest stage among its members
  int people = 0;          // distinct e-mails, a visitor without one counting alone
  int visitors = 0;
  double engagement = 0;  // the members' engagement decayed to now, summed
  double best_fit = 0;
  double last_activity = 0;  // ms since the epoch
};

// One Account per key among `members` (each with its account key), in order of engagement,
// highest first. `rules` gives the decay and the order of stages.
std::vector<Account> SummarizeAccounts(
    const std::vector<std::pair<std::string, AccountMember>>& members, const RuleSet& rules,
    const std::vector<AccountStage>& stages, double now_ms);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_ACCOUNTS_H_
