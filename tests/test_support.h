// Helpers for the core's tests: rules and events from JSON text, and a visitor run.
#ifndef MQLSCORE_TESTS_TEST_SUPPORT_H_
#define MQLSCORE_TESTS_TEST_SUPPORT_H_

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/json_reader.h"
#include "core/json_writer.h"
#include "core/report.h"
#include "core/rules.h"
#include "core/visitor.h"

namespace mqlscore {

// A rule set that must be valid; the test fails with the problems otherwise.
inline RuleSet ValidRules(const std::string& text) {
  RuleSet rules;
  Problems problems = RuleSet::Parse(text, &rules);
  std::string all;
  for (const auto& p : problems) all += p.ToString() + "\n";
  INFO(all);
  REQUIRE(problems.empty());
  return rules;
}

// The problems of an invalid rules file, as printed lines.
inline std::vector<std::string> RuleProblems(const std::string& text) {
  RuleSet rules;
  std::vector<std::string> lines;
  for (const auto& p : RuleSet::Parse(text, &rules)) lines.push_back(p.ToString());
  return lines;
}

inline std::unique_ptr<OwnedEvent> MakeEvent(const std::string& json) {
  auto event = std::make_unique<OwnedEvent>();
  Status parsed = event->Parse(json);
  INFO(json << ": " << parsed.message());
  REQUIRE(parsed.ok());
  return event;
}

// Runs events (JSON texts) through one visitor and returns every signal.
inline std::vector<Signal> Run(Visitor& visitor, const std::vector<std::string>& events) {
  std::vector<Signal> signals;
  for (const auto& json : events) visitor.Track(MakeEvent(json)->event(), &signals);
  return signals;
}

// "{...}" with type and ts filled in, for brevity.
inline std::string Ev(const std::string& type, double ts, const std::string& more = "") {
  std::string text =
      "{\"type\":\"" + type + "\",\"ts\":" + std::to_string(static_cast<long long>(ts));
  if (!more.empty()) text += "," + more;
  return text + "}";
}

}  // namespace mqlscore

#endif  // MQLSCORE_TESTS_TEST_SUPPORT_H_
