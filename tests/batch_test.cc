#include "collector/batch.h"

#include <catch2/catch.hpp>

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

Status Read(const Fixture& f, const std::string& body, std::vector<StoredSignal>* rows) {
  return ReadBatch(body, f.by_hash, kNow, rows);
}

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
  SECTION("rules the collector was not given") {
    REQUIRE(Read(f, f.Batch(f.With("rules_hash", "\"0123456789abcdef\"")), &rows).ok());
    CHECK(rows[0].verdict == "unknown_rules");
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
}  // namespace mqlscore
