#include "collector/accounts.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "core/decay.h"
#include "core/strings.h"

namespace mqlscore {

extern const char kFreeMailDomains[];  // free_mail_domains.cc, made by free-mail-domains.mjs

namespace {

std::string Trimmed(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

}  // namespace

bool IsFreeMailDomain(std::string_view domain) {
  static const std::unordered_set<std::string_view> domains = [] {
    std::unordered_set<std::string_view> set;
    std::string_view all(kFreeMailDomains);
    for (std::size_t at = 0; at < all.size();) {
      std::size_t end = all.find('\n', at);
      if (end == std::string_view::npos) end = all.size();
      if (end > at) set.insert(all.substr(at, end - at));
      at = end + 1;
    }
    return set;
  }();
  return domains.count(domain) > 0;
}

std::string AccountOf(const std::string& email, const std::string& company) {
  std::string address = AsciiLower(Trimmed(email));
  std::size_t at = address.rfind('@');
  if (at != std::string::npos && at + 1 < address.size()) {
    std::string domain = address.substr(at + 1);
    if (!IsFreeMailDomain(domain)) return domain;
  }
  return AsciiLower(Trimmed(company));
}

std::vector<Account> SummarizeAccounts(
    const std::vector<std::pair<std::string, AccountMember>>& members, const RuleSet& rules,
    const std::vector<AccountStage>& stages, double now_ms) {
  struct Group {
    Account account;
    std::set<std::string> people;
    std::map<std::string, int> names;
    int best_stage = -1;
  };
  std::map<std::string, Group> groups;
  for (const auto& [key, m] : members) {
    if (key.empty()) continue;
    Group& group = groups[key];
    Account& a = group.account;
    a.key = key;
    a.visitors++;
    group.people.insert(m.email.empty() ? "visitor:" + m.visitor : m.email);
    if (!m.company.empty()) group.names[Trimmed(m.company)]++;
    a.engagement += m.engagement * DecayFactor(std::max(0.0, now_ms - m.ts), rules.half_life_ms());
    a.best_fit = std::max(a.best_fit, m.fit);
    a.last_activity = std::max(a.last_activity, m.ts);
    int index = rules.StageIndex(m.stage);
    if (index >= 0 && (group.best_stage < 0 || index < group.best_stage)) {
      group.best_stage = index;
      a.best_stage = m.stage;
    }
  }
  std::vector<Account> out;
  for (auto& [key, group] : groups) {
    Account& a = group.account;
    a.people = static_cast<int>(group.people.size());
    a.name = key;
    int most = 0;
    for (const auto& [name, count] : group.names) {
      if (count > most) {
        most = count;
        a.name = name;
      }
    }
    a.stage = AccountStageFor(stages, a.engagement, a.best_fit, a.people);
    out.push_back(a);
  }
  std::sort(out.begin(), out.end(), [](const Account& x, const Account& y) {
    return x.engagement != y.engagement ? x.engagement > y.engagement : x.key < y.key;
  });
  return out;
}

}  // namespace mqlscore
