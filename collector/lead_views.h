// The marketing views of the leads (docs/collector.md, "The lead cockpit"): the funnel from
// visitor to won deal, week by week, and which rules and campaigns bring MQLs that become SQLs.
#ifndef MQLSCORE_COLLECTOR_LEAD_VIEWS_H_
#define MQLSCORE_COLLECTOR_LEAD_VIEWS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "collector/store.h"

namespace mqlscore {

// visitors (known to the collector), engaged (a verified stage change), mql, accepted (by sales:
// accepted, sql, won or lost), sql (sql or won, or lost after sql), won.
constexpr std::array<const char*, 6> kFunnelSteps = {"visitors", "engaged", "mql",
                                                     "accepted", "sql",     "won"};

struct Funnel {
  std::array<std::int64_t, 6> reached{};
  // Median days from the step before to this one, among leads that reached both; -1 for none.
  std::array<double, 6> median_days{};
  struct Week {
    std::string starts;  // the Monday (UTC) the week's visitors were first seen, YYYY-MM-DD
    std::array<std::int64_t, 6> reached{};
  };
  std::vector<Week> weeks;  // oldest first
};

// The funnel of `leads`, and of each of the `weeks` weeks up to the one holding `now_ms`.
Funnel BuildFunnel(const std::vector<FunnelLead>& leads, double now_ms, int weeks);

struct CampaignRow {
  std::string by;   // "rule", "utm_source" or "utm_campaign"
  std::string key;  // the rule id or campaign value; "" when the MQL had none
  std::int64_t mqls = 0, sqls = 0;
};

// The MQLs of `leads` and how many of them became SQLs, by the rule that brought each, by its
// session's utm_source and by its utm_campaign; most MQLs first within each.
std::vector<CampaignRow> Campaigns(const std::vector<FunnelLead>& leads);

// The leads list (as Store::Leads reads it, with its LeadFacts) as CSV: visitor,email,name,
// company,account,stage,score,engagement,fit,verdict,status,last_activity (RFC 3339), a header
// first; fields quoted where they need it.
std::string LeadsCsv(const std::vector<StoredSignal>& leads);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_LEAD_VIEWS_H_
