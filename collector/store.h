// Durable storage of signals in SQLite (WAL; one transaction per batch; prepared statements only).
// A batch is acknowledged only after its transaction has committed, so a crash at any moment
// loses no acknowledged signal; a signal id seen before is not stored again.
#ifndef MQLSCORE_COLLECTOR_STORE_H_
#define MQLSCORE_COLLECTOR_STORE_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <vector>

#include "collector/verify.h"
#include "core/status.h"
#include "core/visitor.h"

namespace mqlscore {

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
};

// One change of a lead's sales status (docs/collector.md, "The handoff").
struct StatusChange {
  std::string visitor, status, reason, by;
  double at = 0;  // ms since the epoch
};

// Where the outbox sends: the --forward webhook, or the --slack-webhook alerts.
enum class Channel { kForward, kSlack };

class Store : public ChainLookup {
 public:
  ~Store() override;
  // Opens (creating if needed) the database at `path`, which keeps at most
  // `max_signals_per_visitor` signals of any one visitor.
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

  // Leads: per visitor, its latest verified signal (its latest signal when none is verified:
  // another signal cannot rewrite a verified lead), newest first: `limit` of them from the
  // `offset`th on.
  // Read on a connection of its own, so that reading, however long, never holds up ingestion
  // (SQLite's WAL lets it read while batches commit).
  Status Leads(int limit, int offset, std::vector<StoredSignal>* out);
  // One visitor's signals, oldest first (none when the visitor is unknown).
  Status Lead(const std::string& visitor, std::vector<StoredSignal>* out);

 private:
  std::mutex mutex_;  // the writing connection's
  sqlite3* db_ = nullptr;
  std::mutex read_mutex_;
  sqlite3* read_db_ = nullptr;  // for the leads
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* enqueue_ = nullptr;
  sqlite3_stmt* link_ = nullptr;
  sqlite3_stmt* count_ = nullptr;  // a visitor's signals
  int max_signals_per_visitor_ = 0;

  // kUnavailable with what failed and SQLite's message (of the writing connection, or `db`).
  Status Failure(const std::string& what, sqlite3* db = nullptr) const;
  // Runs `sql` with one integer parameter, as a statement of its own.
  Status RunWithSeq(const std::string& sql, std::int64_t seq);
  // Runs `sql` with text parameters on the writing connection, its lock held by the caller.
  Status Run(const char* sql, std::initializer_list<std::string> texts);
  Status AddStatusLocked(const StatusChange& change);
  // Runs a query with text parameters on the reading connection, calling `row` for each row.
  Status ReadRows(const std::string& sql, std::initializer_list<std::string> texts,
                  const std::function<void(sqlite3_stmt*)>& row);
  // Runs `sql` on the reading connection; `bind` binds its parameters.
  Status ReadSignals(const std::string& sql, const std::function<void(sqlite3_stmt*)>& bind,
                     std::vector<StoredSignal>* out);
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_STORE_H_
