// The example rules (examples/b2b-saas.rules.json, read from the repository's root, where
// scripts/fuzz runs the targets) for the fuzz targets that score.
#ifndef MQLSCORE_TESTS_FUZZ_FUZZ_RULES_H_
#define MQLSCORE_TESTS_FUZZ_FUZZ_RULES_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "core/rules.h"

namespace mqlscore {

inline const std::string& ExampleRulesText() {
  static const std::string* text = [] {
    std::ifstream file("examples/b2b-saas.rules.json");
    std::stringstream read;
    read << file.rdbuf();
    if (!file) std::abort();
    return new std::string(read.str());
  }();
  return *text;
}

inline const RuleSet& ExampleRules() {
  static const RuleSet* rules = [] {
    auto* parsed = new RuleSet;
    if (!RuleSet::Parse(ExampleRulesText(), parsed).empty()) std::abort();
    return parsed;
  }();
  return *rules;
}

}  // namespace mqlscore

#endif  // MQLSCORE_TESTS_FUZZ_FUZZ_RULES_H_
