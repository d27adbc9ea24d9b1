// A rules file (contract: rules-v1.md §1, §3, §5), parsed and validated.
//
//   RuleSet rules;
//   Problems problems = RuleSet::Parse(text, &rules);
//   if (!problems.empty()) { for (auto& p : problems) print(p.ToString()); }
//
// Parse reports every problem it finds, each with the JSON Pointer of its place; a RuleSet is only
// usable when Parse returned no problems.
#ifndef MQLSCORE_CORE_RULES_H_
#define MQLSCORE_CORE_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/condition.h"
#include "core/problem.h"
#include "core/status.h"
#include "core/value.h"

namespace mqlscore {

// Rules files larger than this are refused before parsing (contract §3.1).
constexpr std::size_t kMaxRulesBytes = 16 * 1024 * 1024;
// Room for conditions nested as deep as they may be (each all/any level is an array and an
// object) while refusing absurd files before they are built.
constexpr int kMaxRulesDepth = 256;

// Keys starting with "x-" are notes: ignored wherever the file allows them (contract §1).
bool IsNoteKey(std::string_view key);

// Whether `name` may name a stage or a rule: 1 to 64 of A-Z a-z 0-9 _ . - (contract §1).
bool IsValidName(const std::string& name);

struct Limit {
  enum class Per { kSession, kDay, kWeek, kEver };
  std::int64_t times = 1;
  Per per = Per::kEver;
  double window_ms = 0;  // for kDay and kWeek
};

struct Rule {
  std::string id;
  bool is_fit = false;
  std::vector<std::string> on;  // engagement rules: the event types it listens to
  Condition when;               // always true when the file has no `if`
  double points = 0;
  std::optional<Limit> limit;  // engagement rules only
  std::string description;
};

struct Stage {
  std::string name;
  std::optional<double> min_engagement, min_fit, min_score;
  bool sticky = false;
};

class RuleSet {
 public:
  // Parses and validates a rules file, read with ReadJson (core/json_reader.h). Returns no
  // problems on success.
  static Problems Parse(std::string_view text, RuleSet* out);
  // The same for a file another reader read (the browser's JSON.parse): `text` is the file as
  // given (its size is checked and it is hashed); `read` says whether the reader made a document
  // of it (kTooDeep when it nests deeper than kMaxRulesDepth), `document` is what it made.
  static Problems Parse(std::string_view text, const Status& read, const Value& document,
                        RuleSet* out);

  double session_timeout_ms() const { return session_timeout_ms_; }
  // 0 when engagement does not decay.
  double half_life_ms() const { return half_life_ms_; }
  const std::optional<double>& engagement_cap() const { return engagement_cap_; }
  const std::optional<double>& fit_cap() const { return fit_cap_; }
  const std::vector<Stage>& stages() const { return stages_; }
  const std::vector<Rule>& rules() const { return rules_; }
  // A stable fingerprint of the file's bytes (FNV-1a 64, 16 hex digits), naming the rules a
  // snapshot or signal was made with.
  const std::string& hash() const { return hash_; }

  // Indexes into rules() of the engagement rules listening to `type`, in file order.
  const std::vector<std::size_t>& EngagementRulesFor(std::string_view type) const;
  // Indexes into rules() of the fit rules, in file order.
  const std::vector<std::size_t>& fit_rules() const { return fit_rules_; }
  // Index into rules() of the rule named `id`, or -1.
  int RuleIndex(std::string_view id) const;
  // Index into stages() of the stage named `name`, or -1.
  int StageIndex(std::string_view name) const;

 private:
  double session_timeout_ms_ = 30 * 60 * 1000.0;
  double half_life_ms_ = 0;
  std::optional<double> engagement_cap_, fit_cap_;
  std::vector<Stage> stages_;
  std::vector<Rule> rules_;
  std::string hash_;
  // Few distinct event types per file: a linear scan beats hashing a string per event.
  std::vector<std::string> event_types_;
  std::vector<std::vector<std::size_t>> listeners_;  // per event type, the rules listening to it
  std::vector<std::size_t> fit_rules_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_RULES_H_
