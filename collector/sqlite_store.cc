#include "collector/sqlite_store.h"

#include <map>
#include <set>

#include "collector/lead_index.h"
#include "collector/signal_json.h"
#include "core/number_text.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

// The schema's version, kept in SQLite's user_version. 1: signals, chain links, sales statuses,
// e-mails and the outboxes (the collector of 2026-12-04, which wrote no version: a 0 with its
// tables there is a 1); 2: the lead index and verified signals' evidence, kept with their chain
// links (2026-12-07).
constexpr int kSchemaVersion = 2;

// The WAL's size (in 4 KiB pages: 256 MiB) above which the checkpoint thread makes it start over.
constexpr int kWalRestartFrames = 65536;

const char kSchema[] =
    R"sql(
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
CREATE INDEX IF NOT EXISTS signals_by_ts ON signals (ts);
CREATE TABLE IF NOT EXISTS chain_links (
  signal_id TEXT PRIMARY KEY,
  visitor TEXT NOT NULL,
  rules_hash TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS chain_links_by_visitor ON chain_links (visitor);
CREATE TABLE IF NOT EXISTS lead_status (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  visitor TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  by_whom TEXT NOT NULL,
  at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS lead_status_by_visitor ON lead_status (visitor, seq);
CREATE TABLE IF NOT EXISTS lead_index (
  visitor TEXT PRIMARY KEY,
  signal_id TEXT NOT NULL,
  person TEXT NOT NULL,
  head INTEGER NOT NULL,
  account TEXT NOT NULL,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  company TEXT NOT NULL,
  stage TEXT NOT NULL,
  verdict TEXT NOT NULL,
  status TEXT NOT NULL,
  score REAL NOT NULL,
  engagement REAL NOT NULL,
  fit REAL NOT NULL,
  ts REAL NOT NULL,
  first_seen REAL NOT NULL,
  engaged_at REAL NOT NULL,
  qualified_at REAL NOT NULL,
  utm_source TEXT NOT NULL,
  utm_campaign TEXT NOT NULL,
  brought_by TEXT NOT NULL,
  search TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lead_index_by_person ON lead_index (person);
)sql"
    // The leads list's pages come from these: each filter and sort of the dashboard reads its page
    // and counts its rows from an index, not a scan and sort of 100,000 rows (scripts/bench-leads).
    R"sql(
CREATE INDEX IF NOT EXISTS lead_index_by_ts ON lead_index (head, ts);
CREATE INDEX IF NOT EXISTS lead_index_by_score ON lead_index (head, score);
CREATE INDEX IF NOT EXISTS lead_index_by_stage ON lead_index (head, stage, ts);
CREATE INDEX IF NOT EXISTS lead_index_by_status ON lead_index (head, status, ts);
CREATE INDEX IF NOT EXISTS lead_index_by_account ON lead_index (account, head, ts);
CREATE INDEX IF NOT EXISTS lead_index_by_search ON lead_index (head, search);
)sql";

// Each channel's outbox and dead letters (Channel, in store.h).
std::string ChannelSchema(const std::string& channel) {
  return "CREATE TABLE IF NOT EXISTS " + channel + R"sql(_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  signal_id TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS )sql" +
         channel + R"sql(_dead_letter (
  signal_id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  reason TEXT NOT NULL,
  failed_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400000.0)
);
)sql";
}

std::string Text(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text ? reinterpret_cast<const char*>(text) : "";
}

// Columns: kColumns, in order.
Status ReadSignal(sqlite3_stmt* row, StoredSignal* out) {
  StoredSignal& s = *out;
  s.id = Text(row, 0);
  s.site = Text(row, 1);
  s.visitor = Text(row, 2);
  s.ts = sqlite3_column_double(row, 3);
  s.from = Text(row, 4);
  s.to = Text(row, 5);
  s.engagement = sqlite3_column_double(row, 6);
  s.fit = sqlite3_column_double(row, 7);
  s.score = sqlite3_column_double(row, 8);
  s.rules_hash = Text(row, 10);
  s.verdict = Text(row, 11);
  s.snapshot = Text(row, 12);
  s.status = Text(row, 13);
  return ReadReasonsJson(Text(row, 9), &s.reasons).Prefixed("signal " + s.id + ": ");
}

// Of `signals s`: the signal, then its visitor's latest verified state and current status.
constexpr const char* kColumns =
    "s.id, s.site, s.visitor, s.ts, s.from_stage, s.to_stage, s.engagement, s.fit, s.score, "
    "s.reasons, s.rules_hash, s.verdict, (SELECT snapshot FROM chain_links c WHERE c.visitor = "
    "s.visitor ORDER BY c.rowid DESC LIMIT 1), (SELECT status FROM lead_status l WHERE l.visitor "
    "= s.visitor ORDER BY l.seq DESC LIMIT 1)";

// Of `lead_index i`, after kColumns: LeadFacts but its visitors, and the person's sales status.
constexpr const char* kLeadColumns =
    "i.account, i.utm_source, i.utm_campaign, i.brought_by, i.first_seen, i.qualified_at, "
    "i.email, i.name, i.company, i.status";

// A lead's status is its person's, whichever of its visitors it was set on.
void ReadLeadFacts(sqlite3_stmt* row, int first, StoredSignal* lead) {
  LeadFacts* out = &lead->lead;
  out->account = Text(row, first);
  out->utm_source = Text(row, first + 1);
  out->utm_campaign = Text(row, first + 2);
  out->brought_by = Text(row, first + 3);
  out->first_seen = sqlite3_column_double(row, first + 4);
  out->qualified_at = sqlite3_column_double(row, first + 5);
  out->email = Text(row, first + 6);
  out->name = Text(row, first + 7);
  out->company = Text(row, first + 8);
  lead->status = Text(row, first + 9);
}

std::string NumberText(double d) {
  std::string text;
  AppendNumberText(d, &text);  // shortest round trip; REAL affinity stores it as the double
  return text;
}

// The tables of a channel: ChannelSchema(ChannelName(channel)).
std::string ChannelName(Channel channel) {
  return channel == Channel::kSlack ? "slack" : "forward";
}
std::string Outbox(Channel channel) { return ChannelName(channel) + "_outbox"; }
std::string DeadLetters(Channel channel) { return ChannelName(channel) + "_dead_letter"; }

}  // namespace

SqliteStore::~SqliteStore() {
  if (checkpointer_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(checkpoint_mutex_);
      closing_ = true;
    }
    checkpoint_wake_.notify_one();
    checkpointer_.join();
  }
  sqlite3_close(checkpoint_db_);
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_finalize(count_);
  sqlite3_finalize(link_);
  sqlite3_finalize(enqueue_);
  sqlite3_finalize(insert_);
  sqlite3_close(read_db_);
  sqlite3_close(db_);
}

Status SqliteStore::Failure(const std::string& what, sqlite3* db) const {
  return Status::Unavailable(what + ": " + sqlite3_errmsg(db != nullptr ? db : db_));
}

Status SqliteStore::Open(const std::string& path, int max_signals_per_visitor) {
  max_signals_per_visitor_ = max_signals_per_visitor;
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return Failure("cannot open " + path);
  sqlite3_busy_timeout(db_, 5000);
  Status migrated = Migrate(path);
  if (!migrated.ok()) return migrated;
  const char* insert =
      "INSERT OR IGNORE INTO signals (id, site, visitor, ts, from_stage, to_stage, engagement, "
      "fit, score, reasons, rules_hash, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  const char* enqueue = "INSERT OR IGNORE INTO forward_outbox (signal_id, body) VALUES (?, ?)";
  const char* link =
      "INSERT OR IGNORE INTO chain_links (signal_id, visitor, rules_hash, snapshot, evidence) "
      "VALUES (?, ?, ?, ?, ?)";
  if (sqlite3_prepare_v2(db_, insert, -1, &insert_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, enqueue, -1, &enqueue_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, link, -1, &link_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "SELECT count(*) FROM signals WHERE visitor = ?", -1, &count_,
                         nullptr) != SQLITE_OK) {
    return Failure("cannot prepare the insert");
  }
  if (sqlite3_open_v2(path.c_str(), &read_db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return Failure("cannot open " + path + " for reading", read_db_);
  }
  sqlite3_busy_timeout(read_db_, 5000);
  // The WAL is copied into the database by a thread of its own, not by whichever batch's commit
  // crosses SQLite's threshold: that commit paid for the copy and its fsync (6,039 and 6,192
  // signals/s, p99 79 and 109 ms, with the thread; 4,384 and 4,424, p99 82 and 94 ms, without;
  // 60 s runs in turns, scripts/bench-collector). Passive, but for the restarts below: it never
  // waits for, or holds up, a writer.
  sqlite3_exec(db_, "PRAGMA wal_autocheckpoint = 0", nullptr, nullptr, nullptr);
  // A connection learns that the database is in WAL mode when it first reads it: until then a
  // checkpoint through it does nothing and says so only with -1 frames. Without this read, the
  // WAL was never copied into the database: 3.8 GB of it after 40 s of load, and the collector's
  // memory grew with the WAL's index, its -shm file mapped (scripts/bench-collector).
  std::string mode;
  if (sqlite3_open_v2(path.c_str(), &checkpoint_db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK ||
      sqlite3_exec(
          checkpoint_db_, "PRAGMA journal_mode",
          [](void* out, int, char** values, char**) {
            *static_cast<std::string*>(out) = values[0] ? values[0] : "";
            return 0;
          },
          &mode, nullptr) != SQLITE_OK ||
      mode != "wal") {
    return Failure("cannot open " + path + " for checkpoints", checkpoint_db_);
  }
  sqlite3_busy_timeout(checkpoint_db_, 5000);
  checkpointer_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(checkpoint_mutex_);
    while (!closing_) {
      checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(200));
      int frames = 0;
      sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames,
                                nullptr);
      // The WAL starts over from its beginning only once a checkpoint has caught up with every
      // writer, which passive ones never do under steady writes: it grew by 100 MB/s. A restart
      // holds the writers back while it copies what the passive one left.
      if (frames > kWalRestartFrames) {
        sqlite3_wal_checkpoint_v2(checkpoint_db_, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr,
                                  nullptr);
      }
    }
  });
  return Status::Ok();
}

Status SqliteStore::Migrate(const std::string& path) {
  char* message = nullptr;
  // A 32 MiB page cache (SQLite's default is 2): the lead index's B-trees stay in memory
  // (with the facts read before the lock, 7,300 to 7,700 signals/s; scripts/bench-collector).
  if (sqlite3_exec(
          db_,
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768;",
          nullptr, nullptr, &message) != SQLITE_OK) {
    Status failure = Status::Unavailable("cannot open " + path + ": " + (message ? message : "?"));
    sqlite3_free(message);
    return failure;
  }
  // One transaction: two collectors starting on one database migrate it once, and a crash
  // leaves it as it was.
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure("cannot open " + path);
  }
  auto roll_back = [&](Status failure) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  };
  int version = 0;
  bool has_signals = false;
  Status read = WriteSideRows(
      "SELECT (SELECT user_version FROM pragma_user_version), EXISTS (SELECT 1 FROM sqlite_master "
      "WHERE type = 'table' AND name = 'signals')",
      {}, [&](sqlite3_stmt* row) {
        version = sqlite3_column_int(row, 0);
        has_signals = sqlite3_column_int(row, 1) != 0;
      });
  if (!read.ok()) return roll_back(read);
  if (version == 0 && has_signals) version = 1;
  if (version > kSchemaVersion) {
    return roll_back(Status::Invalid(path + " has schema version " + std::to_string(version) +
                                     ", newer than this collector's (" +
                                     std::to_string(kSchemaVersion) +
                                     "): run the collector that wrote it, or a newer one"));
  }
  std::string schema = kSchema + ChannelSchema(ChannelName(Channel::kForward)) +
                       ChannelSchema(ChannelName(Channel::kSlack));
  if (sqlite3_exec(db_, schema.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Status failure =
        Status::Unavailable("cannot prepare " + path + ": " + (message ? message : "?"));
    sqlite3_free(message);
    return roll_back(failure);
  }
  // From 1: the lead index, from the signals, links and statuses stored (older signals' evidence
  // was not kept: they have no timeline).
  if (version == 1) {
    read = Run("ALTER TABLE chain_links ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]'", {});
    if (!read.ok()) return roll_back(read);
    std::vector<std::string> visitors;
    read = WriteSideRows("SELECT DISTINCT visitor FROM signals", {},
                         [&](sqlite3_stmt* row) { visitors.push_back(Text(row, 0)); });
    for (std::size_t i = 0; read.ok() && i < visitors.size(); ++i)
      read = RefreshLead(visitors[i], {});
    if (read.ok()) read = Run("DROP TABLE IF EXISTS lead_email", {});  // the index has the e-mails
    if (!read.ok()) return roll_back(read);
  }
  std::string set_version = "PRAGMA user_version = " + std::to_string(kSchemaVersion);
  if (sqlite3_exec(db_, set_version.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return roll_back(Failure("cannot migrate " + path));
  }
  return Status::Ok();
}

Status SqliteStore::InsertBatch(
    const std::vector<StoredSignal>& batch, bool forward,
    const std::function<std::string(const StoredSignal&)>& slack_message, int* inserted) {
  KnownFacts known = FactsOfBatch(batch);  // parsed before the lock, which writers queue for
  std::lock_guard<std::mutex> lock(mutex_);
  *inserted = 0;
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure("cannot begin");
  }
  auto roll_back = [this](const char* what) {
    Status failure = Failure(what);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  };
  std::set<std::string> touched;  // visitors with a new signal: their leads are refreshed once
  for (const StoredSignal& s : batch) {
    sqlite3_bind_text(count_, 1, s.visitor.data(), static_cast<int>(s.visitor.size()),
                      SQLITE_TRANSIENT);
    int counted = sqlite3_step(count_);
    std::int64_t stored = counted == SQLITE_ROW ? sqlite3_column_int64(count_, 0) : 0;
    sqlite3_reset(count_);  // a statement left on its row holds its snapshot of the WAL
    if (counted != SQLITE_ROW) return roll_back("cannot count a visitor's signals");
    if (stored >= max_signals_per_visitor_) continue;
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
    text(10, ReasonsJson(s.reasons));
    text(11, s.rules_hash);
    text(12, s.verdict);
    if (sqlite3_step(insert_) != SQLITE_DONE) return roll_back("cannot store a signal");
    bool is_new = sqlite3_changes(db_) > 0;
    *inserted += is_new ? 1 : 0;
    if (is_new && !s.snapshot.empty()) {
      sqlite3_reset(link_);
      int i = 1;
      const std::string evidence = s.evidence.empty() ? "[]" : s.evidence;
      for (const std::string* v : {&s.id, &s.visitor, &s.rules_hash, &s.snapshot, &evidence}) {
        sqlite3_bind_text(link_, i++, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
      }
      if (sqlite3_step(link_) != SQLITE_DONE) return roll_back("cannot store a chain link");
    }
    if (is_new && s.qualifies &&
        !Run("INSERT INTO lead_status (visitor, status, reason, by_whom, at) SELECT ?, 'new', '', "
             "'mqlscore', ? WHERE NOT EXISTS (SELECT 1 FROM lead_status WHERE visitor = ?)",
             {s.visitor, DecimalText(static_cast<long long>(s.ts)), s.visitor})
             .ok()) {
      return roll_back("cannot start a lead's status");
    }
    if (forward && is_new && s.verdict == "verified") {
      sqlite3_reset(enqueue_);
      std::string body = SignalJson(s);
      sqlite3_bind_text(enqueue_, 1, s.id.data(), static_cast<int>(s.id.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(enqueue_, 2, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(enqueue_) != SQLITE_DONE) return roll_back("cannot queue a signal");
    }
    if (slack_message && is_new && s.qualifies &&
        !Run("INSERT OR IGNORE INTO slack_outbox (signal_id, body) VALUES (?, ?)",
             {s.id, slack_message(s)})
             .ok()) {
      return roll_back("cannot queue a Slack message");
    }
    if (is_new) touched.insert(s.visitor);
  }
  for (const std::string& visitor : touched) {
    Status refreshed = RefreshLead(visitor, known);
    if (!refreshed.ok()) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      *inserted = 0;
      return refreshed;
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    *inserted = 0;
    return roll_back("cannot commit");
  }
  return Status::Ok();
}

Status SqliteStore::FindLink(const std::string& signal_id, ChainLink* link, bool* found) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  *found = false;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(
          read_db_, "SELECT visitor, rules_hash, snapshot FROM chain_links WHERE signal_id = ?", -1,
          &statement, nullptr) != SQLITE_OK) {
    return Failure("cannot read the chain links", read_db_);
  }
  sqlite3_bind_text(statement, 1, signal_id.data(), static_cast<int>(signal_id.size()),
                    SQLITE_TRANSIENT);
  int step = sqlite3_step(statement);
  if (step == SQLITE_ROW) {
    *link = {Text(statement, 0), Text(statement, 1), Text(statement, 2)};
    *found = true;
  }
  Status status = step == SQLITE_ROW || step == SQLITE_DONE
                      ? Status::Ok()
                      : Failure("cannot read the chain links", read_db_);
  sqlite3_finalize(statement);
  return status;
}

Status SqliteStore::Run(const char* sql, std::initializer_list<std::string> texts) {
  return WriteSideRows(sql, texts, [](sqlite3_stmt*) {});
}

Status SqliteStore::AddStatusLocked(const StatusChange& c) {
  Status added =
      Run("INSERT INTO lead_status (visitor, status, reason, by_whom, at) VALUES (?, ?, ?, ?, ?)",
          {c.visitor, c.status, c.reason, c.by, DecimalText(static_cast<long long>(c.at))});
  if (!added.ok()) return added;
  std::string person;
  Status read = WriteSideRows("SELECT person FROM lead_index WHERE visitor = ?", {c.visitor},
                              [&](sqlite3_stmt* row) { person = Text(row, 0); });
  return read.ok() && !person.empty() ? PersonStatus(person) : read;
}

Status SqliteStore::WriteSideRows(const char* sql, std::initializer_list<std::string> texts,
                                  const std::function<void(sqlite3_stmt*)>& row) {
  // Each statement is prepared once: with the lead index's refresh, preparing its statements for
  // every signal held ingestion at 2,376 signals/s; prepared once, 3,442 (scripts/bench-collector).
  auto cached = statements_.find(sql);
  if (cached == statements_.end()) {
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &prepared, nullptr) !=
        SQLITE_OK) {
      return Failure(sql);
    }
    cached = statements_.emplace(sql, prepared).first;
  }
  sqlite3_stmt* statement = cached->second;
  int i = 1;
  for (const std::string& text : texts) {
    sqlite3_bind_text(statement, i++, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  int step;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) row(statement);
  Status status = step == SQLITE_DONE ? Status::Ok() : Failure(sql);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  return status;
}

SignalFacts SqliteStore::FactsOfSignal(const std::string& signal_id, const KnownFacts& known) {
  auto found = known.find(signal_id);
  if (found != known.end()) return found->second;
  SignalFacts facts;
  WriteSideRows(
      "SELECT c.snapshot, s.reasons FROM chain_links c JOIN signals s ON s.id = c.signal_id WHERE "
      "c.signal_id = ?",
      {signal_id},
      [&](sqlite3_stmt* row) { facts = FactsOfStoredSignal(Text(row, 0), Text(row, 1)); });
  return facts;
}

Status SqliteStore::RefreshLead(const std::string& visitor, const KnownFacts& known) {
  // Its lead: the latest verified signal, else the latest (as Leads).
  std::string signal_id, stage, verdict;
  double score = 0, engagement = 0, fit = 0, ts = 0, first_seen = 0, engaged_at = 0;
  Status read = WriteSideRows(
      "SELECT id, to_stage, verdict, score, engagement, fit, ts, (SELECT min(ts) FROM signals "
      "WHERE visitor = ?1), coalesce((SELECT min(ts) FROM signals WHERE visitor = ?1 AND verdict "
      "= 'verified'), 0) FROM signals WHERE visitor = ?1 ORDER BY verdict = 'verified' DESC, ts "
      "DESC, rowid DESC LIMIT 1",
      {visitor}, [&](sqlite3_stmt* row) {
        signal_id = Text(row, 0);
        stage = Text(row, 1);
        verdict = Text(row, 2);
        score = sqlite3_column_double(row, 3);
        engagement = sqlite3_column_double(row, 4);
        fit = sqlite3_column_double(row, 5);
        ts = sqlite3_column_double(row, 6);
        first_seen = sqlite3_column_double(row, 7);
        engaged_at = sqlite3_column_double(row, 8);
      });
  if (!read.ok() || signal_id.empty()) return read;
  // Who it is: its latest state's traits (of this batch's signals, read before the lock).
  SignalFacts latest;
  double qualified_at = 0;
  read = WriteSideRows(
      "SELECT (SELECT signal_id FROM chain_links WHERE visitor = ?1 ORDER BY rowid DESC LIMIT 1), "
      "coalesce((SELECT at FROM lead_status WHERE visitor = ?1 AND status = 'new' AND by_whom = "
      "'mqlscore' ORDER BY seq LIMIT 1), 0)",
      {visitor}, [&](sqlite3_stmt* row) {
        latest = FactsOfSignal(Text(row, 0), known);
        qualified_at = sqlite3_column_double(row, 1);
      });
  if (!read.ok()) return read;
  // What made it an MQL: that signal's top reason, and its session's campaign.
  SignalFacts qualifying;
  if (qualified_at > 0) {
    read = WriteSideRows(
        "SELECT s.id FROM signals s JOIN chain_links c ON c.signal_id = s.id WHERE s.visitor = ? "
        "AND s.verdict = 'verified' AND abs(s.ts - ?) < 1 ORDER BY s.rowid LIMIT 1",
        {visitor, DecimalText(static_cast<long long>(qualified_at))},
        [&](sqlite3_stmt* row) { qualifying = FactsOfSignal(Text(row, 0), known); });
    if (!read.ok()) return read;
  }
  const SnapshotFacts& facts = latest.who;
  const SnapshotFacts& campaign = qualifying.who;
  const std::string& brought_by = qualifying.top_rule;
  std::string person = PersonOf(facts, visitor);
  std::string previous_person;
  read = WriteSideRows("SELECT person FROM lead_index WHERE visitor = ?", {visitor},
                       [&](sqlite3_stmt* row) { previous_person = Text(row, 0); });
  if (!read.ok()) return read;
  // Its person's latest visitor (the head the leads list shows) and latest sales status, decided
  // before the row is written: an UPDATE of `head` afterwards rewrote every index that holds it,
  // for each signal (4,368 signals/s with it, 5,172 without; scripts/bench-collector).
  std::string other;
  double other_ts = 0;
  read = WriteSideRows(
      "SELECT visitor, ts FROM lead_index WHERE person = ? AND visitor != ? ORDER BY ts DESC, "
      "visitor LIMIT 1",
      {person, visitor}, [&](sqlite3_stmt* row) {
        other = Text(row, 0);
        other_ts = sqlite3_column_double(row, 1);
      });
  if (!read.ok()) return read;
  bool head = HeadsPerson(visitor, ts, other, other_ts);
  std::string status;
  read = WriteSideRows(
      // SQLite's max(): `status` is that of the row with the largest seq, found by the
      // (visitor, seq) index; ORDER BY seq would scan every status ever set.
      "SELECT status, max(seq) FROM lead_status WHERE visitor IN (SELECT visitor FROM lead_index "
      "WHERE person = ?1 UNION SELECT ?2)",
      {person, visitor}, [&](sqlite3_stmt* row) { status = Text(row, 0); });
  if (!read.ok()) return read;
  auto number = NumberText;
  Status written = Run(
      "INSERT OR REPLACE INTO lead_index (visitor, signal_id, person, head, account, email, name, "
      "company, stage, verdict, status, score, engagement, fit, ts, first_seen, engaged_at, "
      "qualified_at, utm_source, utm_campaign, brought_by, search) VALUES (?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {visitor,
       signal_id,
       person,
       head ? "1" : "0",
       AccountOf(facts.email, facts.company),
       facts.email,
       facts.name,
       facts.company,
       stage,
       verdict,
       status,
       number(score),
       number(engagement),
       number(fit),
       number(ts),
       number(first_seen),
       number(engaged_at),
       number(qualified_at),
       campaign.utm_source,
       campaign.utm_campaign,
       brought_by,
       SearchTextOf(facts, visitor)});
  if (!written.ok()) return written;
  if (!other.empty()) {  // the person's other visitors: no longer its head, and its status
    Status others = Run(
        "UPDATE lead_index SET head = 0 WHERE person = ? AND visitor != ? AND head = 1 AND ? = '1'",
        {person, visitor, head ? "1" : "0"});
    if (others.ok()) others = PersonStatus(person);
    if (!others.ok()) return others;
  }
  if (!previous_person.empty() && previous_person != person) {  // the person it left
    Status left = Run(
        "UPDATE lead_index SET head = (visitor = (SELECT visitor FROM lead_index WHERE person = ?1 "
        "ORDER BY ts DESC, visitor LIMIT 1)) WHERE person = ?1",
        {previous_person});
    if (left.ok()) left = PersonStatus(previous_person);
    if (!left.ok()) return left;
  }
  return Status::Ok();
}

Status SqliteStore::PersonStatus(const std::string& person) {
  return Run(
      "UPDATE lead_index SET status = latest.status FROM (SELECT coalesce((SELECT status FROM "
      "(SELECT status, max(seq) FROM lead_status WHERE visitor IN (SELECT visitor FROM lead_index "
      "WHERE person = ?1))), '') AS status) AS latest WHERE person = ?1 AND lead_index.status != "
      "latest.status",
      {person});
}

Status SqliteStore::AddStatus(const StatusChange& change) { return AddStatuses({change}); }

Status SqliteStore::AddStatuses(const std::vector<StatusChange>& changes) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure("cannot begin");
  }
  for (const StatusChange& change : changes) {
    Status added = AddStatusLocked(change);
    if (!added.ok()) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return added;
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status failure = Failure("cannot commit");
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return failure;
  }
  return Status::Ok();
}

Status SqliteStore::ReadRows(const std::string& sql, std::initializer_list<std::string> texts,
                             const std::function<void(sqlite3_stmt*)>& row) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(read_db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Failure("cannot read", read_db_);
  }
  int i = 1;
  for (const std::string& text : texts) {
    sqlite3_bind_text(statement, i++, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  int step;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) row(statement);
  Status status = step == SQLITE_DONE ? Status::Ok() : Failure("cannot read", read_db_);
  sqlite3_finalize(statement);
  return status;
}

Status SqliteStore::StatusHistory(const std::string& visitor, std::vector<StatusChange>* out) {
  out->clear();
  return ReadRows(
      "SELECT visitor, status, reason, by_whom, at FROM lead_status WHERE visitor = ? ORDER BY seq",
      {visitor}, [&](sqlite3_stmt* row) {
        out->push_back({Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3),
                        sqlite3_column_double(row, 4)});
      });
}

Status SqliteStore::StatusChanges(std::vector<StatusChange>* out,
                                  std::vector<std::string>* emails) {
  out->clear();
  emails->clear();
  return ReadRows(
      "SELECT l.visitor, l.status, l.reason, l.by_whom, l.at, coalesce(i.email, '') FROM "
      "lead_status l LEFT JOIN lead_index i ON i.visitor = l.visitor WHERE l.status != 'new' "
      "ORDER BY l.seq",
      {}, [&](sqlite3_stmt* row) {
        out->push_back({Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3),
                        sqlite3_column_double(row, 4)});
        emails->push_back(Text(row, 5));
      });
}

Status SqliteStore::VisitorsWithEmail(const std::string& email,
                                      std::vector<std::string>* visitors) {
  visitors->clear();
  return ReadRows("SELECT visitor FROM lead_index WHERE person = ? ORDER BY visitor", {email},
                  [&](sqlite3_stmt* row) { visitors->push_back(Text(row, 0)); });
}

Status SqliteStore::VisitorsWithChain(const std::vector<std::string>& visitors,
                                      std::set<std::string>* out) {
  out->clear();
  for (const std::string& visitor : visitors) {
    Status read = ReadRows("SELECT visitor FROM chain_links WHERE visitor = ? LIMIT 1", {visitor},
                           [&](sqlite3_stmt* row) { out->insert(Text(row, 0)); });
    if (!read.ok()) return read;
  }
  return Status::Ok();
}

Status SqliteStore::NextOutgoing(Channel channel, Outgoing* out, bool* found) {
  std::lock_guard<std::mutex> lock(mutex_);
  *found = false;
  sqlite3_stmt* statement = nullptr;
  std::string next =
      "SELECT seq, signal_id, body, attempts FROM " + Outbox(channel) + " ORDER BY seq LIMIT 1";
  if (sqlite3_prepare_v2(db_, next.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Failure("cannot read the outbox");
  }
  int step = sqlite3_step(statement);
  if (step == SQLITE_ROW) {
    out->seq = sqlite3_column_int64(statement, 0);
    out->id = Text(statement, 1);
    out->body = Text(statement, 2);
    out->attempts = sqlite3_column_int(statement, 3);
    *found = true;
  }
  Status status =
      step == SQLITE_ROW || step == SQLITE_DONE ? Status::Ok() : Failure("cannot read the outbox");
  sqlite3_finalize(statement);
  return status;
}

Status SqliteStore::RunWithSeq(const std::string& sql, std::int64_t seq) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Failure("cannot update the outbox");
  }
  sqlite3_bind_int64(statement, 1, seq);
  Status status =
      sqlite3_step(statement) == SQLITE_DONE ? Status::Ok() : Failure("cannot update the outbox");
  sqlite3_finalize(statement);
  return status;
}

Status SqliteStore::MarkForwarded(Channel channel, std::int64_t seq) {
  return RunWithSeq("DELETE FROM " + Outbox(channel) + " WHERE seq = ?", seq);
}

Status SqliteStore::MarkAttempt(Channel channel, std::int64_t seq) {
  return RunWithSeq("UPDATE " + Outbox(channel) + " SET attempts = attempts + 1 WHERE seq = ?",
                    seq);
}

Status SqliteStore::MoveToDeadLetter(Channel channel, std::int64_t seq, int http_status,
                                     const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Failure("cannot begin");
  }
  sqlite3_stmt* move = nullptr;
  sqlite3_stmt* remove = nullptr;
  std::string move_sql = "INSERT OR REPLACE INTO " + DeadLetters(channel) +
                         " (signal_id, body, attempts, http_status, reason) SELECT signal_id, "
                         "body, attempts + 1, ?, ? FROM " +
                         Outbox(channel) + " WHERE seq = ?";
  std::string remove_sql = "DELETE FROM " + Outbox(channel) + " WHERE seq = ?";
  bool done = sqlite3_prepare_v2(db_, move_sql.c_str(), -1, &move, nullptr) == SQLITE_OK &&
              sqlite3_prepare_v2(db_, remove_sql.c_str(), -1, &remove, nullptr) == SQLITE_OK;
  if (done) {
    sqlite3_bind_int(move, 1, http_status);
    sqlite3_bind_text(move, 2, reason.data(), static_cast<int>(reason.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(move, 3, seq);
    sqlite3_bind_int64(remove, 1, seq);
    done = sqlite3_step(move) == SQLITE_DONE && sqlite3_step(remove) == SQLITE_DONE &&
           sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  Status status = done ? Status::Ok() : Failure("cannot move a signal to the dead letters");
  if (!done) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_finalize(move);
  sqlite3_finalize(remove);
  return status;
}

Status SqliteStore::Forwarding(Channel channel, std::vector<DeadLetter>* dead,
                               std::int64_t* waiting) {
  std::lock_guard<std::mutex> lock(mutex_);
  dead->clear();
  sqlite3_stmt* count = nullptr;
  sqlite3_stmt* letters = nullptr;
  std::string count_sql = "SELECT count(*) FROM " + Outbox(channel);
  std::string letters_sql = "SELECT signal_id, reason, http_status, attempts, failed_at FROM " +
                            DeadLetters(channel) + " ORDER BY failed_at DESC LIMIT 1000";
  bool done = sqlite3_prepare_v2(db_, count_sql.c_str(), -1, &count, nullptr) == SQLITE_OK &&
              sqlite3_step(count) == SQLITE_ROW &&
              sqlite3_prepare_v2(db_, letters_sql.c_str(), -1, &letters, nullptr) == SQLITE_OK;
  if (done) {
    *waiting = sqlite3_column_int64(count, 0);
    int step;
    while ((step = sqlite3_step(letters)) == SQLITE_ROW) {
      dead->push_back({Text(letters, 0), Text(letters, 1), sqlite3_column_int(letters, 2),
                       sqlite3_column_int(letters, 3), sqlite3_column_double(letters, 4)});
    }
    done = step == SQLITE_DONE;
  }
  Status status = done ? Status::Ok() : Failure("cannot read the forwarding state");
  sqlite3_finalize(count);
  sqlite3_finalize(letters);
  return status;
}

Status SqliteStore::ReadSignals(const std::string& sql,
                                const std::function<void(sqlite3_stmt*)>& bind,
                                std::vector<StoredSignal>* out) {
  std::lock_guard<std::mutex> lock(read_mutex_);
  out->clear();
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(read_db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    return Failure("cannot read the leads", read_db_);
  }
  bind(statement);
  Status status;
  int step = SQLITE_DONE;
  while (status.ok() && (step = sqlite3_step(statement)) == SQLITE_ROW) {
    out->emplace_back();
    status = ReadSignal(statement, &out->back());
  }
  if (status.ok() && step != SQLITE_DONE) status = Failure("cannot read the leads", read_db_);
  sqlite3_finalize(statement);
  return status;
}

// The visitors of `visitor`'s person, the visitor itself when the index has none.
constexpr const char* kPersonVisitors =
    "(SELECT visitor FROM lead_index WHERE person = (SELECT person FROM lead_index WHERE visitor = "
    "?1) UNION SELECT ?1)";

Status SqliteStore::Lead(const std::string& visitor, std::vector<StoredSignal>* out) {
  return ReadSignals(
      std::string("SELECT ") + kColumns + " FROM signals s WHERE s.visitor IN " + kPersonVisitors +
          " ORDER BY s.ts, s.rowid",
      [&](sqlite3_stmt* statement) {
        sqlite3_bind_text(statement, 1, visitor.data(), static_cast<int>(visitor.size()),
                          SQLITE_TRANSIENT);
      },
      out);
}

Status SqliteStore::Leads(const LeadFilter& f, std::vector<StoredSignal>* out,
                          std::int64_t* total) {
  const char* sort = LeadSortColumn(f.sort);
  if (sort == nullptr) return Status::Invalid(kUnknownSort);
  // Times only when asked: a range on ts would lead SQLite to its index whatever the sort.
  std::string where = " WHERE i.head = 1";
  std::vector<std::string> texts;
  if (f.since > -1e300) where += " AND i.ts >= " + NumberText(f.since);
  if (f.until < 1e300) where += " AND i.ts <= " + NumberText(f.until);
  for (const auto& [column, value] :
       {std::pair<const char*, const std::string*>{"i.stage", &f.stage},
        {"i.status", &f.status},
        {"i.verdict", &f.verdict},
        {"i.account", &f.account}}) {
    if (value->empty()) continue;
    where += std::string(" AND ") + column + " = ?";
    texts.push_back(*value);
  }
  if (!f.search.empty()) {
    where += " AND instr(i.search, ?) > 0";
    texts.push_back(AsciiLower(f.search));
  }
  auto bind = [&](sqlite3_stmt* statement) {
    int i = 1;
    for (const std::string& text : texts) {
      sqlite3_bind_text(statement, i++, text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT);
    }
    return i;
  };
  std::lock_guard<std::mutex> lock(read_mutex_);
  out->clear();
  *total = 0;
  std::string count_sql = "SELECT count(*) FROM lead_index i" + where;
  std::string page_sql =
      std::string("SELECT ") + kColumns + ", " + kLeadColumns +
      " FROM lead_index i JOIN signals s ON s.id = i.signal_id" + where + " ORDER BY " + sort +
      (f.ascending ? " ASC, i.rowid ASC" : " DESC, i.rowid DESC") + " LIMIT ? OFFSET ?";
  sqlite3_stmt* count = nullptr;
  sqlite3_stmt* page = nullptr;
  Status status;
  if (sqlite3_prepare_v2(read_db_, count_sql.c_str(), -1, &count, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(read_db_, page_sql.c_str(), -1, &page, nullptr) != SQLITE_OK) {
    status = Failure("cannot read the leads", read_db_);
  } else {
    bind(count);
    if (sqlite3_step(count) == SQLITE_ROW) *total = sqlite3_column_int64(count, 0);
    int next = bind(page);
    sqlite3_bind_int(page, next, f.limit);
    sqlite3_bind_int(page, next + 1, f.offset);
    int step;
    while (status.ok() && (step = sqlite3_step(page)) == SQLITE_ROW) {
      out->emplace_back();
      status = ReadSignal(page, &out->back());
      ReadLeadFacts(page, 14, &out->back());
    }
    if (status.ok() && step != SQLITE_DONE) status = Failure("cannot read the leads", read_db_);
  }
  sqlite3_finalize(count);
  sqlite3_finalize(page);
  if (!status.ok()) return status;
  // Each person's visitors, latest first.
  sqlite3_stmt* visitors = nullptr;
  if (sqlite3_prepare_v2(read_db_,
                         "SELECT visitor FROM lead_index WHERE person = (SELECT person FROM "
                         "lead_index WHERE visitor = ?) ORDER BY ts DESC, visitor",
                         -1, &visitors, nullptr) != SQLITE_OK) {
    return Failure("cannot read the leads", read_db_);
  }
  for (StoredSignal& lead : *out) {
    sqlite3_reset(visitors);
    sqlite3_bind_text(visitors, 1, lead.visitor.data(), static_cast<int>(lead.visitor.size()),
                      SQLITE_TRANSIENT);
    while (sqlite3_step(visitors) == SQLITE_ROW) lead.lead.visitors.push_back(Text(visitors, 0));
  }
  sqlite3_finalize(visitors);
  return Status::Ok();
}

Status SqliteStore::VisitorEvidence(const std::string& visitor, std::vector<EvidenceRow>* out) {
  out->clear();
  return ReadRows(
      "SELECT c.signal_id, c.visitor, c.rules_hash, c.evidence, s.ts FROM chain_links c JOIN "
      "signals s ON s.id = c.signal_id WHERE c.visitor = ? ORDER BY s.ts, s.rowid",
      {visitor}, [&](sqlite3_stmt* row) {
        out->push_back({Text(row, 0), Text(row, 1), Text(row, 2), Text(row, 3),
                        sqlite3_column_double(row, 4)});
      });
}

Status SqliteStore::AccountMembers(const std::string& account,
                                   std::vector<std::pair<std::string, AccountMember>>* out) {
  out->clear();
  auto row = [&](sqlite3_stmt* r) {
    AccountMember m;
    m.visitor = Text(r, 1);
    m.person = Text(r, 2);
    m.email = Text(r, 3);
    m.company = Text(r, 4);
    m.stage = Text(r, 5);
    m.engagement = sqlite3_column_double(r, 6);
    m.fit = sqlite3_column_double(r, 7);
    m.ts = sqlite3_column_double(r, 8);
    out->emplace_back(Text(r, 0), m);
  };
  const char* columns =
      "SELECT account, visitor, person, email, company, stage, engagement, fit, ts FROM "
      "lead_index ";
  return account.empty()
             ? ReadRows(std::string(columns) + "WHERE account != '' ORDER BY account", {}, row)
             : ReadRows(std::string(columns) + "WHERE account = ? ORDER BY ts DESC", {account},
                        row);
}

Status SqliteStore::FunnelLeads(std::vector<FunnelLead>* out) {
  out->clear();
  std::map<std::string, std::size_t> at;
  Status read = ReadRows(
      "SELECT visitor, utm_source, utm_campaign, brought_by, first_seen, engaged_at, qualified_at "
      "FROM lead_index ORDER BY visitor",
      {}, [&](sqlite3_stmt* row) {
        FunnelLead lead;
        lead.visitor = Text(row, 0);
        lead.utm_source = Text(row, 1);
        lead.utm_campaign = Text(row, 2);
        lead.brought_by = Text(row, 3);
        lead.first_seen = sqlite3_column_double(row, 4);
        lead.engaged_at = sqlite3_column_double(row, 5);
        lead.qualified_at = sqlite3_column_double(row, 6);
        at[lead.visitor] = out->size();
        out->push_back(lead);
      });
  if (!read.ok()) return read;
  return ReadRows(
      "SELECT visitor, status, reason, by_whom, at FROM lead_status ORDER BY seq", {},
      [&](sqlite3_stmt* row) {
        auto found = at.find(Text(row, 0));
        if (found == at.end()) return;
        (*out)[found->second].statuses.push_back({Text(row, 0), Text(row, 1), Text(row, 2),
                                                  Text(row, 3), sqlite3_column_double(row, 4)});
      });
}

}  // namespace mqlscore
