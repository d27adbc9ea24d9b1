// The store in an SQLite file (WAL; prepared statements only): the embedded default, for one
// collector process. The store.h contract; its own below.
#ifndef MQLSCORE_COLLECTOR_SQLITE_STORE_H_
#define MQLSCORE_COLLECTOR_SQLITE_STORE_H_

#include <sqlite3.h>

#include <condition_variable>
#include <initializer_list>
#include <map>
#include <mutex>
#include <thread>

#include "collector/lead_index.h"
#include "collector/store.h"

namespace mqlscore {

class SqliteStore final : public Store {
 public:
  ~SqliteStore() override;
  // Opens (creating if needed) the database at `path`, which keeps at most
  // `max_signals_per_visitor` signals of any one visitor. A database of an older schema is
  // migrated to this collector's in one transaction; one of a newer schema is refused (kInvalid,
  // naming both versions) and left as it is.
  Status Open(const std::string& path, int max_signals_per_visitor);
  Status InsertBatch(const std::vector<StoredSignal>& batch, bool forward,
                     const std::function<std::string(const StoredSignal&)>& slack_message,
                     int* inserted) override;
  Status FindLink(const std::string& signal_id, ChainLink* link, bool* found) override;
  Status VisitorsWithChain(const std::vector<std::string>& visitors,
                           std::set<std::string>* out) override;
  Status AddStatus(const StatusChange& change) override;
  Status StatusHistory(const std::string& visitor, std::vector<StatusChange>* out) override;
  Status StatusChanges(std::vector<StatusChange>* out, std::vector<std::string>* emails) override;
  Status VisitorsWithEmail(const std::string& email, std::vector<std::string>* visitors) override;
  Status AddStatuses(const std::vector<StatusChange>& changes) override;
  Status NextOutgoing(Channel channel, Outgoing* out, bool* found) override;
  Status MarkForwarded(Channel channel, std::int64_t seq) override;
  Status MarkAttempt(Channel channel, std::int64_t seq) override;
  Status MoveToDeadLetter(Channel channel, std::int64_t seq, int http_status,
                          const std::string& reason) override;
  Status Forwarding(Channel channel, std::vector<DeadLetter>* dead, std::int64_t* waiting) override;
  Status Leads(const LeadFilter& filter, std::vector<StoredSignal>* out,
               std::int64_t* total) override;
  Status Lead(const std::string& visitor, std::vector<StoredSignal>* out) override;
  Status VisitorEvidence(const std::string& visitor, std::vector<EvidenceRow>* out) override;
  Status AccountMembers(const std::string& account,
                        std::vector<std::pair<std::string, AccountMember>>* out) override;
  Status FunnelLeads(std::vector<FunnelLead>* out) override;

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

#endif  // MQLSCORE_COLLECTOR_SQLITE_STORE_H_
