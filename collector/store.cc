#include "collector/store.h"

#include "collector/postgres_store.h"
#include "collector/sqlite_store.h"

namespace mqlscore {

Status OpenStore(const std::string& db, int max_signals_per_visitor, std::unique_ptr<Store>* out) {
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
    auto store = std::make_unique<PostgresStore>();
    Status opened = store->Open(db, max_signals_per_visitor);
    if (opened.ok()) *out = std::move(store);
    return opened;
  }
  auto store = std::make_unique<SqliteStore>();
  Status opened = store->Open(db, max_signals_per_visitor);
  if (opened.ok()) *out = std::move(store);
  return opened;
}

}  // namespace mqlscore
