// libFuzzer target: a body for POST /v1/signals through the collector's checks and verification,
// with the example rules and no stored chain.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "collector/batch.h"
#include "fuzz_rules.h"

namespace {

struct NoChains : mqlscore::ChainLookup {
  mqlscore::Status FindLink(const std::string&, mqlscore::ChainLink*, bool* found) override {
    *found = false;
    return mqlscore::Status::Ok();
  }
  mqlscore::Status VisitorsWithChain(const std::vector<std::string>&,
                                     std::set<std::string>* out) override {
    out->clear();
    return mqlscore::Status::Ok();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mqlscore::RulesByHash* rules = [] {
    auto* by_hash = new mqlscore::RulesByHash;
    auto copy = std::make_unique<mqlscore::RuleSet>();
    mqlscore::RuleSet::Parse(mqlscore::ExampleRulesText(), copy.get());
    std::string hash = copy->hash();
    (*by_hash)[hash] = std::move(copy);
    return by_hash;
  }();
  NoChains chains;
  std::vector<mqlscore::StoredSignal> rows;
  mqlscore::ReadBatch(std::string_view(reinterpret_cast<const char*>(data), size), *rules, &chains,
                      1767657600000.0, &rows);  // 2026-01-06, a day after the seeds' events
  return 0;
}
