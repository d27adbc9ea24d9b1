#include "collector/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "collector/signal_json.h"
#include "core/number_text.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

// The schema's version, in the table mqlscore_schema. PostgreSQL came with SQLite's 2
// (sqlite_store.cc), the same tables; 3, on PostgreSQL only: the score sort's index ends with the
// visitor, the list's tie-break here (SQLite's is the rowid, which its indexes end with).
constexpr int kSchemaVersion = 3;

// Without the visitor in the index, a page of leads by score sorted every lead of its filter
// (48 ms of 100,000 with `status=new`; with it 0.1 ms, scripts/bench-leads --postgres).
const char kFrom2To3[] = R"sql(
DROP INDEX lead_index_by_score;
CREATE INDEX lead_index_by_score_visitor ON lead_index (head, score, visitor);
UPDATE mqlscore_schema SET version = 3;
)sql";

// What one collector keeps open: a batch, the forwarders and the team's reads at once, while
// two collectors stay far under PostgreSQL's 100 connections.
constexpr int kConnections = 8;

// How long a collector may take to send one outbox signal before another may take it: above the
// forwarder's longest attempt (5 s to connect, 10 to write, 10 to read).
constexpr int kLeaseMs = 30000;

constexpr const char* kNow = "(extract(epoch from clock_timestamp()) * 1000)";

// Text is compared byte by byte, as SQLite compares it: the leads list sorts the same on both,
// whatever the database's locale, and every join compares like with like.
const char kSchema[] = R"sql(
CREATE TABLE mqlscore_schema (version integer NOT NULL);
CREATE TABLE signals (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  id text COLLATE "C" PRIMARY KEY,
  site text COLLATE "C" NOT NULL,
  visitor text COLLATE "C" NOT NULL,
  ts double precision NOT NULL,
  from_stage text COLLATE "C" NOT NULL,
  to_stage text COLLATE "C" NOT NULL,
  engagement double precision NOT NULL,
  fit double precision NOT NULL,
  score double precision NOT NULL,
  reasons text COLLATE "C" NOT NULL,
  rules_hash text COLLATE "C" NOT NULL,
  verdict text COLLATE "C" NOT NULL,
  received_at double precision NOT NULL DEFAULT (extract(epoch from clock_timestamp()) * 1000)
);
CREATE INDEX signals_by_visitor ON signals (visitor, ts);
CREATE TABLE chain_links (
  seq bigint GENERATED ALWAYS AS IDENTITY,
  signal_id text COLLATE "C" PRIMARY KEY,
  visitor text COLLATE "C" NOT NULL,
  rules_hash text COLLATE "C" NOT NULL,
  snapshot text COLLATE "C" NOT NULL,
  evidence text COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE INDEX chain_links_by_visitor ON chain_links (visitor, seq);
CREATE TABLE lead_status (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  visitor text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL,
  reason text COLLATE "C" NOT NULL,
  by_whom text COLLATE "C" NOT NULL,
  at double precision NOT NULL
);
CREATE INDEX lead_status_by_visitor ON lead_status (visitor, seq);
CREATE TABLE lead_index (
  visitor text COLLATE "C" PRIMARY KEY,
  signal_id text COLLATE "C" NOT NULL,
  person text COLLATE "C" NOT NULL,
  head integer NOT NULL,
  account text COLLATE "C" NOT NULL,
  email text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  company text COLLATE "C" NOT NULL,
  stage text COLLATE "C" NOT NULL,
  verdict text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL,
  score double precision NOT NULL,
  engagement double precision NOT NULL,
  fit double precision NOT NULL,
  ts double precision NOT NULL,
  first_seen double precision NOT NULL,
  engaged_at double precision NOT NULL,
  qualified_at double precision NOT NULL,
  utm_source text COLLATE "C" NOT NULL,
  utm_campaign text COLLATE "C" NOT NULL,
  brought_by text COLLATE "C" NOT NULL,
  search text COLLATE "C" NOT NULL
);
CREATE INDEX lead_index_by_person ON lead_index (person);
CREATE INDEX lead_index_by_ts ON lead_index (head, ts);
CREATE INDEX lead_index_by_score_visitor ON lead_index (head, score, visitor);
CREATE INDEX lead_index_by_stage ON lead_index (head, stage, ts);
CREATE INDEX lead_index_by_status ON lead_index (head, status, ts);
CREATE INDEX lead_index_by_account ON lead_index (account, head, ts);
)sql";

// Each channel's outbox and dead letters (Channel, in store.h). The outbox knows each signal's
// visitor: a visitor's signals go out one after the other, whichever collector sends them.
std::string ChannelSchema(const std::string& channel) {
  return "CREATE TABLE " + channel + R"sql(_outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  signal_id text COLLATE "C" NOT NULL UNIQUE,
  visitor text COLLATE "C" NOT NULL,
  body text COLLATE "C" NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  leased_until double precision NOT NULL DEFAULT 0
);
CREATE INDEX )sql" +
         channel + "_outbox_by_visitor ON " + channel + R"sql(_outbox (visitor, seq);
CREATE TABLE )sql" +
         channel + R"sql(_dead_letter (
  signal_id text COLLATE "C" PRIMARY KEY,
  body text COLLATE "C" NOT NULL,
  attempts integer NOT NULL,
  http_status integer NOT NULL,
  reason text COLLATE "C" NOT NULL,
  failed_at double precision NOT NULL DEFAULT (extract(epoch from clock_timestamp()) * 1000)
);
)sql";
}

std::string ChannelName(Channel channel) {
  return channel == Channel::kSlack ? "slack" : "forward";
}
std::string Outbox(Channel channel) { return ChannelName(channel) + "_outbox"; }
std::string DeadLetters(Channel channel) { return ChannelName(channel) + "_dead_letter"; }

std::string NumberText(double d) {
  std::string text;
  AppendNumberText(d, &text);  // shortest round trip; PostgreSQL reads it back as the same double
  return text;
}

double Number(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// A text[] literal of `values`, for unnest(): a batch's rows in one statement.
std::string ArrayOf(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

// Each column's ArrayOf.
std::vector<std::string> Arrays(const std::vector<std::vector<std::string>>& columns) {
  std::vector<std::string> texts;
  for (const std::vector<std::string>& column : columns) texts.push_back(ArrayOf(column));
  return texts;
}

// `url` without its password (the rest names the database in messages).
std::string Shown(const std::string& url) {
  std::size_t scheme = url.find("://");
  std::size_t at = url.find('@', scheme);
  std::size_t colon = url.find(':', scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

using Row = std::vector<std::string>;

// Of `signals s`: the signal, then its visitor's latest verified state and current status (the
// columns ReadSignal reads).
constexpr const char* kColumns =
    "s.id, s.site, s.visitor, s.ts, s.from_stage, s.to_stage, s.engagement, s.fit, s.score, "
    "s.reasons, s.rules_hash, s.verdict, (SELECT snapshot FROM chain_links c WHERE c.visitor = "
    "s.visitor ORDER BY c.seq DESC LIMIT 1), (SELECT status FROM lead_status l WHERE l.visitor = "
    "s.visitor ORDER BY l.seq DESC LIMIT 1)";

Status ReadSignal(const Row& row, StoredSignal* out) {
  StoredSignal& s = *out;
  s.id = row[0];
  s.site = row[1];
  s.visitor = row[2];
  s.ts = Number(row[3]);
  s.from = row[4];
  s.to = row[5];
  s.engagement = Number(row[6]);
  s.fit = Number(row[7]);
  s.score = Number(row[8]);
  s.rules_hash = row[10];
  s.verdict = row[11];
  s.snapshot = row[12];
  s.status = row[13];
  return ReadReasonsJson(row[9], &s.reasons).Prefixed("signal " + s.id + ": ");
}

// Of `lead_index i`, after kColumns: LeadFacts but its visitors, and the person's sales status.
constexpr const char* kLeadColumns =
    "i.account, i.utm_source, i.utm_campaign, i.brought_by, i.first_seen, i.qualified_at, "
    "i.email, i.name, i.company, i.status";

// A lead's status is its person's, whichever of its visitors it was set on.
void ReadLeadFacts(const Row& row, std::size_t first, StoredSignal* lead) {
  LeadFacts* out = &lead->lead;
  out->account = row[first];
  out->utm_source = row[first + 1];
  out->utm_campaign = row[first + 2];
  out->brought_by = row[first + 3];
  out->first_seen = Number(row[first + 4]);
  out->qualified_at = Number(row[first + 5]);
  out->email = row[first + 6];
  out->name = row[first + 7];
  out->company = row[first + 8];
  lead->status = row[first + 9];
}

}  // namespace

// One libpq connection and the statements prepared on it.
class PostgresConnection {
 public:
  ~PostgresConnection() { PQfinish(connection_); }

  Status Connect(const std::string& url) {
    shown_ = Shown(url);
    connection_ = PQconnectdb(url.c_str());
    if (PQstatus(connection_) != CONNECTION_OK) return Failure("cannot connect to " + shown_);
    // Warnings (a COMMIT outside a transaction) are the store's own business, not stderr's.
    PQsetNoticeProcessor(
        connection_, [](void*, const char*) {}, nullptr);
    return Configure();
  }

  // Connects again when the server went away (a restart) since the last use; between
  // transactions only, so that a transaction never goes on in another session.
  void Revive() {
    if (PQstatus(connection_) == CONNECTION_OK) return;
    PQreset(connection_);
    prepared_.clear();
    if (PQstatus(connection_) == CONNECTION_OK) Configure();
  }

  // Runs `sql`, prepared once on this connection, with text parameters; `row` for each row.
  Status Run(const std::string& sql, const std::vector<std::string>& texts,
             const std::function<void(const Row&)>& row = nullptr) {
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size());
      PGresult* prepared = PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr);
      Status status = Check(prepared, PGRES_COMMAND_OK, "cannot prepare");
      if (!status.ok()) return status;
      found = prepared_.emplace(sql, name).first;
    }
    std::vector<const char*> values;
    for (const std::string& text : texts) values.push_back(text.c_str());
    PGresult* result =
        PQexecPrepared(connection_, found->second.c_str(), static_cast<int>(values.size()),
                       values.data(), nullptr, nullptr, 0);
    ExecStatusType expected =
        PQresultStatus(result) == PGRES_TUPLES_OK ? PGRES_TUPLES_OK : PGRES_COMMAND_OK;
    if (expected == PGRES_TUPLES_OK && row) {
      int columns = PQnfields(result);
      Row values_of_row(static_cast<std::size_t>(columns));
      for (int r = 0; r < PQntuples(result); ++r) {
        for (int c = 0; c < columns; ++c) values_of_row[c] = PQgetvalue(result, r, c);
        row(values_of_row);
      }
    }
    return Check(result, expected, "cannot run a statement");
  }

  // Runs commands without parameters (BEGIN, COMMIT, the schema), not prepared; rows are dropped.
  Status Exec(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    bool rows = result != nullptr && PQresultStatus(result) == PGRES_TUPLES_OK;
    std::size_t first = std::min(sql.find_first_not_of(" \n"), sql.size());
    std::string command = sql.substr(first, sql.find_first_of(";\n", first) - first);
    return Check(result, rows ? PGRES_TUPLES_OK : PGRES_COMMAND_OK, "cannot run " + command);
  }

  // Whether the last failure was a deadlock or a serialization failure: the transaction may be
  // run again.
  bool MayRetry() const { return state_ == "40P01" || state_ == "40001"; }

  const std::string& shown() const { return shown_; }

 private:
  // Every query of the collector reads a handful of rows by index, many at once. Until
  // autovacuum's first ANALYZE of a growing table, the planner guessed thousands of rows: it
  // started two parallel workers for a lookup, and compiled a batch's lead refresh with LLVM
  // (35 to 400 ms, for a query that runs in 2): half a minute of p99 at 800 ms, a minute into
  // a run (scripts/bench-collector --postgres).
  Status Configure() { return Exec("SET max_parallel_workers_per_gather = 0; SET jit = off"); }

  PGconn* connection_ = nullptr;
  std::string shown_;
  std::map<std::string, std::string> prepared_;  // by SQL, its name
  std::string state_;                            // of the last failure

  Status Failure(const std::string& what) const {
    std::string message = PQerrorMessage(connection_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    return Status::Unavailable(what + ": " + message);
  }

  // Frees `result`; kUnavailable with PostgreSQL's message unless it is `expected`.
  Status Check(PGresult* result, ExecStatusType expected, const std::string& what) {
    bool ok = result != nullptr && PQresultStatus(result) == expected;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    state_ = state ? state : "";
    std::string message = result && PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                              ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                              : "";
    PQclear(result);
    if (ok) return Status::Ok();
    if (message.empty()) return Failure(what);
    return Status::Unavailable(what + ": " + message);
  }
};

class PostgresStore::Held {
 public:
  Held(PostgresStore* store, PostgresConnection* connection)
      : store_(store), connection_(connection) {}
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
  ~Held() {
    {
      std::lock_guard<std::mutex> lock(store_->pool_mutex_);
      store_->idle_.push_back(connection_);
    }
    store_->pool_wake_.notify_one();
  }
  PostgresConnection& operator*() const { return *connection_; }
  PostgresConnection* operator->() const { return connection_; }

 private:
  PostgresStore* store_;
  PostgresConnection* connection_;
};

PostgresStore::PostgresStore() = default;
PostgresStore::~PostgresStore() = default;

PostgresStore::Held PostgresStore::Take() {
  std::unique_lock<std::mutex> lock(pool_mutex_);
  pool_wake_.wait(lock, [this] { return !idle_.empty(); });
  PostgresConnection* connection = idle_.back();
  idle_.pop_back();
  lock.unlock();
  connection->Revive();
  return Held(this, connection);
}

namespace {

// Runs `body` in a transaction on `db`: committed when it succeeds, rolled back when not.
Status InTransaction(PostgresConnection& db, const std::function<Status()>& body) {
  // Every statement of a write reads a handful of rows by index. A new database has no
  // statistics until autovacuum's first ANALYZE, a minute or more in: the planner took its tables
  // for tiny and cached plans that scan them whole, which held ingestion at 1,800 signals/s and
  // the p99 at 255 ms; without scans and hash joins, 4,869 signals/s and 86 ms
  // (scripts/bench-collector --postgres 20).
  Status status = db.Exec(
      "BEGIN; SELECT set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', "
      "'off', true), set_config('enable_mergejoin', 'off', true)");
  if (status.ok()) status = body();
  if (status.ok()) status = db.Exec("COMMIT");
  if (!status.ok()) db.Exec("ROLLBACK");
  return status;
}

// Takes the transaction-scoped locks named `names`, in their sorted order: every transaction
// takes its visitors' ("1" and the visitor) before its persons' ("2" and the person), each set
// sorted, so that none waits for a lock while holding one a waiter behind it needs.
Status Lock(PostgresConnection& db, const std::set<std::string>& names) {
  if (names.empty()) return Status::Ok();
  // In the array's order: PostgreSQL calls a volatile function of the select list row by row,
  // after the ORDER BY.
  return db.Run(
      "SELECT pg_advisory_xact_lock(hashtextextended(name, 0)) FROM unnest($1::text[]) WITH "
      "ORDINALITY AS t (name, n) ORDER BY n",
      {ArrayOf({names.begin(), names.end()})});
}

}  // namespace

Status PostgresStore::Open(const std::string& url, int max_signals_per_visitor) {
  max_signals_per_visitor_ = max_signals_per_visitor;
  for (int i = 0; i < kConnections; ++i) {
    auto connection = std::make_unique<PostgresConnection>();
    Status connected = connection->Connect(url);
    if (!connected.ok()) return connected;
    idle_.push_back(connection.get());
    connections_.push_back(std::move(connection));
  }
  Held db = Take();
  // One collector at a time: two starting on a new database create its tables once.
  return InTransaction(*db, [&]() -> Status {
    Status status =
        db->Run("SELECT pg_advisory_xact_lock(hashtextextended('mqlscore schema', 0))", {});
    bool made = false;  // the tables are there
    int version = 0;
    if (status.ok()) {
      status = db->Run("SELECT to_regclass('mqlscore_schema') IS NOT NULL", {},
                       [&](const Row& row) { made = row[0] == "t"; });
    }
    if (status.ok() && made) {
      status = db->Run("SELECT coalesce(max(version), 0) FROM mqlscore_schema", {},
                       [&](const Row& row) { version = std::atoi(row[0].c_str()); });
    }
    if (!status.ok()) return status.Prefixed("cannot open " + db->shown() + ": ");
    if (version > kSchemaVersion) {
      return Status::Invalid(db->shown() + " has schema version " + std::to_string(version) +
                             ", newer than this collector's (" + std::to_string(kSchemaVersion) +
                             "): run the collector that wrote it, or a newer one");
    }
    if (made && version == kSchemaVersion) return Status::Ok();
    if (made && version == 2)
      return db->Exec(kFrom2To3).Prefixed("cannot migrate " + db->shown() + ": ");
    if (made) {  // PostgreSQL's tables came with version 2: an older one is not ours
      return Status::Invalid(db->shown() + " has schema version " + std::to_string(version) +
                             ", which no collector wrote on PostgreSQL");
    }
    status = db->Exec(kSchema + ChannelSchema(ChannelName(Channel::kForward)) +
                      ChannelSchema(ChannelName(Channel::kSlack)) +
                      "INSERT INTO mqlscore_schema (version) VALUES (" +
                      std::to_string(kSchemaVersion) + ")");
    return status.Prefixed("cannot prepare " + db->shown() + ": ");
  });
}

// A batch waiting for its transaction (InsertBatch).
struct PostgresStore::Waiting {
  const std::vector<StoredSignal>* batch = nullptr;
  bool forward = false;
  const std::function<std::string(const StoredSignal&)>* slack = nullptr;
  KnownFacts known;
  int inserted = 0;
  Status status;
  bool done = false;
};

Status PostgresStore::InsertBatch(const std::vector<StoredSignal>& batch, bool forward,
                                  const std::function<std::string(const StoredSignal&)>& slack,
                                  int* inserted) {
  // The batches that arrive while a transaction runs wait, and go together in the next one: one
  // transaction per batch spent PostgreSQL's time on statements and commits, not on signals
  // (4,300 signals/s; grouped, 5,771 and 6,860 in two runs of scripts/bench-collector --postgres
  // 20).
  Waiting me;
  me.batch = &batch;
  me.forward = forward;
  me.slack = &slack;
  me.known = FactsOfBatch(batch);  // here, not in the group's one thread
  std::unique_lock<std::mutex> lock(group_mutex_);
  waiting_.push_back(&me);
  while (!me.done) {
    if (grouping_) {
      group_done_.wait(lock);
      continue;
    }
    grouping_ = true;
    std::vector<Waiting*> group = std::move(waiting_);
    waiting_.clear();
    lock.unlock();
    InsertGroup(group);
    lock.lock();
    grouping_ = false;
    group_done_.notify_all();
  }
  *inserted = me.inserted;
  return me.status;
}

void PostgresStore::InsertGroup(const std::vector<Waiting*>& group) {
  KnownFacts known;
  for (const Waiting* w : group) known.insert(w->known.begin(), w->known.end());
  Held db = Take();
  Status status;
  // A deadlock PostgreSQL broke (a forged id stored under two visitors at once) is tried again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    for (Waiting* w : group) w->inserted = 0;
    status = InTransaction(*db, [&] { return InsertGroupOnce(*db, group, known); });
    if (status.ok() || !db->MayRetry()) break;
  }
  if (!status.ok() && group.size() > 1) {
    // Each alone, so that a batch the database refuses fails only itself.
    for (Waiting* w : group) InsertGroup({w});
    return;
  }
  for (Waiting* w : group) {
    if (!status.ok()) w->inserted = 0;
    w->status = status;
    w->done = true;
  }
}

Status PostgresStore::InsertGroupOnce(PostgresConnection& db, const std::vector<Waiting*>& group,
                                      const KnownFacts& known) {
  std::set<std::string> visitors, visitor_locks;
  std::vector<std::string> ids;
  for (const Waiting* w : group) {
    for (const StoredSignal& s : *w->batch) {
      visitors.insert(s.visitor);
      visitor_locks.insert("1" + s.visitor);
      ids.push_back(s.id);
    }
  }
  Status status = Lock(db, visitor_locks);
  // The batches in a few statements (arrays of their rows), not one per signal: which ids are
  // known, and how many signals each visitor has.
  std::set<std::string> stored;
  std::map<std::string, long long> counts;
  if (status.ok()) {
    status = db.Run(
        "SELECT id, 0 FROM signals WHERE id = ANY($1::text[]) UNION ALL SELECT visitor, count(*) "
        "FROM signals WHERE visitor = ANY($2::text[]) GROUP BY visitor",
        {ArrayOf(ids), ArrayOf({visitors.begin(), visitors.end()})}, [&](const Row& row) {
          if (row[1] == "0") {
            stored.insert(row[0]);
          } else {
            counts[row[0]] = std::atoll(row[1].c_str());
          }
        });
  }
  if (!status.ok()) return status;
  std::map<std::string, Waiting*> fresh;  // by id, its batch
  std::vector<std::vector<std::string>> columns(12);
  std::vector<std::vector<std::string>> links(5), qualified(3), outbox(3), alerts(3);
  std::set<std::string> qualified_visitors, touched;
  for (Waiting* w : group) {
    for (const StoredSignal& s : *w->batch) {
      if (!stored.insert(s.id).second) continue;
      if (counts[s.visitor] >= max_signals_per_visitor_) continue;
      ++counts[s.visitor];
      fresh[s.id] = w;
      touched.insert(s.visitor);
      std::string values[] = {s.id,
                              s.site,
                              s.visitor,
                              NumberText(s.ts),
                              s.from,
                              s.to,
                              NumberText(s.engagement),
                              NumberText(s.fit),
                              NumberText(s.score),
                              ReasonsJson(s.reasons),
                              s.rules_hash,
                              s.verdict};
      for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(std::move(values[c]));
      if (!s.snapshot.empty()) {
        std::string link[] = {s.id, s.visitor, s.rules_hash, s.snapshot,
                              s.evidence.empty() ? "[]" : s.evidence};
        for (std::size_t c = 0; c < links.size(); ++c) links[c].push_back(std::move(link[c]));
      }
      if (s.qualifies && qualified_visitors.insert(s.visitor).second) {
        qualified[0].push_back(s.id);
        qualified[1].push_back(s.visitor);
        qualified[2].push_back(DecimalText(static_cast<long long>(s.ts)));
      }
      if (w->forward && s.verdict == "verified") {
        outbox[0].push_back(s.id);
        outbox[1].push_back(s.visitor);
        outbox[2].push_back(SignalJson(s));
      }
      if (*w->slack && s.qualifies) {
        alerts[0].push_back(s.id);
        alerts[1].push_back(s.visitor);
        alerts[2].push_back((*w->slack)(s));
      }
    }
  }
  if (fresh.empty()) return Status::Ok();
  // One statement: the signals, then what goes with those stored (not an id that another
  // visitor's batch stored meanwhile).
  std::vector<std::string> texts = Arrays(columns);
  for (const auto* rows : {&links, &qualified, &outbox, &alerts}) {
    for (std::string& text : Arrays(*rows)) texts.push_back(std::move(text));
  }
  status = db.Run(
      "WITH stored AS (INSERT INTO signals (id, site, visitor, ts, from_stage, to_stage, "
      "engagement, fit, score, reasons, rules_hash, verdict) SELECT * FROM unnest($1::text[], "
      "$2::text[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::float8[], $8::float8[], "
      "$9::float8[], $10::text[], $11::text[], $12::text[]) ON CONFLICT (id) DO NOTHING RETURNING "
      "id), links AS (INSERT INTO chain_links (signal_id, visitor, rules_hash, snapshot, evidence) "
      "SELECT l.* FROM unnest($13::text[], $14::text[], $15::text[], $16::text[], $17::text[]) AS "
      "l (id, v, h, s, e) JOIN stored ON stored.id = l.id), statuses AS (INSERT INTO lead_status "
      "(visitor, status, reason, by_whom, at) SELECT t.v, 'new', '', 'mqlscore', t.a FROM "
      "unnest($18::text[], $19::text[], $20::float8[]) AS t (id, v, a) JOIN stored ON stored.id = "
      "t.id WHERE NOT EXISTS (SELECT 1 FROM lead_status WHERE visitor = t.v)), forwards AS "
      "(INSERT INTO forward_outbox (signal_id, visitor, body) SELECT t.* FROM unnest($21::text[], "
      "$22::text[], $23::text[]) AS t (id, v, b) JOIN stored ON stored.id = t.id), alerts AS "
      "(INSERT INTO slack_outbox (signal_id, visitor, body) SELECT t.* FROM unnest($24::text[], "
      "$25::text[], $26::text[]) AS t (id, v, b) JOIN stored ON stored.id = t.id) SELECT id FROM "
      "stored",
      texts, [&](const Row& row) { ++fresh[row[0]]->inserted; });
  if (!status.ok()) return status;
  return RefreshLeads(db, {touched.begin(), touched.end()}, known);
}

// A visitor's row of the lead index, as read before its person's lock is taken.
struct PostgresStore::PendingLead {
  std::string visitor, signal_id, stage, verdict, previous_person, person;
  double score = 0, engagement = 0, fit = 0, ts = 0, first_seen = 0, engaged_at = 0;
  double qualified_at = 0;
  std::string latest_link, qualifying_signal;  // signal ids: its latest state, its MQL's
  SignalFacts latest, qualifying;
};

Status PostgresStore::RefreshLeads(PostgresConnection& db, const std::vector<std::string>& visitors,
                                   const KnownFacts& known) {
  // What each visitor's row is made of (as SqliteStore::RefreshLead), for all of them in one
  // statement: one per visitor held ingestion at 1,600 signals/s (scripts/bench-collector).
  std::vector<PendingLead> pending;
  Status status = db.Run(
      "SELECT v.visitor, l.id, l.to_stage, l.verdict, l.score, l.engagement, l.fit, l.ts, "
      "f.first_seen, f.engaged_at, coalesce(c.signal_id, ''), coalesce(q.at, 0), "
      "coalesce(qs.id, ''), coalesce(i.person, '') FROM unnest($1::text[]) AS v (visitor) CROSS "
      "JOIN LATERAL (SELECT id, to_stage, verdict, score, engagement, fit, ts FROM signals WHERE "
      "visitor = v.visitor ORDER BY verdict = 'verified' DESC, ts DESC, seq DESC LIMIT 1) l CROSS "
      "JOIN LATERAL (SELECT min(ts) AS first_seen, coalesce(min(ts) FILTER (WHERE verdict = "
      "'verified'), 0) AS engaged_at FROM signals WHERE visitor = v.visitor) f LEFT JOIN LATERAL "
      "(SELECT signal_id FROM chain_links WHERE visitor = v.visitor ORDER BY seq DESC LIMIT 1) c "
      "ON true LEFT JOIN LATERAL (SELECT at FROM lead_status WHERE visitor = v.visitor AND status "
      "= 'new' AND by_whom = 'mqlscore' ORDER BY seq LIMIT 1) q ON true LEFT JOIN LATERAL (SELECT "
      "s.id FROM signals s JOIN chain_links k ON k.signal_id = s.id WHERE s.visitor = v.visitor "
      "AND s.verdict = 'verified' AND abs(s.ts - q.at) < 1 ORDER BY s.seq LIMIT 1) qs ON true "
      "LEFT JOIN lead_index i ON i.visitor = v.visitor",
      {ArrayOf(visitors)}, [&](const Row& row) {
        PendingLead p;
        p.visitor = row[0];
        p.signal_id = row[1];
        p.stage = row[2];
        p.verdict = row[3];
        p.score = Number(row[4]);
        p.engagement = Number(row[5]);
        p.fit = Number(row[6]);
        p.ts = Number(row[7]);
        p.first_seen = Number(row[8]);
        p.engaged_at = Number(row[9]);
        p.latest_link = row[10];
        p.qualified_at = Number(row[11]);
        p.qualifying_signal = row[12];
        p.previous_person = row[13];
        pending.push_back(std::move(p));
      });
  if (!status.ok()) return status;
  // Who each is: its latest state (this batch's, parsed before the transaction, or read).
  std::map<std::string, SignalFacts> facts(known.begin(), known.end());
  std::vector<std::string> unknown;
  for (const PendingLead& p : pending) {
    for (const std::string* id : {&p.latest_link, &p.qualifying_signal}) {
      if (!id->empty() && !facts.count(*id)) unknown.push_back(*id);
    }
  }
  if (!unknown.empty()) {
    status = db.Run(
        "SELECT c.signal_id, c.snapshot, s.reasons FROM chain_links c JOIN signals s ON s.id = "
        "c.signal_id WHERE c.signal_id = ANY($1::text[])",
        {ArrayOf(unknown)},
        [&](const Row& row) { facts[row[0]] = FactsOfStoredSignal(row[1], row[2]); });
    if (!status.ok()) return status;
  }
  std::set<std::string> person_locks;
  for (PendingLead& p : pending) {
    if (!p.latest_link.empty()) p.latest = facts[p.latest_link];
    if (!p.qualifying_signal.empty()) p.qualifying = facts[p.qualifying_signal];
    p.person = PersonOf(p.latest.who, p.visitor);
    // A visitor without an e-mail is a person of its own, which its visitor's lock covers.
    for (const std::string* person : {&p.person, &p.previous_person}) {
      if (!person->empty() && *person != "visitor:" + p.visitor) person_locks.insert("2" + *person);
    }
  }
  status = Lock(db, person_locks);
  // In rounds in which no person comes twice: a visitor's row decides its person's head only
  // after the rows of the person's other visitors in the batch are written.
  std::vector<const PendingLead*> left;
  for (const PendingLead& p : pending) left.push_back(&p);
  while (status.ok() && !left.empty()) {
    std::vector<const PendingLead*> round, later;
    std::set<std::string> persons;
    for (const PendingLead* p : left) {
      bool free = !persons.count(p->person) && !persons.count(p->previous_person);
      (free ? round : later).push_back(p);
      if (free) {
        persons.insert(p->person);
        if (!p->previous_person.empty()) persons.insert(p->previous_person);
      }
    }
    left = std::move(later);
    status = WriteLeadRows(db, round);
  }
  return status;
}

Status PostgresStore::WriteLeadRows(PostgresConnection& db,
                                    const std::vector<const PendingLead*>& round) {
  // Each person's latest other visitor (the head the leads list shows, if not this one), and the
  // person's latest sales status, whichever visitor it was set on.
  std::vector<std::string> persons, visitors;
  for (const PendingLead* p : round) {
    persons.push_back(p->person);
    visitors.push_back(p->visitor);
  }
  std::vector<std::string> others(round.size()), statuses(round.size());
  std::vector<double> others_ts(round.size());
  Status status = db.Run(
      "SELECT t.n, coalesce(o.visitor, ''), coalesce(o.ts, 0), coalesce(st.status, '') FROM "
      "unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (person, visitor, n) LEFT JOIN "
      "LATERAL (SELECT visitor, ts FROM lead_index WHERE person = t.person AND visitor != "
      "t.visitor ORDER BY ts DESC, visitor LIMIT 1) o ON true LEFT JOIN LATERAL (SELECT l.status "
      "FROM (SELECT visitor FROM lead_index WHERE person = t.person UNION SELECT t.visitor) pv "
      "CROSS JOIN LATERAL (SELECT status, seq FROM lead_status WHERE visitor = pv.visitor ORDER "
      "BY seq DESC LIMIT 1) l ORDER BY l.seq DESC LIMIT 1) st ON true",
      {ArrayOf(persons), ArrayOf(visitors)}, [&](const Row& row) {
        std::size_t n = static_cast<std::size_t>(std::atoll(row[0].c_str())) - 1;
        others[n] = row[1];
        others_ts[n] = Number(row[2]);
        statuses[n] = row[3];
      });
  if (!status.ok()) return status;
  std::vector<std::vector<std::string>> columns(22);
  std::vector<bool> heads;
  for (std::size_t n = 0; n < round.size(); ++n) {
    const PendingLead& p = *round[n];
    const SnapshotFacts& who = p.latest.who;
    heads.push_back(HeadsPerson(p.visitor, p.ts, others[n], others_ts[n]));
    std::string values[] = {p.visitor,
                            p.signal_id,
                            p.person,
                            heads.back() ? "1" : "0",
                            AccountOf(who.email, who.company),
                            who.email,
                            who.name,
                            who.company,
                            p.stage,
                            p.verdict,
                            statuses[n],
                            NumberText(p.score),
                            NumberText(p.engagement),
                            NumberText(p.fit),
                            NumberText(p.ts),
                            NumberText(p.first_seen),
                            NumberText(p.engaged_at),
                            NumberText(p.qualified_at),
                            p.qualifying.who.utm_source,
                            p.qualifying.who.utm_campaign,
                            p.qualifying.top_rule,
                            SearchTextOf(who, p.visitor)};
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c].push_back(std::move(values[c]));
  }
  status = db.Run(
      "INSERT INTO lead_index (visitor, signal_id, person, head, account, email, name, company, "
      "stage, verdict, status, score, engagement, fit, ts, first_seen, engaged_at, qualified_at, "
      "utm_source, utm_campaign, brought_by, search) SELECT * FROM unnest($1::text[], "
      "$2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], "
      "$9::text[], $10::text[], $11::text[], $12::float8[], $13::float8[], $14::float8[], "
      "$15::float8[], $16::float8[], $17::float8[], $18::float8[], $19::text[], $20::text[], "
      "$21::text[], $22::text[]) ON CONFLICT (visitor) DO UPDATE SET signal_id = "
      "excluded.signal_id, person = excluded.person, head = excluded.head, account = "
      "excluded.account, email = excluded.email, name = excluded.name, company = "
      "excluded.company, stage = excluded.stage, verdict = excluded.verdict, status = "
      "excluded.status, score = excluded.score, engagement = excluded.engagement, fit = "
      "excluded.fit, ts = excluded.ts, first_seen = excluded.first_seen, engaged_at = "
      "excluded.engaged_at, qualified_at = excluded.qualified_at, utm_source = "
      "excluded.utm_source, utm_campaign = excluded.utm_campaign, brought_by = "
      "excluded.brought_by, search = excluded.search",
      Arrays(columns));
  for (std::size_t n = 0; status.ok() && n < round.size(); ++n) {
    const PendingLead& p = *round[n];
    if (!others[n].empty()) {  // the person's other visitors: no longer its head, and its status
      if (heads[n]) {
        status = db.Run(
            "UPDATE lead_index SET head = 0 WHERE person = $1 AND visitor != $2 AND head = 1",
            {p.person, p.visitor});
      }
      if (status.ok()) status = PersonStatus(db, p.person);
    }
    if (status.ok() && !p.previous_person.empty() && p.previous_person != p.person) {
      status = db.Run(  // the person it left
          "UPDATE lead_index SET head = CASE WHEN visitor = (SELECT visitor FROM lead_index WHERE "
          "person = $1 ORDER BY ts DESC, visitor LIMIT 1) THEN 1 ELSE 0 END WHERE person = $1",
          {p.previous_person});
      if (status.ok()) status = PersonStatus(db, p.previous_person);
    }
  }
  return status;
}

Status PostgresStore::PersonStatus(PostgresConnection& db, const std::string& person) {
  // Each visitor's latest status from its own index entries, then the latest of those: the
  // latest of all the visitors' statuses at once walked the whole table backwards.
  return db.Run(
      "UPDATE lead_index SET status = latest.status FROM (SELECT coalesce((SELECT l.status FROM "
      "lead_index pv CROSS JOIN LATERAL (SELECT status, seq FROM lead_status WHERE visitor = "
      "pv.visitor ORDER BY seq DESC LIMIT 1) l WHERE pv.person = $1 ORDER BY l.seq DESC LIMIT 1), "
      "'') AS status) AS latest WHERE person = $1 AND lead_index.status != latest.status",
      {person});
}

Status PostgresStore::AddStatus(const StatusChange& change) { return AddStatuses({change}); }

Status PostgresStore::AddStatuses(const std::vector<StatusChange>& changes) {
  Held db = Take();
  Status status;
  for (int attempt = 0; attempt < 3; ++attempt) {
    status = InTransaction(*db, [&] { return AddStatusesOnce(*db, changes); });
    if (status.ok() || !db->MayRetry()) break;
  }
  return status;
}

Status PostgresStore::AddStatusesOnce(PostgresConnection& db,
                                      const std::vector<StatusChange>& changes) {
  std::set<std::string> visitor_locks, person_locks, persons;
  std::vector<std::string> visitors;
  for (const StatusChange& c : changes) {
    visitor_locks.insert("1" + c.visitor);
    visitors.push_back(c.visitor);
  }
  Status status = Lock(db, visitor_locks);
  if (status.ok()) {
    status = db.Run("SELECT DISTINCT person FROM lead_index WHERE visitor = ANY($1::text[])",
                    {ArrayOf(visitors)}, [&](const Row& row) {
                      persons.insert(row[0]);
                      person_locks.insert("2" + row[0]);
                    });
  }
  if (status.ok()) status = Lock(db, person_locks);
  for (const StatusChange& c : changes) {
    if (!status.ok()) break;
    status = db.Run(
        "INSERT INTO lead_status (visitor, status, reason, by_whom, at) VALUES ($1, $2, $3, $4, "
        "$5)",
        {c.visitor, c.status, c.reason, c.by, DecimalText(static_cast<long long>(c.at))});
  }
  for (const std::string& person : persons) {
    if (status.ok()) status = PersonStatus(db, person);
  }
  return status;
}

Status PostgresStore::Read(const std::string& sql, const std::vector<std::string>& texts,
                           const std::function<void(const Row&)>& row) {
  Held db = Take();
  return db->Run(sql, texts, row);
}

Status PostgresStore::FindLink(const std::string& signal_id, ChainLink* link, bool* found) {
  *found = false;
  return Read("SELECT visitor, rules_hash, snapshot FROM chain_links WHERE signal_id = $1",
              {signal_id}, [&](const Row& row) {
                *link = {row[0], row[1], row[2]};
                *found = true;
              });
}

Status PostgresStore::VisitorsWithChain(const std::vector<std::string>& visitors,
                                        std::set<std::string>* out) {
  out->clear();
  return Read("SELECT DISTINCT visitor FROM chain_links WHERE visitor = ANY($1::text[])",
              {ArrayOf(visitors)}, [&](const Row& row) { out->insert(row[0]); });
}

Status PostgresStore::StatusHistory(const std::string& visitor, std::vector<StatusChange>* out) {
  out->clear();
  return Read(
      "SELECT visitor, status, reason, by_whom, at FROM lead_status WHERE visitor = $1 ORDER BY "
      "seq",
      {visitor}, [&](const Row& row) {
        out->push_back({row[0], row[1], row[2], row[3], Number(row[4])});
      });
}

Status PostgresStore::StatusChanges(std::vector<StatusChange>* out,
                                    std::vector<std::string>* emails) {
  out->clear();
  emails->clear();
  return Read(
      "SELECT l.visitor, l.status, l.reason, l.by_whom, l.at, coalesce(i.email, '') FROM "
      "lead_status l LEFT JOIN lead_index i ON i.visitor = l.visitor WHERE l.status != 'new' "
      "ORDER BY l.seq",
      {}, [&](const Row& row) {
        out->push_back({row[0], row[1], row[2], row[3], Number(row[4])});
        emails->push_back(row[5]);
      });
}

Status PostgresStore::VisitorsWithEmail(const std::string& email,
                                        std::vector<std::string>* visitors) {
  visitors->clear();
  return Read("SELECT visitor FROM lead_index WHERE person = $1 ORDER BY visitor", {email},
              [&](const Row& row) { visitors->push_back(row[0]); });
}

Status PostgresStore::NextOutgoing(Channel channel, Outgoing* out, bool* found) {
  *found = false;
  Held db = Take();
  const std::string outbox = Outbox(channel);
  return db->Run("UPDATE " + outbox + " o SET leased_until = " + kNow + " + " +
                     std::to_string(kLeaseMs) + " FROM (SELECT seq FROM " + outbox +
                     " w WHERE leased_until < " + kNow + " AND NOT EXISTS (SELECT 1 FROM " +
                     outbox +
                     " older WHERE older.visitor = w.visitor AND older.seq < w.seq) ORDER BY seq "
                     "LIMIT 1 FOR UPDATE SKIP LOCKED) next WHERE o.seq = next.seq RETURNING "
                     "o.seq, o.signal_id, o.body, o.attempts",
                 {}, [&](const Row& row) {
                   out->seq = std::atoll(row[0].c_str());
                   out->id = row[1];
                   out->body = row[2];
                   out->attempts = std::atoi(row[3].c_str());
                   *found = true;
                 });
}

Status PostgresStore::MarkForwarded(Channel channel, std::int64_t seq) {
  Held db = Take();
  return db->Run("DELETE FROM " + Outbox(channel) + " WHERE seq = $1", {std::to_string(seq)});
}

Status PostgresStore::MarkAttempt(Channel channel, std::int64_t seq) {
  Held db = Take();
  return db->Run(
      "UPDATE " + Outbox(channel) + " SET attempts = attempts + 1, leased_until = 0 WHERE seq = $1",
      {std::to_string(seq)});
}

Status PostgresStore::MoveToDeadLetter(Channel channel, std::int64_t seq, int http_status,
                                       const std::string& reason) {
  Held db = Take();
  return db->Run("WITH moved AS (DELETE FROM " + Outbox(channel) +
                     " WHERE seq = $1 RETURNING signal_id, body, attempts) INSERT INTO " +
                     DeadLetters(channel) +
                     " (signal_id, body, attempts, http_status, reason) SELECT signal_id, body, "
                     "attempts + 1, $2, $3 FROM moved ON CONFLICT (signal_id) DO UPDATE SET body "
                     "= excluded.body, attempts = excluded.attempts, http_status = "
                     "excluded.http_status, reason = excluded.reason, failed_at = "
                     "excluded.failed_at",
                 {std::to_string(seq), std::to_string(http_status), reason});
}

Status PostgresStore::Forwarding(Channel channel, std::vector<DeadLetter>* dead,
                                 std::int64_t* waiting) {
  dead->clear();
  Held db = Take();
  Status status = db->Run("SELECT count(*) FROM " + Outbox(channel), {},
                          [&](const Row& row) { *waiting = std::atoll(row[0].c_str()); });
  if (!status.ok()) return status;
  return db->Run("SELECT signal_id, reason, http_status, attempts, failed_at FROM " +
                     DeadLetters(channel) + " ORDER BY failed_at DESC LIMIT 1000",
                 {}, [&](const Row& row) {
                   dead->push_back({row[0], row[1], std::atoi(row[2].c_str()),
                                    std::atoi(row[3].c_str()), Number(row[4])});
                 });
}

Status PostgresStore::ReadSignals(const std::string& sql, const std::vector<std::string>& texts,
                                  std::vector<StoredSignal>* out) {
  out->clear();
  Status status;
  Status read = Read(sql, texts, [&](const Row& row) {
    if (!status.ok()) return;
    out->emplace_back();
    status = ReadSignal(row, &out->back());
  });
  return read.ok() ? status : read;
}

Status PostgresStore::Lead(const std::string& visitor, std::vector<StoredSignal>* out) {
  return ReadSignals(std::string("SELECT ") + kColumns +
                         " FROM signals s WHERE s.visitor IN (SELECT visitor FROM lead_index "
                         "WHERE person = (SELECT person FROM lead_index WHERE visitor = $1) "
                         "UNION SELECT $1::text) ORDER BY s.ts, s.seq",
                     {visitor}, out);
}

Status PostgresStore::Leads(const LeadFilter& f, std::vector<StoredSignal>* out,
                            std::int64_t* total) {
  const char* sort = LeadSortColumn(f.sort);
  if (sort == nullptr) return Status::Invalid(kUnknownSort);
  std::string where = " WHERE i.head = 1";
  std::vector<std::string> texts;
  auto parameter = [&](std::string value) {
    texts.push_back(std::move(value));
    return "$" + std::to_string(texts.size());
  };
  if (f.since > -1e300) where += " AND i.ts >= " + parameter(NumberText(f.since)) + "::float8";
  if (f.until < 1e300) where += " AND i.ts <= " + parameter(NumberText(f.until)) + "::float8";
  for (const auto& [column, value] :
       {std::pair<const char*, const std::string*>{"i.stage", &f.stage},
        {"i.status", &f.status},
        {"i.verdict", &f.verdict},
        {"i.account", &f.account}}) {
    if (!value->empty()) where += std::string(" AND ") + column + " = " + parameter(*value);
  }
  if (!f.search.empty())
    where += " AND strpos(i.search, " + parameter(AsciiLower(f.search)) + ") > 0";
  out->clear();
  *total = 0;
  Held db = Take();
  Status status = db->Run("SELECT count(*) FROM lead_index i" + where, texts,
                          [&](const Row& row) { *total = std::atoll(row[0].c_str()); });
  if (!status.ok()) return status;
  const char* direction = f.ascending ? " ASC" : " DESC";
  std::string order = std::string(" ORDER BY ") + sort + direction + ", i.visitor" + direction;
  texts.push_back(std::to_string(f.limit));
  texts.push_back(std::to_string(f.offset));
  // The page's rows first, then their signals and states: with the page cut after the join,
  // PostgreSQL read every filtered lead's state before sorting (a page of `stage=mql` of 100,000
  // leads took 462 ms; scripts/bench-leads --postgres).
  std::string page = std::string("SELECT ") + kColumns + ", " + kLeadColumns +
                     " FROM (SELECT * FROM lead_index i" + where + order + " LIMIT $" +
                     std::to_string(texts.size() - 1) + " OFFSET $" + std::to_string(texts.size()) +
                     ") i JOIN signals s ON s.id = i.signal_id" + order;
  Status read;
  status = db->Run(page, texts, [&](const Row& row) {
    if (!read.ok()) return;
    out->emplace_back();
    read = ReadSignal(row, &out->back());
    ReadLeadFacts(row, 14, &out->back());
  });
  if (!status.ok() || !read.ok()) return status.ok() ? read : status;
  for (StoredSignal& lead : *out) {  // each person's visitors, latest first
    status = db->Run(
        "SELECT visitor FROM lead_index WHERE person = (SELECT person FROM lead_index WHERE "
        "visitor = $1) ORDER BY ts DESC, visitor",
        {lead.visitor}, [&](const Row& row) { lead.lead.visitors.push_back(row[0]); });
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status PostgresStore::VisitorEvidence(const std::string& visitor, std::vector<EvidenceRow>* out) {
  out->clear();
  return Read(
      "SELECT c.signal_id, c.visitor, c.rules_hash, c.evidence, s.ts FROM chain_links c JOIN "
      "signals s ON s.id = c.signal_id WHERE c.visitor = $1 ORDER BY s.ts, s.seq",
      {visitor}, [&](const Row& row) {
        out->push_back({row[0], row[1], row[2], row[3], Number(row[4])});
      });
}

Status PostgresStore::AccountMembers(const std::string& account,
                                     std::vector<std::pair<std::string, AccountMember>>* out) {
  out->clear();
  auto row = [&](const Row& r) {
    AccountMember m;
    m.visitor = r[1];
    m.person = r[2];
    m.email = r[3];
    m.company = r[4];
    m.stage = r[5];
    m.engagement = Number(r[6]);
    m.fit = Number(r[7]);
    m.ts = Number(r[8]);
    out->emplace_back(r[0], m);
  };
  if (account.empty()) {
    return Read(
        "SELECT account, visitor, person, email, company, stage, engagement, fit, ts FROM "
        "lead_index WHERE account != '' ORDER BY account",
        {}, row);
  }
  return Read(
      "SELECT account, visitor, person, email, company, stage, engagement, fit, ts FROM "
      "lead_index WHERE account = $1 ORDER BY ts DESC",
      {account}, row);
}

Status PostgresStore::FunnelLeads(std::vector<FunnelLead>* out) {
  out->clear();
  std::map<std::string, std::size_t> at;
  Status read = Read(
      "SELECT visitor, utm_source, utm_campaign, brought_by, first_seen, engaged_at, qualified_at "
      "FROM lead_index ORDER BY visitor",
      {}, [&](const Row& row) {
        FunnelLead lead;
        lead.visitor = row[0];
        lead.utm_source = row[1];
        lead.utm_campaign = row[2];
        lead.brought_by = row[3];
        lead.first_seen = Number(row[4]);
        lead.engaged_at = Number(row[5]);
        lead.qualified_at = Number(row[6]);
        at[lead.visitor] = out->size();
        out->push_back(lead);
      });
  if (!read.ok()) return read;
  return Read(
      "SELECT visitor, status, reason, by_whom, at FROM lead_status ORDER BY seq", {},
      [&](const Row& row) {
        auto found = at.find(row[0]);
        if (found == at.end()) return;
        (*out)[found->second].statuses.push_back({row[0], row[1], row[2], row[3], Number(row[4])});
      });
}

}  // namespace mqlscore
