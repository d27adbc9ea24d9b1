#include "collector/lead_views.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/number_text.h"
#include "core/timestamp.h"

namespace mqlscore {
namespace {

constexpr double kDayMs = 86400000.0;
constexpr double kWeekMs = 7 * kDayMs;
// 1970-01-01 was a Thursday: Mondays are 4 days on from it.
constexpr double kFirstMondayMs = 4 * kDayMs;

double WeekStart(double ms) {
  return kFirstMondayMs + std::floor((ms - kFirstMondayMs) / kWeekMs) * kWeekMs;
}

// When `lead` reached each step; 0 for a step it has not.
std::array<double, 6> Reached(const FunnelLead& lead) {
  std::array<double, 6> at{lead.first_seen, lead.engaged_at, lead.qualified_at, 0, 0, 0};
  bool was_sql = false;
  for (const StatusChange& change : lead.statuses) {
    const std::string& s = change.status;
    bool accepted = s == "accepted" || s == "sql" || s == "won" || s == "lost";
    bool sql = s == "sql" || s == "won" || (s == "lost" && was_sql);
    if (accepted && at[3] == 0) at[3] = change.at;
    if (sql && at[4] == 0) at[4] = change.at;
    if (s == "won" && at[5] == 0) at[5] = change.at;
    was_sql = was_sql || s == "sql";
  }
  // A later step implies the earlier ones (an imported "won" without its history, say).
  for (int i = 4; i >= 1; --i) {
    if (at[i] == 0 && at[i + 1] != 0) at[i] = at[i + 1];
  }
  return at;
}

double Median(std::vector<double> values) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// A text field: quoted where it needs it, and a leading = + - @ made inert, so that a name a
// visitor typed cannot become a formula in the spreadsheet the file is opened in.
std::string Csv(std::string field) {
  if (!field.empty() && std::string("=+-@\t\r").find(field[0]) != std::string::npos) {
    field = "'" + field;
  }
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? "\"\"" : std::string(1, c);
  return out + "\"";
}

std::string NumberCsv(double d) {
  std::string text;
  AppendNumberText(d, &text);
  return text;
}

}  // namespace

Funnel BuildFunnel(const std::vector<FunnelLead>& leads, double now_ms, int weeks) {
  Funnel funnel;
  double first_week = WeekStart(now_ms) - (weeks - 1) * kWeekMs;
  for (int w = 0; w < weeks; ++w) {
    funnel.weeks.push_back({FormatRfc3339(first_week + w * kWeekMs).substr(0, 10), {}});
  }
  std::array<std::vector<double>, 6> gaps;
  for (const FunnelLead& lead : leads) {
    std::array<double, 6> at = Reached(lead);
    double week = WeekStart(lead.first_seen);
    int w = static_cast<int>(std::llround((week - first_week) / kWeekMs));
    for (std::size_t i = 0; i < at.size(); ++i) {
      if (at[i] == 0 && i > 0) continue;
      funnel.reached[i]++;
      if (w >= 0 && w < weeks) funnel.weeks[w].reached[i]++;
      if (i > 0 && at[i - 1] != 0) gaps[i].push_back(std::max(0.0, at[i] - at[i - 1]) / kDayMs);
    }
  }
  funnel.median_days[0] = -1;
  for (std::size_t i = 1; i < gaps.size(); ++i) funnel.median_days[i] = Median(gaps[i]);
  return funnel;
}

std::vector<CampaignRow> Campaigns(const std::vector<FunnelLead>& leads) {
  std::vector<CampaignRow> out;
  for (const char* by : {"rule", "utm_source", "utm_campaign"}) {
    std::map<std::string, CampaignRow> rows;
    for (const FunnelLead& lead : leads) {
      if (lead.qualified_at == 0) continue;
      std::string key = std::string(by) == "rule"         ? lead.brought_by
                        : std::string(by) == "utm_source" ? lead.utm_source
                                                          : lead.utm_campaign;
      CampaignRow& row = rows[key];
      row.by = by;
      row.key = key;
      row.mqls++;
      if (Reached(lead)[4] != 0) row.sqls++;
    }
    std::vector<CampaignRow> sorted;
    for (auto& [key, row] : rows) sorted.push_back(row);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const CampaignRow& a, const CampaignRow& b) { return a.mqls > b.mqls; });
    out.insert(out.end(), sorted.begin(), sorted.end());
  }
  return out;
}

std::string LeadsCsv(const std::vector<StoredSignal>& leads) {
  std::string out =
      "visitor,email,name,company,account,stage,score,engagement,fit,verdict,status,"
      "last_activity\r\n";
  for (const StoredSignal& lead : leads) {
    out += Csv(lead.visitor) + "," + Csv(lead.lead.email) + "," + Csv(lead.lead.name) + "," +
           Csv(lead.lead.company) + "," + Csv(lead.lead.account) + "," + Csv(lead.to) + "," +
           NumberCsv(lead.score) + "," + NumberCsv(lead.engagement) + "," + NumberCsv(lead.fit) +
           "," + Csv(lead.verdict) + "," + Csv(lead.status) + "," + FormatRfc3339(lead.ts) + "\r\n";
  }
  return out;
}

}  // namespace mqlscore
