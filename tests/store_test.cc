// The store contract (collector/store.h), the same checks against both stores: SQLite in a
// temporary file, and PostgreSQL in a new database of the cluster ctest starts
// (MQLSCORE_TEST_POSTGRES_URL, postgresql://user@host:port; tests/CMakeLists.txt).
#include "collector/store.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mqlscore {
namespace {

// A new, empty database of `backend` ("sqlite" or "postgresql"): what --db names.
std::string NewDatabase(const std::string& backend) {
  static int created = 0;
  std::string name = "store_test_" + std::to_string(getpid()) + "_" + std::to_string(++created);
  if (backend == "sqlite") {
    std::string path = "/tmp/mqlscore-" + name + ".sqlite";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    return path;
  }
  const char* base = std::getenv("MQLSCORE_TEST_POSTGRES_URL");
  INFO("MQLSCORE_TEST_POSTGRES_URL names the cluster to test against (ctest starts one)");
  REQUIRE(base != nullptr);
  PGconn* server = PQconnectdb((std::string(base) + "/postgres").c_str());
  REQUIRE(PQstatus(server) == CONNECTION_OK);
  PGresult* made = PQexec(server, ("CREATE DATABASE " + name).c_str());
  INFO(PQresultErrorMessage(made));
  CHECK(PQresultStatus(made) == PGRES_COMMAND_OK);
  PQclear(made);
  PQfinish(server);
  return std::string(base) + "/" + name;
}

std::unique_ptr<Store> Open(const std::string& db, int max_signals_per_visitor = 100) {
  std::unique_ptr<Store> store;
  Status opened = OpenStore(db, max_signals_per_visitor, &store);
  INFO(opened.message());
  REQUIRE(opened.ok());
  return store;
}

std::unique_ptr<Store> NewStore(const std::string& backend, int max_signals_per_visitor = 100) {
  return Open(NewDatabase(backend), max_signals_per_visitor);
}

// A verified MQL signal of `visitor` whose state gives `email` (none when "").
StoredSignal Signal(const std::string& id, const std::string& visitor, double ts,
                    const std::string& email = "") {
  StoredSignal s;
  s.id = id;
  s.site = "acme";
  s.visitor = visitor;
  s.from = "engaged";
  s.to = "mql";
  s.rules_hash = "3aaaa8fb4fc15fbf";
  s.verdict = "verified";
  s.ts = ts;
  s.engagement = 80;
  s.fit = 70;
  s.score = 150;
  s.reasons = {{"demo-request", 50}, {"pricing-page", 15}};
  s.snapshot = email.empty() ? R"({"traits":{}})"
                             : R"({"traits":{"email":")" + email + R"(","name":"Ann Lee"}})";
  s.evidence = R"([{"type":"page_view","ts":1}])";
  s.qualifies = true;
  return s;
}

int Insert(Store& store, const std::vector<StoredSignal>& batch, bool forward = false) {
  int inserted = -1;
  Status stored = store.InsertBatch(batch, forward, nullptr, &inserted);
  INFO(stored.message());
  REQUIRE(stored.ok());
  return inserted;
}

std::vector<StoredSignal> Leads(Store& store, LeadFilter filter = {}) {
  std::vector<StoredSignal> leads;
  std::int64_t total = -1;
  Status read = store.Leads(filter, &leads, &total);
  INFO(read.message());
  REQUIRE(read.ok());
  CHECK(total == static_cast<std::int64_t>(leads.size()));
  return leads;
}

TEST_CASE("a batch is stored once, and a signal id seen before is not stored again") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  SECTION(backend) {
    auto store = NewStore(backend);
    CHECK(Insert(*store, {Signal("s1", "v1", 1000), Signal("s2", "v2", 2000)}) == 2);
    CHECK(Insert(*store, {Signal("s1", "v1", 1000), Signal("s3", "v3", 3000)}) == 1);
    CHECK(Insert(*store, {Signal("s3", "v3", 3000), Signal("s3", "v3", 3000)}) == 0);
    std::vector<StoredSignal> signals;
    REQUIRE(store->Lead("v1", &signals).ok());
    REQUIRE(signals.size() == 1);
    CHECK(signals[0].id == "s1");
    CHECK(signals[0].score == 150);
    CHECK(signals[0].reasons.size() == 2);
    CHECK(signals[0].status == "new");
    ChainLink link;
    bool found = false;
    REQUIRE(store->FindLink("s2", &link, &found).ok());
    CHECK(found);
    CHECK(link.visitor == "v2");
    std::set<std::string> chained;
    REQUIRE(store->VisitorsWithChain({"v1", "v9", "v3"}, &chained).ok());
    CHECK(chained == std::set<std::string>{"v1", "v3"});
    std::vector<EvidenceRow> evidence;
    REQUIRE(store->VisitorEvidence("v2", &evidence).ok());
    REQUIRE(evidence.size() == 1);
    CHECK(evidence[0].events == R"([{"type":"page_view","ts":1}])");
  }
}

TEST_CASE("a visitor keeps at most max_signals_per_visitor signals, and others are not held back") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  SECTION(backend) {
    auto store = NewStore(backend, 2);
    CHECK(Insert(*store, {Signal("a1", "v", 1), Signal("a2", "v", 2), Signal("a3", "v", 3),
                          Signal("b1", "w", 4)}) == 3);
    CHECK(Insert(*store, {Signal("a4", "v", 5)}) == 0);
    std::vector<StoredSignal> signals;
    REQUIRE(store->Lead("v", &signals).ok());
    CHECK(signals.size() == 2);
  }
}

TEST_CASE(
    "visitors with one e-mail are one person, shown by the latest, and its status is the "
    "person's") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  SECTION(backend) {
    auto store = NewStore(backend);
    Insert(*store, {Signal("p1", "phone", 1000, "Ann@Acme.com ")});
    Insert(*store, {Signal("l1", "laptop", 5000, "ann@acme.com"), Signal("x1", "other", 3000)});
    std::vector<StoredSignal> leads = Leads(*store);
    REQUIRE(leads.size() == 2);
    CHECK(leads[0].visitor == "laptop");
    CHECK(leads[0].lead.visitors == std::vector<std::string>{"laptop", "phone"});
    CHECK(leads[0].lead.email == "ann@acme.com");
    CHECK(leads[0].lead.account == "acme.com");
    CHECK(leads[0].lead.brought_by == "demo-request");
    CHECK(leads[1].visitor == "other");

    REQUIRE(store->AddStatus({"phone", "accepted", "fits", "sam", 6000}).ok());
    leads = Leads(*store);
    CHECK(leads[0].status == "accepted");
    std::vector<std::string> visitors;
    REQUIRE(store->VisitorsWithEmail("ann@acme.com", &visitors).ok());
    CHECK(visitors == std::vector<std::string>{"laptop", "phone"});
    std::vector<StatusChange> changes;
    std::vector<std::string> emails;
    REQUIRE(store->StatusChanges(&changes, &emails).ok());
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].by == "sam");
    CHECK(emails == std::vector<std::string>{"ann@acme.com"});

    LeadFilter accepted;
    accepted.status = "accepted";
    CHECK(Leads(*store, accepted).size() == 1);
    LeadFilter search;
    search.search = "ANN";
    CHECK(Leads(*store, search).size() == 1);
    LeadFilter by_visitor;
    by_visitor.sort = "email";
    by_visitor.ascending = true;
    leads = Leads(*store, by_visitor);
    CHECK(leads[0].visitor == "other");  // "" before "ann@acme.com"
    LeadFilter unknown;
    unknown.sort = "colour";
    std::int64_t total = 0;
    Status refused = store->Leads(unknown, &leads, &total);
    CHECK(refused.code() == Status::Code::kInvalid);
    CHECK(refused.message() ==
          "sort must be one of last_activity, score, engagement, fit, name, email, company, "
          "stage, status");
  }
}

TEST_CASE(
    "the outbox gives the oldest signal until it is sent, counts failures, keeps dead letters") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  SECTION(backend) {
    auto store = NewStore(backend);
    Insert(*store, {Signal("f1", "v1", 1), Signal("f2", "v2", 2), Signal("f3", "v3", 3)}, true);
    Store::Outgoing item;
    bool found = false;
    REQUIRE(store->NextOutgoing(Channel::kForward, &item, &found).ok());
    REQUIRE(found);
    CHECK(item.id == "f1");
    CHECK(item.attempts == 0);
    REQUIRE(store->MarkAttempt(Channel::kForward, item.seq).ok());
    REQUIRE(store->NextOutgoing(Channel::kForward, &item, &found).ok());
    CHECK(item.id == "f1");
    CHECK(item.attempts == 1);
    REQUIRE(store->MarkForwarded(Channel::kForward, item.seq).ok());
    REQUIRE(store->NextOutgoing(Channel::kForward, &item, &found).ok());
    CHECK(item.id == "f2");
    REQUIRE(
        store->MoveToDeadLetter(Channel::kForward, item.seq, 410, "refused with HTTP 410").ok());
    std::vector<Store::DeadLetter> dead;
    std::int64_t waiting = 0;
    REQUIRE(store->Forwarding(Channel::kForward, &dead, &waiting).ok());
    CHECK(waiting == 1);
    REQUIRE(dead.size() == 1);
    CHECK(dead[0].id == "f2");
    CHECK(dead[0].http_status == 410);
    CHECK(dead[0].attempts == 1);
    CHECK(dead[0].reason == "refused with HTTP 410");
    REQUIRE(store->NextOutgoing(Channel::kSlack, &item, &found).ok());
    CHECK_FALSE(found);
  }
}

TEST_CASE(
    "two collectors on one PostgreSQL database never send one signal at once, and send a visitor's "
    "in order") {
  std::string db = NewDatabase("postgresql");
  auto first = Open(db);
  auto second = Open(db);
  Insert(*first, {Signal("f1", "v1", 1), Signal("f2", "v1", 2), Signal("f3", "v2", 3)}, true);
  Store::Outgoing in_hand, other;
  bool found = false;
  REQUIRE(first->NextOutgoing(Channel::kForward, &in_hand, &found).ok());
  CHECK(in_hand.id == "f1");
  REQUIRE(second->NextOutgoing(Channel::kForward, &other, &found).ok());
  CHECK(other.id == "f3");  // not f1, in hand, nor f2, behind it
  REQUIRE(first->NextOutgoing(Channel::kForward, &other, &found).ok());
  CHECK_FALSE(found);
  REQUIRE(first->MarkForwarded(Channel::kForward, in_hand.seq).ok());
  REQUIRE(second->NextOutgoing(Channel::kForward, &other, &found).ok());
  CHECK(other.id == "f2");
}

TEST_CASE(
    "a PostgreSQL database that cannot be reached, or whose schema no collector wrote, is refused "
    "by name, without its password") {
  std::unique_ptr<Store> store;
  Status refused = OpenStore("postgresql://mqlscore:s3cret@127.0.0.1:1/leads", 100, &store);
  CHECK(refused.code() == Status::Code::kUnavailable);
  CHECK_THAT(refused.message(),
             Catch::StartsWith("cannot connect to postgresql://mqlscore:***@127.0.0.1:1/leads: "));
  CHECK(refused.message().find("s3cret") == std::string::npos);
  CHECK(store == nullptr);

  std::string db = NewDatabase("postgresql");
  PGconn* connection = PQconnectdb(db.c_str());
  REQUIRE(PQstatus(connection) == CONNECTION_OK);
  PQclear(PQexec(connection, "CREATE TABLE mqlscore_schema (version integer NOT NULL)"));
  PQfinish(connection);
  refused = OpenStore(db, 100, &store);
  CHECK(refused.code() == Status::Code::kInvalid);
  CHECK(refused.message() == db + " has schema version 0, which no collector wrote on PostgreSQL");
}

TEST_CASE("on SQLite, stored signals reach the database file itself, not only its WAL") {
  std::string path = NewDatabase("sqlite");
  auto store = Open(path);
  std::vector<StoredSignal> batch;
  for (int i = 0; i < 50; ++i) {
    batch.push_back(Signal("w" + std::to_string(i), "v" + std::to_string(i), 1000 + i));
  }
  CHECK(Insert(*store, batch) == 50);
  // The database file alone, copied as it is while the store runs: its checkpoints (every
  // 200 ms) copy the WAL into it.
  std::string copy = path + "-file-only.sqlite";
  std::int64_t in_file = -1;
  for (int wait = 0; wait < 50 && in_file != 50; ++wait) {
    usleep(100000);
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((copy + suffix).c_str());
    std::ifstream from(path, std::ios::binary);
    std::ofstream(copy, std::ios::binary) << from.rdbuf();
    sqlite3* file = nullptr;
    REQUIRE(sqlite3_open(copy.c_str(), &file) == SQLITE_OK);
    sqlite3_stmt* count = nullptr;
    if (sqlite3_prepare_v2(file, "SELECT count(*) FROM signals", -1, &count, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(count) == SQLITE_ROW) {
      in_file = sqlite3_column_int64(count, 0);
    }
    sqlite3_finalize(count);
    sqlite3_close(file);
  }
  CHECK(in_file == 50);
}

}  // namespace
}  // namespace mqlscore
