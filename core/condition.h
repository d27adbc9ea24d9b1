// Conditions of the rules contract (§3.1), compiled once from the rules file and evaluated
// against the fields of one event (or, for fit rules, of the visitor's traits).
#ifndef MQLSCORE_CORE_CONDITION_H_
#define MQLSCORE_CORE_CONDITION_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/field_value.h"
#include "core/problem.h"
#include "core/value.h"

namespace mqlscore {

// Where a field name points, resolved when the rules are parsed so that evaluation does no string
// work on the name.
struct FieldRef {
  enum class Source {
    kType,          // "type"
    kTs,            // "ts": the time the event is scored at, in ms
    kHost,          // "host": from url
    kPath,          // "path": from url
    kQuery,         // "query.<name>": key is the parameter name
    kUtm,           // "utm.<source|medium|campaign|term|content>": key is the utm_* name
    kReferrerHost,  // "referrer_host"
    kEventMember,   // "visitor", "url", "referrer", "cta", ..., "props.<path>": path from the event
    kTraits,        // "traits" or "traits.<path>": path inside the visitor's traits
    kSessionNumber,  // "session.number"
    kSessionEvents,  // "session.events"
    kNone,           // a name the contract does not define: always missing
  };
  Source source = Source::kNone;
  std::string key;
  int utm_index = -1;  // kUtm: index into kUtmNames
  std::vector<std::string> path;
};

// Resolves a dotted field name. REQUIRES: name is not empty.
FieldRef ResolveField(std::string_view name);

// What a condition reads its fields from.
class FieldSource {
 public:
  virtual ~FieldSource() = default;
  virtual FieldValue Get(const FieldRef& field) const = 0;
};

// A constant in a condition: a string, number or bool.
struct Literal {
  FieldValue::Kind kind = FieldValue::Kind::kString;
  std::string text;  // for the case-insensitive operators already lower-cased
  double number = 0;
  bool boolean = false;
};

class Condition {
 public:
  enum class Op {
    kAll,
    kAny,
    kNot,
    kEq,
    kNe,
    kIn,
    kNin,
    kGt,
    kGte,
    kLt,
    kLte,
    kGlob,
    kPrefix,
    kSuffix,
    kContains,
    kExists,
    // Globs whose only wildcards are a leading and/or trailing '*' run as these instead.
    kEqualsIgnoreCase,
  };

  // The condition that always holds (an absent `if`).
  Condition() = default;

  // Compiles `node` found at JSON Pointer `pointer`. Every problem goes to *problems, with its
  // pointer; the returned condition is only meaningful when none were added.
  static Condition Parse(const Value& node, const std::string& pointer,
                         Problems* problems);

  bool Evaluate(const FieldSource& fields) const;

  // Calls fn(const FieldRef&) for every field the condition reads.
  template <typename Fn>
  void ForEachField(Fn fn) const {
    if (op_ == Op::kAll || op_ == Op::kAny || op_ == Op::kNot) {
      for (const Condition& child : children_) child.ForEachField(fn);
    } else {
      fn(field_);
    }
  }

 private:
  static Condition ParseObject(const Value& node, const std::string& pointer, int depth,
                               Problems* problems);
  static Condition ParseCombinator(Op op, const Value& node, const std::string& pointer,
                                   int depth, Problems* problems);
  static Condition ParseField(const std::string& name, const Value& node,
                              const std::string& pointer, Problems* problems);
  // Turns a glob like "/pricing*" into the equivalent prefix, suffix, contains or equality test.
  void SimplifyGlob();
  bool Compare(const FieldValue& value) const;

  Op op_ = Op::kAll;
  std::vector<Condition> children_;  // kAll, kAny, kNot (one child)
  FieldRef field_;
  std::vector<Literal> operands_;  // one, or the array of in/nin; none for exists
  bool exists_ = true;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_CONDITION_H_
