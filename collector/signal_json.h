// The JSON the collector writes, all of it here and all of it with nlohmann/json: stored signals
// as the leads API and the webhook see them, its answers, and a signal's reasons as the store
// keeps them.
#ifndef MQLSCORE_COLLECTOR_SIGNAL_JSON_H_
#define MQLSCORE_COLLECTOR_SIGNAL_JSON_H_

#include <string>
#include <vector>

#include "collector/accounts.h"
#include "collector/lead_views.h"
#include "collector/store.h"
#include "collector/timeline.h"
#include "core/status.h"
#include "core/visitor.h"

namespace mqlscore {

// {"type":"stage_changed","id":...,"site":...,"visitor":...,"ts":...,"from":...,"to":...,
//  "stage":...,"engagement":...,"fit":...,"score":...,"reasons":[...],"rules_hash":...,
//  "verdict":...,"person":{"email","name","company","title"},"traits":{...}}: what the webhook
// receives (who the lead is from its verified traits, null where it gave none), and with
// "status" (when it has one) what the leads API lists.
std::string SignalJson(const StoredSignal& signal);
// [signal, ...]: GET /v1/leads. A lead read from the lead index also has "account", "visitors"
// (the person's, latest first), "first_seen", "qualified_at" (null until it is an MQL),
// "brought_by", "utm_source" and "utm_campaign".
std::string LeadsJson(const std::vector<StoredSignal>& leads);
// {"visitor", "complete", "events": [{"ts","type","label","awards":[{"rule","points","limited"}],
//  "engagement","fit","stage"}], "curve": [{"ts","engagement","fit"}]}: GET /v1/leads/{v}/timeline.
std::string TimelineJson(const std::string& visitor, const Timeline& timeline);
// [{"account","name","stage","best_stage","people","visitors","engagement","best_fit",
//  "last_activity"}]: GET /v1/accounts.
std::string AccountsJson(const std::vector<Account>& accounts);
// {"account": {...as above}, "members": [lead, ...], "signals": [signal, ...] (every member's,
//  oldest first)}: GET /v1/accounts/{account}.
std::string AccountJson(const Account& account, const std::vector<StoredSignal>& members,
                        const std::vector<StoredSignal>& signals);
// {"steps": [{"step","reached","rate" (of the step before; null for the first or from 0),
//  "median_days" (from the step before; null for none)}], "weeks": [{"starts","reached":{...}}]}:
// GET /v1/funnel.
std::string FunnelJson(const Funnel& funnel);
// [{"by","key","mqls","sqls","sql_rate"}]: GET /v1/campaigns.
std::string CampaignsJson(const std::vector<CampaignRow>& rows);
// {"visitor":...,"signals":[...],"status":...,"status_history":[...]}: GET /v1/leads/{visitor}.
std::string LeadJson(const std::string& visitor, const std::vector<StoredSignal>& signals,
                     const std::vector<StatusChange>& history);
// {"waiting":n,"dead":[{"id","reason","http_status","attempts","failed_at"},...]}:
// GET /v1/forwarding.
std::string ForwardingJson(const std::vector<Store::DeadLetter>& dead, std::int64_t waiting);
// Slack's incoming-webhook message for a new MQL: who, company, score, the top reasons and a
// link to the lead on the dashboard at `dashboard` ({"text": ...}, Slack's mrkdwn).
std::string SlackMessageJson(const StoredSignal& signal, const std::string& dashboard);
// {"imported":n,"unmatched":k}: the answer to an outcomes import.
std::string ImportAnswerJson(std::size_t imported, std::size_t unmatched);
// {"accepted":n,"stored":k}: the answer to a stored batch.
std::string BatchAnswerJson(std::size_t accepted, int stored);
// {"ok":true}: GET /healthz.
std::string HealthJson();
// {"signed_in":name}: the answer to a sign-in.
std::string SignedInJson(const std::string& name);
// {"error":...}
std::string ErrorJson(const std::string& message);

// A signal's reasons as the store keeps them, and back.
std::string ReasonsJson(const std::vector<Reason>& reasons);
// Who a visitor snapshot says the lead is, and the campaign of its current session (store.h).
SnapshotFacts FactsOfSnapshot(const std::string& snapshot);
// A lead's status history: [{"status", "reason", "by", "at"}].
std::string StatusHistoryJson(const std::vector<StatusChange>& history);
Status ReadReasonsJson(const std::string& text, std::vector<Reason>* reasons);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_SIGNAL_JSON_H_
