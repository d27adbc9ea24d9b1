#include "collector/batch.h"

#include <catch2/catch.hpp>
#include <map>

#include "core/json_writer.h"
#include "core/report.h"
#include "test_support.h"

namespace mqlscore {
namespace {

// The collector's clock in these tests: 2026-01-02, a day after the evidence.
constexpr double kNow = 1767312000000;

constexpr const char* kRules = R"({"version":1,"stages":[{"name":"mql","score":10},
  {"name":"visitor"}],"rules":[{"id":"pricing","on":"page_view","points":10}]})";

// A batch of one honest signal: its evidence earns exactly the stage change it reports.
struct Fixture {
  Fixture() {
    auto rules = std::make_unique<RuleSet>(ValidRules(kRules));
    hash = rules->hash();
    by_hash[hash] = std::move(rules);
    Visitor visitor(by_hash[hash].get(), "v-1");
    std::vector<Signal> signals = Run(visitor, {evidence});
    REQUIRE(signals.size() == 1);
    Value value = SignalValue(signals[0]);
    value.Append("id", "sig-1");
    value.Append("rules_hash", hash);
    value.Append(
        "evidence",
        Value::Array{Value(Value::Object{{"type", "page_view"}, {"ts", 1767225600000.0}})});
    signal = ToJsonText(value);
  }
  std::string Batch(const std::string& signal_text, const std::string& site = "\"acme\"") const {
    return "{\"site\":" + site + ",\"signals\":[" + signal_text + "]}";
  }
  std::string With(const std::string& key, const std::string& json) const {
    std::string changed = signal;
    std::size_t at = changed.find("\"" + key + "\":");
    REQUIRE(at != std::string::npos);
    std::size_t end = changed.find_first_of(",}", changed.find(':', at));
    if (changed[changed.find(':', at) + 1] == '[') end = changed.find(']', at) + 1;
    return changed.replace(at, end - at, "\"" + key + "\":" + json);
  }

  std::string evidence = R"({"type":"page_view","ts":1767225600000})";
  std::string hash;
  RulesByHash by_hash;
  std::string signal;
};

// The chain links a store keeps, in a map.
struct Links : ChainLookup {
  std::map<std::string, ChainLink> by_id;
  Status FindLink(const std::string& id, ChainLink* link, bool* found) override {
    auto it = by_id.find(id);
    *found = it != by_id.end();
    if (*found) *link = it->second;
    return Status::Ok();
  }
  Status VisitorsWithChain(const std::vector<std::string>& visitors,
                           std::set<std::string>* out) override {
    out->clear();
    for (const auto& [id, link] : by_id) {
      if (std::find(visitors.begin(), visitors.end(), link.visitor) != visitors.end()) {
        out->insert(link.visitor);
      }
    }
    return Status::Ok();
  }
};

Status Read(const Fixture& f, const std::string& body, std::vector<StoredSignal>* rows) {
  Links none;
  return ReadBatch(body, f.by_hash, &none, kNow, rows);
}

constexpr double kDay0 = 1767225600000;  // 2026-01-01

// Stages mql at 10 and sql at 30; a page view earns `points`.
std::unique_ptr<RuleSet> PricingRules(int points) {
  return std::make_unique<RuleSet>(ValidRules(
      R"({"version":1,"stages":[{"name":"sql","score":30},{"name":"mql","score":10},
      {"name":"visitor"}],"rules":[{"id":"pricing","on":"page_view","points":)" +
      std::to_string(points) + "}]}"));
}

// Raises signals the way the widget does (docs/signals.md): each carries the events since the
// one before and names it as `previous`; a rules change restores the state into the new rules.
class Browser {
 public:
  explicit Browser(const RuleSet* rules) : rules_(rules), visitor_(rules, "v-1") {}

  // Scores an event; the signals it raised, as JSON text.
  std::vector<std::string> Track(const std::string& event) {
    since_previous_.push_back(event);
    std::vector<Signal> raised;
    visitor_.Track(MakeEvent(event)->event(), &raised);
    std::vector<std::string> texts;
    for (const Signal& signal : raised) {
      Value value = SignalValue(signal);
      value.Append("id", "sig-" + std::to_string(++count_));
      value.Append("rules_hash", rules_->hash());
      Value::Array evidence;
      for (const std::string& text : since_previous_) {
        evidence.emplace_back();
        REQUIRE(ReadJson(text, kMaxValueDepth, &evidence.back()).ok());
      }
      value.Append("evidence", std::move(evidence));
      value.Append("evidence_complete", true);
      if (!previous_.empty()) value.Append("previous", previous_);
      texts.push_back(ToJsonText(value));
    }
    if (!raised.empty()) {
      previous_ = "sig-" + std::to_string(count_);
      since_previous_.clear();
    }
    return texts;
  }
  // A page load with another rules file.
  void ChangeRules(const RuleSet* rules) {
    Visitor restored(rules, "v-1");
    REQUIRE(Visitor::FromSnapshot(rules, Status::Ok(), visitor_.Snapshot(), &restored).ok());
    visitor_ = restored;
    rules_ = rules;
  }

 private:
  const RuleSet* rules_;
  Visitor visitor_;
  std::vector<std::string> since_previous_;
  std::string previous_;
  int count_ = 0;
};

// The collector's side: the rules it was given and the chain links it stored.
struct Collector {
  RulesByHash rules;
  Links links;

  // The verdict of each signal, one batch each, stored as the store stores them.
  std::vector<std::string> Receive(const std::vector<std::string>& signals) {
    std::vector<std::string> verdicts;
    for (const std::string& signal : signals) {
      std::vector<StoredSignal> rows;
      REQUIRE(
          ReadBatch("{\"site\":\"acme\",\"signals\":[" + signal + "]}", rules, &links, kNow, &rows)
              .ok());
      for (const StoredSignal& row : rows) {
        if (!row.snapshot.empty()) {
          links.by_id[row.id] = {row.visitor, row.rules_hash, row.snapshot};
        }
        verdicts.push_back(row.verdict);
      }
    }
    return verdicts;
  }
};

// "{...}" of a page view `minutes` after kDay0.
std::string PageView(int minutes) { return Ev("page_view", kDay0 + minutes * 60000.0); }

}  // namespace

TEST_CASE("An honest batch becomes rows with the verdict verified", "[batch]") {
  Fixture f;
  std::vector<StoredSignal> rows;
  REQUIRE(Read(f, f.Batch(f.signal), &rows).ok());
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == "sig-1");
  CHECK(rows[0].site == "acme");
  CHECK(rows[0].visitor == "v-1");
  CHECK(rows[0].from == "visitor");
  CHECK(rows[0].to == "mql");
  CHECK(rows[0].score == 10);
  CHECK(rows[0].verdict == "verified");
  REQUIRE(rows[0].reasons.size() == 1);
  CHECK(rows[0].reasons[0].rule == "pricing");
}

TEST_CASE("Signals that the evidence does not earn, or with unknown rules, say so", "[batch]") {
  Fixture f;
  std::vector<StoredSignal> rows;
  SECTION("a score raised by hand") {
    REQUIRE(Read(f, f.Batch(f.With("score", "99")), &rows).ok());
    CHECK(rows[0].verdict == "mismatch");
  }
  SECTION("reasons made up, with the right scores") {
    std::string made_up = f.With("reasons", R"([{"rule":"<img src=x>","points":10}])");
    REQUIRE(Read(f, f.Batch(made_up), &rows).ok());
    CHECK(rows[0].verdict == "mismatch");
  }
  SECTION("evidence without its oldest events that does not reproduce the signal") {
    std::string partial = f.With("score", "99");
    partial.insert(partial.size() - 1, ",\"evidence_complete\":false");
    REQUIRE(Read(f, f.Batch(partial), &rows).ok());
    CHECK(rows[0].verdict == "unverifiable");
  }
  SECTION("complete evidence that does not reproduce it") {
    std::string complete = f.With("score", "99");
    complete.insert(complete.size() - 1, ",\"evidence_complete\":true");
    REQUIRE(Read(f, f.Batch(complete), &rows).ok());
    CHECK(rows[0].verdict == "mismatch");
  }
}

TEST_CASE("A bad batch is refused whole, naming the first problem", "[batch]") {
  Fixture f;
  std::vector<StoredSignal> rows;
  auto refuse = [&](const std::string& body) {
    Status status = Read(f, body, &rows);
    CHECK(rows.empty());
    REQUIRE_FALSE(status.ok());
    return status;
  };
  CHECK(refuse("{\"site\": \"acme\", \"signals\": [").message().rfind("not JSON: parse error", 0) ==
        0);
  CHECK(refuse("[1,2]").message() == "expected {\"site\": string, \"signals\": [...]}");
  CHECK(refuse(f.Batch("")).message() == "expected {\"site\": string, \"signals\": [...]}");
  CHECK(refuse(f.Batch(f.signal, "\"\"")).message() == "\"site\" must not be empty");
  CHECK(refuse(f.Batch(f.signal, "7")).message() == "\"site\" must be a string");
  CHECK(refuse(f.Batch(f.signal, "\"" + std::string(129, 's') + "\"")).message() ==
        "\"site\" must be at most 128 bytes, without control characters");
  CHECK(refuse(f.Batch(f.With("visitor", "\"a\\u0000b\""))).message() ==
        "signals[0]: visitor must be a string of 1 to 128 bytes, without control characters");
  CHECK(refuse(f.Batch(f.signal + "," + f.With("ts", "\"yesterday\""))).message() ==
        "signals[1]: ts must be a number");
  CHECK(refuse(f.Batch(f.With("id", "\"a b\""))).message() ==
        "signals[0]: id must be 1 to 64 of A-Z a-z 0-9 - _");
  CHECK(refuse(f.Batch(f.With("evidence", "{}"))).message() ==
        "signals[0]: evidence must be an array of at most 200 events");
  CHECK(refuse(f.Batch(f.With("reasons", "[{\"rule\":1}]"))).message() ==
        "signals[0]: each reason must be {\"rule\": string, \"points\": number}");
  CHECK(refuse(f.Batch(f.With("rules_hash", "\"0123456789abcdef\""))).message() ==
        "signals[0]: rules_hash 0123456789abcdef is none of the collector's rules files (mqlscore "
        "hash RULES.json; give each with --rules)");
  CHECK(refuse(f.Batch(f.With("to", "\"sql\""))).message() ==
        "signals[0]: to \"sql\" is not a stage of the rules file " + f.hash);
  SECTION("times that cannot be true") {
    const std::string window =
        " must be within the last 3650 days and at most a day after the collector's clock";
    for (const char* ts : {"4102444800000", "0", "-1000000000000", "1e300"}) {
      CHECK(refuse(f.Batch(f.With("ts", ts))).message() == "signals[0]: ts" + window);
    }
    for (const char* ts : {"86400000", "\"2100-01-01T00:00:00Z\""}) {
      std::string evidence =
          f.With("evidence", std::string(R"([{"type":"page_view","ts":)") + ts + "}]");
      CHECK(refuse(f.Batch(evidence)).message() == "signals[0]: evidence[0].ts" + window);
    }
  }
  SECTION("more than 500 signals is too large, not invalid") {
    std::string many = f.signal;
    for (int i = 0; i < 500; ++i) many += "," + f.signal;
    Status status = refuse(f.Batch(many));
    CHECK(status.code() == Status::Code::kTooLarge);
    CHECK(status.message() == "at most 500 signals per batch");
  }
}

TEST_CASE("A chained signal is replayed from where the previous one left the visitor", "[batch]") {
  Collector collector;
  auto rules = PricingRules(10);
  const RuleSet* a = rules.get();
  collector.rules[a->hash()] = std::move(rules);
  Browser browser(a);
  std::vector<std::string> mql = browser.Track(PageView(0));
  browser.Track(PageView(1));
  std::vector<std::string> sql = browser.Track(PageView(2));
  REQUIRE(mql.size() == 1);
  REQUIRE(sql.size() == 1);
  CHECK(sql[0].find("\"previous\":\"sig-1\"") != std::string::npos);

  SECTION("the chain verifies link by link") {
    CHECK(collector.Receive({mql[0], sql[0]}) == std::vector<std::string>{"verified", "verified"});
  }
  SECTION("in one batch, the earlier signal is the link") {
    std::vector<StoredSignal> rows;
    Links none;
    REQUIRE(ReadBatch("{\"site\":\"acme\",\"signals\":[" + mql[0] + "," + sql[0] + "]}",
                      collector.rules, &none, kNow, &rows)
                .ok());
    CHECK(rows[1].verdict == "verified");
  }
  SECTION("a tampered chained signal is a mismatch") {
    std::string raised = sql[0];
    raised.replace(raised.find("\"score\":30"), 10, "\"score\":31");
    CHECK(collector.Receive({mql[0], raised}) == std::vector<std::string>{"verified", "mismatch"});
  }
  SECTION("evidence that repeats what the previous signal carried is a mismatch") {
    std::string all_three = sql[0];
    std::string three = "[" + PageView(0) + "," + PageView(1) + "," + PageView(2) + "]";
    std::size_t at = all_three.find("\"evidence\":[") + 11;
    all_three.replace(at, all_three.find(']', at) - at + 1, three);
    CHECK(collector.Receive({mql[0], all_three}) ==
          std::vector<std::string>{"verified", "mismatch"});
  }
  SECTION("a previous signal the collector does not know, or another visitor's, is unverifiable") {
    CHECK(collector.Receive({sql[0]}) == std::vector<std::string>{"unverifiable"});
    std::string other = mql[0];
    other.replace(other.find("\"visitor\":\"v-1\""), 15, "\"visitor\":\"v-2\"");
    CHECK(collector.Receive({other, sql[0]}) ==
          std::vector<std::string>{"verified", "unverifiable"});
  }
  SECTION("a signal that does not continue a known visitor's chain cannot verify") {
    REQUIRE(collector.Receive({mql[0]}) == std::vector<std::string>{"verified"});
    std::string again = mql[0];  // the same honest evidence, replayed from nothing, another id
    again.replace(again.find("\"id\":\"sig-1\""), 12, "\"id\":\"sig-x\"");
    CHECK(collector.Receive({again}) == std::vector<std::string>{"unverifiable"});
  }
  SECTION("a previous signal that was a mismatch keeps no link") {
    std::string raised = mql[0];
    raised.replace(raised.find("\"score\":10"), 10, "\"score\":11");
    CHECK(collector.Receive({raised, sql[0]}) ==
          std::vector<std::string>{"mismatch", "unverifiable"});
  }
}

TEST_CASE("A rules change between two signals of a visitor verifies both", "[batch]") {
  Collector collector;
  auto rules_a = PricingRules(10);
  auto rules_b = PricingRules(15);
  const RuleSet* a = rules_a.get();
  const RuleSet* b = rules_b.get();
  collector.rules[a->hash()] = std::move(rules_a);
  collector.rules[b->hash()] = std::move(rules_b);
  Browser browser(a);
  std::vector<std::string> mql = browser.Track(PageView(0));  // 10 under A
  browser.Track(PageView(1));                                 // 20 under A
  browser.ChangeRules(b);                                     // the next page loads B
  std::vector<std::string> sql = browser.Track(PageView(2));  // 35 under B
  REQUIRE(sql.size() == 1);
  CHECK(sql[0].find("\"score\":35") != std::string::npos);
  CHECK(collector.Receive({mql[0], sql[0]}) == std::vector<std::string>{"verified", "verified"});
  SECTION("the same signal without its previous one does not continue the chain: unverifiable") {
    std::string from_zero = sql[0];
    from_zero.erase(from_zero.find(",\"previous\""), std::string(",\"previous\":\"sig-1\"").size());
    CHECK(collector.Receive({from_zero}) == std::vector<std::string>{"unverifiable"});
    Collector fresh;  // for a visitor it does not know, it is replayed from nothing
    fresh.rules[b->hash()] = std::move(collector.rules[b->hash()]);
    CHECK(fresh.Receive({from_zero}) == std::vector<std::string>{"mismatch"});
  }
  SECTION("without the old rules the restore can only be tried first: unverifiable") {
    Collector only_b;
    only_b.rules[b->hash()] = std::move(collector.rules[b->hash()]);
    only_b.links.by_id = collector.links.by_id;
    CHECK(only_b.Receive({sql[0]}) == std::vector<std::string>{"unverifiable"});
  }
}
}  // namespace mqlscore
