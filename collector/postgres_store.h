// The store in a PostgreSQL database (libpq, 8 connections), which several collectors can share.
// The batches that reach one collector while its transaction runs are stored together in its next
// one; each transaction locks its visitors, and then their persons (transaction-scoped advisory
// locks, always taken in one order, so that two collectors never wait for each other in a
// circle). The outboxes are shared with FOR UPDATE SKIP LOCKED and a 30 s lease on the signal
// being sent. The store.h contract; its own below.
#ifndef MQLSCORE_COLLECTOR_POSTGRES_STORE_H_
#define MQLSCORE_COLLECTOR_POSTGRES_STORE_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/lead_index.h"
#include "collector/store.h"

namespace mqlscore {

class PostgresConnection;

class PostgresStore final : public Store {
 public:
  PostgresStore();
  ~PostgresStore() override;
  // Connects to the database `url` names (a libpq connection URL, postgresql://...), which keeps
  // at most `max_signals_per_visitor` signals of any one visitor. Creates the tables in a new
  // database; migrates one of an older schema in one transaction (one collector at a time); one
  // of a newer schema is refused (kInvalid, naming both versions) and left as it is. Fails
  // kUnavailable, naming the database without its password, when it cannot connect.
  Status Open(const std::string& url, int max_signals_per_visitor);
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
  struct Waiting;
  // A connection of the pool, returned to it when the holder goes.
  class Held;
  Held Take();

  std::mutex pool_mutex_;
  std::condition_variable pool_wake_;
  std::vector<std::unique_ptr<PostgresConnection>> connections_;
  std::vector<PostgresConnection*> idle_;
  int max_signals_per_visitor_ = 0;
  // The batches waiting for the next transaction, while one runs (`grouping_`).
  std::mutex group_mutex_;
  std::condition_variable group_done_;
  std::vector<Waiting*> waiting_;
  bool grouping_ = false;

  // Stores the batches of `group` in one transaction, and says so to each.
  void InsertGroup(const std::vector<Waiting*>& group);
  Status InsertGroupOnce(PostgresConnection& db, const std::vector<Waiting*>& group,
                         const KnownFacts& known);
  Status AddStatusesOnce(PostgresConnection& db, const std::vector<StatusChange>& changes);
  // Writes the rows of the lead index of `visitors` (each with a new signal), locking their
  // persons first, in the transaction of `db`, which holds the visitors' locks.
  Status RefreshLeads(PostgresConnection& db, const std::vector<std::string>& visitors,
                      const KnownFacts& known);
  struct PendingLead;
  // Writes the rows of `round`, in which no person comes twice.
  Status WriteLeadRows(PostgresConnection& db, const std::vector<const PendingLead*>& round);
  // Gives every visitor of `person` the person's latest sales status.
  Status PersonStatus(PostgresConnection& db, const std::string& person);
  // Runs `sql` on a connection of the pool, with the statement's `texts`, calling `row` for each
  // row (its columns by number, as text).
  Status Read(const std::string& sql, const std::vector<std::string>& texts,
              const std::function<void(const std::vector<std::string>&)>& row);
  Status ReadSignals(const std::string& sql, const std::vector<std::string>& texts,
                     std::vector<StoredSignal>* out);
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_POSTGRES_STORE_H_
