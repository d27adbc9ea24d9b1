// Durable storage of signals: what the collector keeps, whichever database keeps it (SQLite,
// sqlite_store.h, for one collector; PostgreSQL, postgres_store.h, shared by several). One
// transaction per batch, acknowledged only after it has committed, so a crash at any moment loses
// no acknowledged signal; a signal id seen before is not stored again. Every method may be called
// from any thread.
#ifndef MQLSCORE_COLLECTOR_STORE_H_
#define MQLSCORE_COLLECTOR_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "collector/accounts.h"
#include "collector/verify.h"
#include "core/status.h"
#include "core/visitor.h"

namespace mqlscore {

// Who a visitor's state says the lead is, and the campaign of its current session; "" for what
// it does not say (signal_json.h reads them).
struct SnapshotFacts {
  std::string email;  // trimmed and lower-cased
  std::string name, company, title, utm_source, utm_campaign;
};

// What the lead index knows of a lead beyond its signal (read with the leads).
struct LeadFacts {
  std::string account;                   // accounts.h; "" for none
  std::string utm_source, utm_campaign;  // of the session in which it became an MQL
  std::string brought_by;                // the rule that gave most to the signal that made it one
  double first_seen = 0;                 // its first signal's time
  double qualified_at = 0;               // when it became an MQL; 0 when it has not
  std::vector<std::string> visitors;     // the person's visitors (one e-mail), latest first
  std::string email, name, company;      // as its latest state says (SnapshotFacts)
};

struct StoredSignal {
  std::string id, site, visitor, from, to, rules_hash, verdict;
  double ts = 0, engagement = 0, fit = 0, score = 0;
  std::vector<Reason> reasons;
  // Written: a verified signal's state after its evidence (verify.h), kept as its chain link.
  // Read with the leads: the visitor's latest such state (its traits say who the lead is).
  std::string snapshot;
  // Written: a verified signal into the MQL stage or a higher one, which makes its visitor a lead
  // of sales status "new" (when it has none yet).
  bool qualifies = false;
  std::string status;  // read with the leads: the visitor's current sales status, if any
  // Written: a verified signal's evidence as JSON text, for the lead's timeline.
  std::string evidence;
  LeadFacts lead;  // read with the leads list
};

// One change of a lead's sales status (docs/collector.md, "The handoff").
struct StatusChange {
  std::string visitor, status, reason, by;
  double at = 0;  // ms since the epoch
};

// Which leads the leads list shows: one row per person (visitors with one e-mail are one
// person, shown by the latest), filtered, sorted and cut into a page.
struct LeadFilter {
  std::string stage, status, verdict, account;  // "" for any
  std::string search;  // in e-mail, name, company and visitor id, any case; "" for any
  double since = -1e300, until = 1e300;  // the last activity's time, ms since the epoch
  // last_activity, score, engagement, fit, name, email, company, stage or status.
  std::string sort = "last_activity";
  bool ascending = false;
  int limit = 100, offset = 0;
};

// A verified signal's evidence, as the store keeps it.
struct EvidenceRow {
  std::string signal_id, visitor, rules_hash, events;  // events: JSON text
  double ts = 0;
};

// A lead as the funnel counts it.
struct FunnelLead {
  std::string visitor, utm_source, utm_campaign, brought_by;
  double first_seen = 0, engaged_at = 0, qualified_at = 0;  // 0: not (yet)
  std::vector<StatusChange> statuses;                       // oldest first
};

// Where the outbox sends: the --forward webhook, or the --slack-webhook alerts.
enum class Channel { kForward, kSlack };

class Store : public ChainLookup {
 public:
  // Stores a batch in one transaction and sets *inserted to the number of new signals; signals
  // whose id is already stored, and those of a visitor who has max_signals_per_visitor already
  // (a visitor has a handful of stage changes; a script posting thousands for one id gets them
  // acknowledged and dropped), are skipped. Newly stored verified signals keep their chain link,
  // and with `forward` also enter the forwarding outbox, in the same transaction. Fails
  // (kUnavailable, the database's message) when the transaction could not commit: nothing is stored
  // then. With `slack_message`, a newly stored signal that makes an MQL also queues that message
  // for the Slack channel, in the same transaction.
  virtual Status InsertBatch(const std::vector<StoredSignal>& batch, bool forward,
                             const std::function<std::string(const StoredSignal&)>& slack_message,
                             int* inserted) = 0;

  // And ChainLookup's FindLink and VisitorsWithChain, for the verification of the next signals.

  // Appends to the visitor's status history.
  virtual Status AddStatus(const StatusChange& change) = 0;
  // One visitor's status history, oldest first.
  virtual Status StatusHistory(const std::string& visitor, std::vector<StatusChange>* out) = 0;
  // Every status change of every lead but "new", oldest first, each with the lead's e-mail (from
  // its verified traits; empty when it gave none) in *emails.
  virtual Status StatusChanges(std::vector<StatusChange>* out,
                               std::vector<std::string>* emails) = 0;
  // The visitors whose verified traits have this e-mail (trimmed, lower-cased).
  virtual Status VisitorsWithEmail(const std::string& email,
                                   std::vector<std::string>* visitors) = 0;
  // Adds every change in one transaction.
  virtual Status AddStatuses(const std::vector<StatusChange>& changes) = 0;

  // A channel's outbox, oldest first: a signal stays until the downstream acknowledged it.
  struct Outgoing {
    std::int64_t seq = 0;
    std::string id, body;
    int attempts = 0;
  };
  // Sets *found and, when true, *out to the oldest waiting signal that no other collector sharing
  // the database is sending (and whose visitor has no older one waiting): it is this caller's to
  // send until it calls one of the three below, or for 30 s, after which another may take it.
  virtual Status NextOutgoing(Channel channel, Outgoing* out, bool* found) = 0;
  // The downstream took it: it leaves the outbox.
  virtual Status MarkForwarded(Channel channel, std::int64_t seq) = 0;
  // One more failed attempt to send it; it waits again, for whoever comes next.
  virtual Status MarkAttempt(Channel channel, std::int64_t seq) = 0;
  // The downstream refused it for good, or too many attempts failed: it moves to the dead
  // letters, with why (`http_status` 0 when there was no answer), and the rest go on.
  virtual Status MoveToDeadLetter(Channel channel, std::int64_t seq, int http_status,
                                  const std::string& reason) = 0;

  struct DeadLetter {
    std::string id, reason;
    int http_status = 0;
    int attempts = 0;
    double failed_at = 0;  // ms since the epoch
  };
  // The dead letters, newest first, and how many signals wait in the outbox.
  virtual Status Forwarding(Channel channel, std::vector<DeadLetter>* dead,
                            std::int64_t* waiting) = 0;

  // Leads: per person (visitors with one e-mail are one), its latest visitor's latest verified
  // signal (its latest signal when none is verified: another signal cannot rewrite a verified
  // lead). Read on connections of their own, so that reading, however long, never holds up
  // ingestion.
  // The persons `filter` selects, each as its latest visitor's lead (as Leads) with its
  // LeadFacts; *total is how many there are in all pages. Fails kInvalid for an unknown sort.
  virtual Status Leads(const LeadFilter& filter, std::vector<StoredSignal>* out,
                       std::int64_t* total) = 0;
  // One person's signals (every visitor with the visitor's e-mail), oldest first (none when the
  // visitor is unknown).
  virtual Status Lead(const std::string& visitor, std::vector<StoredSignal>* out) = 0;
  // The evidence of one visitor's verified signals, oldest first.
  virtual Status VisitorEvidence(const std::string& visitor, std::vector<EvidenceRow>* out) = 0;
  // The leads of `account` ("" for every lead with an account), each with its account key.
  virtual Status AccountMembers(const std::string& account,
                                std::vector<std::pair<std::string, AccountMember>>* out) = 0;
  // Every lead with when it was first seen, first verified, qualified, and its statuses.
  virtual Status FunnelLeads(std::vector<FunnelLead>* out) = 0;
};

// Opens the store `db` names: a PostgreSQL database for a postgresql:// or postgres:// URL
// (postgres_store.h), else an SQLite file (sqlite_store.h), which keeps at most
// `max_signals_per_visitor` signals of any one visitor. Fails as each backend's Open.
Status OpenStore(const std::string& db, int max_signals_per_visitor, std::unique_ptr<Store>* out);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_STORE_H_
