#include "collector/store.h"

#include "core/json_value.h"

namespace mqlscore {
namespace {

const char kSchema[] = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS signals (
  id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  visitor TEXT NOT NULL,
  ts REAL NOT NULL,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  engagement REAL NOT NULL,
  fit REAL NOT NULL,
  score REAL NOT NULL,
  reasons TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  verdict TEXT NOT NULL,
  received_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400000.0)
);
CREATE INDEX IF NOT EXISTS signals_by_visitor ON signals (visitor, ts);
CREATE TABLE IF NOT EXISTS forward_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  signal_id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
)sql";

std::string Text(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

// A stored signal as the leads API and the webhook see it.
void AppendSignalJson(const StoredSignal& s, std::string* out) {
  out->append("{\"type\":\"stage_changed\",\"id\":");
  AppendJsonString(s.id, out);
  out->append(",\"site\":");
  AppendJsonString(s.site, out);
  out->append(",\"visitor\":");
  AppendJsonString(s.visitor, out);
  out->append(",\"ts\":");
  AppendJsonNumber(s.ts, out);
  out->append(",\"from\":");
  AppendJsonString(s.from, out);
  out->append(",\"to\":");
  AppendJsonString(s.to, out);
  out->append(",\"stage\":");  // the stage the signal moved the visitor to
  AppendJsonString(s.to, out);
  out->append(",\"engagement\":");
  AppendJsonNumber(s.engagement, out);
  out->append(",\"fit\":");
  AppendJsonNumber(s.fit, out);
  out->append(",\"score\":");
  AppendJsonNumber(s.score, out);
  out->append(",\"reasons\":");
  out->append(s.reasons_json);  // written by ToJsonText when stored
  out->append(",\"rules_hash\":");
  AppendJsonString(s.rules_hash, out);
  out->append(",\"verdict\":");
  AppendJsonString(s.verdict, out);
  out->push_back('}');
}

// Columns: kColumns, in order.
StoredSignal ReadSignal(sqlite3_stmt* row) {
  StoredSignal s;
  s.id = Text(row, 0);
  s.site = Text(row, 1);
  s.visitor = Text(row, 2);
  s.ts = sqlite3_column_double(row, 3);
  s.from = Text(row, 4);
  s.to = Text(row, 5);
  s.engagement = sqlite3_column_double(row, 6);
  s.fit = sqlite3_column_double(row, 7);
  s.score = sqlite3_column_double(row, 8);
  s.reasons_json = Text(row, 9);
  s.rules_hash = Text(row, 10);
  s.verdict = Text(row, 11);
  return s;
}

constexpr const char* kColumns =
    "id, site, visitor, ts, from_stage, to_stage, engagement, fit, score, reasons, rules_hash, "
    "verdict";

}  // namespace

Store::~Store() {
  sqlite3_finalize(enqueue_);
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

bool Store::Open(const std::string& path, std::string* error) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    *error = "cannot open " + path + ": " + sqlite3_errmsg(db_);
    return false;
  }
  sqlite3_busy_timeout(db_, 5000);
  char* message = nullptr;
  if (sqlite3_exec(db_, kSchema, nullptr, nullptr, &message) != SQLITE_OK) {
    *error = std::string("cannot prepare ") + path + ": " + (message ? message : "?");
    sqlite3_free(message);
    return false;
  }
  const char* insert =
      "INSERT OR IGNORE INTO signals (id, site, visitor, ts, from_stage, to_stage, engagement, "
      "fit, "
      "score, reasons, rules_hash, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const char* enqueue = "INSERT OR IGNORE INTO forward_outbox (signal_id, body) VALUES (?, ?)";
  if (sqlite3_prepare_v2(db_, insert, -1, &insert_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, enqueue, -1, &enqueue_, nullptr) != SQLITE_OK) {
    *error = std::string("cannot prepare the insert: ") + sqlite3_errmsg(db_);
    return false;
  }
  return true;
}

bool Store::InsertBatch(const std::vector<StoredSignal>& batch, bool forward, int* inserted,
                        std::string* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  *inserted = 0;
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    *error = sqlite3_errmsg(db_);
    return false;
  }
  for (const StoredSignal& s : batch) {
    sqlite3_reset(insert_);
    auto text = [&](int i, const std::string& v) {
      sqlite3_bind_text(insert_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    };
    text(1, s.id);
    text(2, s.site);
    text(3, s.visitor);
    sqlite3_bind_double(insert_, 4, s.ts);
    text(5, s.from);
    text(6, s.to);
    sqlite3_bind_double(insert_, 7, s.engagement);
    sqlite3_bind_double(insert_, 8, s.fit);
    sqlite3_bind_double(insert_, 9, s.score);
    text(10, s.reasons_json);
    text(11, s.rules_hash);
    text(12, s.verdict);
    if (sqlite3_step(insert_) != SQLITE_DONE) {
      *error = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return false;
    }
    bool is_new = sqlite3_changes(db_) > 0;
    *inserted += is_new ? 1 : 0;
    if (forward && is_new && s.verdict == "verified") {
      sqlite3_reset(enqueue_);
      std::string body;
      AppendSignalJson(s, &body);
      sqlite3_bind_text(enqueue_, 1, s.id.data(), static_cast<int>(s.id.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(enqueue_, 2, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(enqueue_) != SQLITE_DONE) {
        *error = sqlite3_errmsg(db_);
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
      }
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    *error = sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return false;
  }
  return true;
}

bool Store::NextOutgoing(Outgoing* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  bool found = false;
  if (sqlite3_prepare_v2(db_,
                         "SELECT seq, signal_id, body, attempts FROM forward_outbox ORDER BY seq "
                         "LIMIT 1",
                         -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    out->seq = sqlite3_column_int64(statement, 0);
    out->id = Text(statement, 1);
    out->body = Text(statement, 2);
    out->attempts = sqlite3_column_int(statement, 3);
    found = true;
  }
  sqlite3_finalize(statement);
  return found;
}

void Store::MarkForwarded(std::int64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, "DELETE FROM forward_outbox WHERE seq = ?", -1, &statement,
                         nullptr) == SQLITE_OK) {
    sqlite3_bind_int64(statement, 1, seq);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
}

void Store::MarkAttempt(std::int64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, "UPDATE forward_outbox SET attempts = attempts + 1 WHERE seq = ?", -1,
                         &statement, nullptr) == SQLITE_OK) {
    sqlite3_bind_int64(statement, 1, seq);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
}

std::string Store::LeadsJson() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM signals s WHERE rowid = (SELECT rowid FROM signals WHERE visitor = "
                    "s.visitor ORDER BY ts DESC, rowid DESC LIMIT 1) ORDER BY ts DESC";
  sqlite3_stmt* statement = nullptr;
  std::string out = "[";
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (out.size() > 1) out.push_back(',');
      AppendSignalJson(ReadSignal(statement), &out);
    }
  }
  sqlite3_finalize(statement);
  return out + "]";
}

std::string Store::LeadJson(const std::string& visitor) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string sql =
      std::string("SELECT ") + kColumns + " FROM signals WHERE visitor = ? ORDER BY ts, rowid";
  sqlite3_stmt* statement = nullptr;
  std::string signals;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(statement, 1, visitor.data(), static_cast<int>(visitor.size()),
                      SQLITE_TRANSIENT);
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!signals.empty()) signals.push_back(',');
      AppendSignalJson(ReadSignal(statement), &signals);
    }
  }
  sqlite3_finalize(statement);
  if (signals.empty()) return "";
  std::string out = "{\"visitor\":";
  AppendJsonString(visitor, &out);
  return out + ",\"signals\":[" + signals + "]}";
}

}  // namespace mqlscore
