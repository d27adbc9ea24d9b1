// Durable storage of signals in SQLite (WAL; one transaction per batch; prepared statements only).
// A batch is acknowledged only after its transaction has committed, so a crash at any moment
// loses no acknowledged signal; a signal id seen before is not stored again.
#ifndef MQLSCORE_COLLECTOR_STORE_H_
#define MQLSCORE_COLLECTOR_STORE_H_

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <thread>
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
  ~Store() override;
  // Opens (creating if needed) the database at `path`, which keeps at most
  // `max_signals_per_visitor` signals of any one visitor. A database of an older schema is
  // migrated to this collector's in one transaction; one of a newer schema is refused (kInvalid,
  // naming both versions) and left as it is.
  Status Open(const std::string& path, int max_signals_per_visitor);

  // Stores a batch in one transaction and sets *inserted to the number of new signals; signals
  // whose id is already stored, and those of a visitor who has max_signals_per_visitor already
  // (a visitor has a handful of stage changes; a script posting thousands for one id gets them
  // acknowledged and dropped), are skipped. Newly stored verified signals keep their chain link,
  // and with `forward` also enter the forwarding outbox, in the same transaction. Fails
  // (kUnavailable, SQLite's message) when the transaction could not commit: nothing is stored then.
  // With `slack_message`, a newly stored signal that makes an MQL also queues that message for
  // the Slack channel, in the same transaction.
  Status InsertBatch(const std::vector<StoredSignal>& batch, bool forward,
                     const std::function<std::string(const StoredSignal&)>& slack_message,
                     int* inserted);

  Status FindLink(const std::string& signal_id, ChainLink* link, bool* found) override;
  Status HasChain(const std::string& visitor, bool* found) override;

  // Appends to the visitor's status history.
  Status AddStatus(const StatusChange& change);
  // One visitor's status history, oldest first.
  Status StatusHistory(const std::string& visitor, std::vector<StatusChange>* out);
  // Every status change of every lead but "new", oldest first, each with the lead's e-mail (from
  // its verified traits; empty when it gave none) in *emails.
  Status StatusChanges(std::vector<StatusChange>* out, std::vector<std::string>* emails);
  // The visitors whose verified traits have this e-mail (trimmed, lower-cased).
  Status VisitorsWithEmail(const std::string& email, std::vector<std::string>* visitors);
  // Adds every change in one transaction.
  Status AddStatuses(const std::vector<StatusChange>& changes);

  // A channel's outbox, oldest first: a signal stays until the downstream acknowledged it.
  struct Outgoing {
    std::int64_t seq = 0;
    std::string id, body;
    int attempts = 0;
  };
  // Sets *found and, when true, *out to the oldest waiting signal.
  Status NextOutgoing(Channel channel, Outgoing* out, bool* found);
  // The downstream took it: it leaves the outbox.
  Status MarkForwarded(Channel channel, std::int64_t seq);
  // One more failed attempt to send it.
  Status MarkAttempt(Channel channel, std::int64_t seq);
  // The downstream refused it for good, or too many attempts failed: it moves to the dead
  // letters, with why (`http_status` 0 when there was no answer), and the rest go on.
  Status MoveToDeadLetter(Channel channel, std::int64_t seq, int http_status,
                          const std::string& reason);

  struct DeadLetter {
    std::string id, reason;
    int http_status = 0;
    int attempts = 0;
    double failed_at = 0;  // ms since the epoch
  };
  // The dead letters, newest first, and how many signals wait in the outbox.
  Status Forwarding(Channel channel, std::vector<DeadLetter>* dead, std::int64_t* waiting);

  // Leads: per person (visitors with one e-mail are one), its latest visitor's latest verified
  // signal (its latest signal when none is verified: another signal cannot rewrite a verified
  // lead). Read on a connection of its own, so that reading, however long, never holds up
  // ingestion (SQLite's WAL lets it read while batches commit).
  // The persons `filter` selects, each as its latest visitor's lead (as Leads) with its
  // LeadFacts; *total is how many there are in all pages. Fails kInvalid for an unknown sort.
  Status Leads(const LeadFilter& filter, std::vector<StoredSignal>* out, std::int64_t* total);
  // One person's signals (every visitor with the visitor's e-mail), oldest first (none when the
  // visitor is unknown).
  Status Lead(const std::string& visitor, std::vector<StoredSignal>* out);
  // The evidence of one visitor's verified signals, oldest first.
  Status VisitorEvidence(const std::string& visitor, std::vector<EvidenceRow>* out);
  // The leads of `account` ("" for every lead with an account), each with its account key.
  Status AccountMembers(const std::string& account,
                        std::vector<std::pair<std::string, AccountMember>>* out);
  // Every lead with when it was first seen, first verified, qualified, and its statuses.
  Status FunnelLeads(std::vector<FunnelLead>* out);

 private:
  std::mutex mutex_;  // the writing connection's
  sqlite3* db_ = nullptr;
  std::mutex read_mutex_;
  sqlite3* read_db_ = nullptr;        // for the leads
  sqlite3* checkpoint_db_ = nullptr;  // the checkpointer's
  std::thread checkpointer_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wake_;
  bool closing_ = false;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* enqueue_ = nullptr;
  sqlite3_stmt* link_ = nullptr;
  sqlite3_stmt* count_ = nullptr;  // a visitor's signals
  // The writing connection's statements of Run and WriteSideRows, by their SQL.
  std::map<std::string, sqlite3_stmt*> statements_;
  int max_signals_per_visitor_ = 0;

  // kUnavailable with what failed and SQLite's message (of the writing connection, or `db`).
  Status Failure(const std::string& what, sqlite3* db = nullptr) const;
  // Runs `sql` with one integer parameter, as a statement of its own.
  Status RunWithSeq(const std::string& sql, std::int64_t seq);
  // Runs `sql` with text parameters on the writing connection, its lock held by the caller.
  Status Run(const char* sql, std::initializer_list<std::string> texts);
  Status AddStatusLocked(const StatusChange& change);
  // Creates the tables or brings an older schema up to this collector's (Open).
  Status Migrate(const std::string& path);
  // What the lead index takes of a verified signal: who its state says the lead is, and the rule
  // that gave it most. By signal id.
  struct SignalFacts {
    SnapshotFacts who;
    std::string top_rule;
  };
  using KnownFacts = std::map<std::string, SignalFacts>;
  // A batch's verified signals' facts, worked out before the write lock is taken.
  static KnownFacts FactsOfBatch(const std::vector<StoredSignal>& batch);
  // Those of `signal_id`: from `known`, else read from the store ("" for what it lacks).
  SignalFacts FactsOfSignal(const std::string& signal_id, const KnownFacts& known);
  // Writes the visitor's row of the lead index from what is stored of it, and which of its
  // person's visitors is the person's latest. On the writing connection, its lock held.
  Status RefreshLead(const std::string& visitor, const KnownFacts& known);
  // Gives every visitor of `person` the person's latest sales status, whichever visitor it was
  // set on. Same connection and lock.
  Status PersonStatus(const std::string& person);
  // Runs `sql` with text parameters on the writing connection, calling `row` for each row.
  Status WriteSideRows(const char* sql, std::initializer_list<std::string> texts,
                       const std::function<void(sqlite3_stmt*)>& row);
  // Runs a query with text parameters on the reading connection, calling `row` for each row.
  Status ReadRows(const std::string& sql, std::initializer_list<std::string> texts,
                  const std::function<void(sqlite3_stmt*)>& row);
  // Runs `sql` on the reading connection; `bind` binds its parameters.
  Status ReadSignals(const std::string& sql, const std::function<void(sqlite3_stmt*)>& bind,
                     std::vector<StoredSignal>* out);
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_STORE_H_
