// Re-scores a signal's evidence with the core and the rules file the collector was configured
// with, to tell an honest signal from a tampered or buggy one.
#ifndef MQLSCORE_COLLECTOR_VERIFY_H_
#define MQLSCORE_COLLECTOR_VERIFY_H_

#include <string>

#include "core/rules.h"
#include "core/value.h"

namespace mqlscore {

// "verified": replaying the evidence from scratch produces this very stage change (same from, to,
// ts, rounded scores and reasons); "mismatch": it does not, from complete evidence; "unverifiable": it
// does not, from evidence whose oldest events were left out (`evidence_complete` false, a long
// history); "unknown_rules": `rules` is null (no rules file with the signal's hash).
// REQUIRES: `signal` passed the payload checks (docs/signals.md).
std::string Verify(const RuleSet* rules, const Value& signal);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_VERIFY_H_
