// Durable storage of signals in SQLite (WAL; one transaction per batch; prepared statements only).
// A batch is acknowledged only after its transaction has committed, so a crash at any moment
// loses no acknowledged signal; a signal id seen before is not stored again.
#ifndef MQLSCORE_COLLECTOR_STORE_H_
#define MQLSCORE_COLLECTOR_STORE_H_

#include <sqlite3.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mqlscore {

struct StoredSignal {
  std::string id, site, visitor, from, to, rules_hash, verdict;
  double ts = 0, engagement = 0, fit = 0, score = 0;
  std::string reasons_json;  // the signal's reasons, as JSON
};

class Store {
 public:
  ~Store();
  // Opens (creating if needed) the database at `path`. Returns false and sets *error otherwise.
  bool Open(const std::string& path, std::string* error);

  // Stores a batch in one transaction; signals whose id is already stored are skipped. With
  // `forward`, newly stored verified signals also enter the forwarding outbox, in the same
  // transaction. Returns false and sets *error when the transaction could not commit (nothing is
  // stored then).
  bool InsertBatch(const std::vector<StoredSignal>& batch, bool forward, int* inserted,
                   std::string* error);

  // The forwarding outbox, oldest first: a signal stays until the downstream acknowledged it.
  struct Outgoing {
    std::int64_t seq = 0;
    std::string id, body;
    int attempts = 0;
  };
  // The oldest waiting signal; false when none waits.
  bool NextOutgoing(Outgoing* out);
  void MarkForwarded(std::int64_t seq);
  void MarkAttempt(std::int64_t seq);

  // Leads: per visitor, its latest signal. JSON array text.
  std::string LeadsJson();
  // One lead's signals, oldest first; "" when the visitor has none.
  std::string LeadJson(const std::string& visitor);

 private:
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* enqueue_ = nullptr;
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_STORE_H_
