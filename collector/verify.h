// Re-scores a signal's evidence with the core and the rules file the collector was configured
// with, to tell an honest signal from a tampered or buggy one. A signal that names a `previous`
// signal carries only the evidence since that one and is replayed from the state the previous
// signal's evidence left the visitor in (chained verification, docs/signals.md).
#ifndef MQLSCORE_COLLECTOR_VERIFY_H_
#define MQLSCORE_COLLECTOR_VERIFY_H_

#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/rules.h"
#include "core/status.h"
#include "core/value.h"

namespace mqlscore {

// The rules files signals are verified against, by their hash.
using RulesByHash = std::map<std::string, std::unique_ptr<RuleSet>>;

// What the collector keeps of a verified signal so that the visitor's next signal can be replayed
// from where it left off.
struct ChainLink {
  std::string visitor;
  std::string rules_hash;  // the rules the snapshot was made with
  std::string snapshot;    // Visitor::Snapshot() after the signal's evidence, as JSON text
};

// The chain links the collector keeps (the store; a map in tests).
class ChainLookup {
 public:
  virtual ~ChainLookup() = default;
  // The link of the verified signal `signal_id`: sets *found and, when true, *link.
  virtual Status FindLink(const std::string& signal_id, ChainLink* link, bool* found) = 0;
  // Sets *out to those of `visitors` that have any verified signal (one question for a batch).
  virtual Status VisitorsWithChain(const std::vector<std::string>& visitors,
                                   std::set<std::string>* out) = 0;
};

struct Verdict {
  // "verified": the replay produces this very stage change (same from, to, ts, rounded scores and
  // reasons); "mismatch": it does not, from complete evidence; "unverifiable": it cannot be told,
  // because the evidence lacks its oldest events (`evidence_complete` false), the `previous` signal
  // is not one the collector verified for this visitor, or the history crosses rules changes no
  // single restore explains.
  std::string name;
  // When verified: the visitor's state after the evidence, for the next signal's replay.
  std::string snapshot;
};

// `previous`: the link the signal's `previous` names, null when the signal names none or the
// collector has none for it (either is ignored when it belongs to another visitor).
// A link made with other rules is restored into the signal's rules as the browser does, at the
// one point of the evidence where that explains the signal (the browser restores once, at the
// page load that brought the new rules).
// REQUIRES: `signal` passed the payload checks (docs/signals.md), which include that `rules` has
// its rules_hash.
Verdict Verify(const RulesByHash& rules, const Value& signal, const ChainLink* previous);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_VERIFY_H_
