// Compiling a rules file's `if` into a Condition (contract §3.1): run once per rules file, apart
// from evaluation (condition.cc), which runs for every event.
#include <string>
#include <string_view>
#include <vector>

#include "core/condition.h"
#include "core/strings.h"
#include "core/visitor_state.h"

namespace mqlscore {
namespace {
// Conditions nest at most this many all/any/not inside each other (contract §3.1).
constexpr int kMaxConditionDepth = 64;

const char* const kOperatorList =
    "eq, ne, in, nin, gt, gte, lt, lte, glob, prefix, suffix, contains, exists";

// The operand types an operator takes, as bits of 1 << Value::Type.
constexpr unsigned kTakes(Value::Type type) { return 1u << static_cast<unsigned>(type); }
constexpr unsigned kScalar =
    kTakes(Value::Type::kString) | kTakes(Value::Type::kNumber) | kTakes(Value::Type::kBool);

struct OperatorName {
  const char* name;
  Condition::Op op;
  unsigned takes;
  const char* needs;  // for "<op> needs <needs>, not <what it got>"
};

const char* const kNeedsScalar = "a string, number or boolean";
const char* const kNeedsOrdered = "a number or a string";
const char* const kNeedsString = "a string";
const char* const kNeedsList = "an array of strings, numbers or booleans";

const OperatorName kOperators[] = {
    {"eq", Condition::Op::kEq, kScalar, kNeedsScalar},
    {"ne", Condition::Op::kNe, kScalar, kNeedsScalar},
    {"in", Condition::Op::kIn, kTakes(Value::Type::kArray), kNeedsList},
    {"nin", Condition::Op::kNin, kTakes(Value::Type::kArray), kNeedsList},
    {"gt", Condition::Op::kGt, kTakes(Value::Type::kNumber) | kTakes(Value::Type::kString),
     kNeedsOrdered},
    {"gte", Condition::Op::kGte, kTakes(Value::Type::kNumber) | kTakes(Value::Type::kString),
     kNeedsOrdered},
    {"lt", Condition::Op::kLt, kTakes(Value::Type::kNumber) | kTakes(Value::Type::kString),
     kNeedsOrdered},
    {"lte", Condition::Op::kLte, kTakes(Value::Type::kNumber) | kTakes(Value::Type::kString),
     kNeedsOrdered},
    {"glob", Condition::Op::kGlob, kTakes(Value::Type::kString), kNeedsString},
    {"prefix", Condition::Op::kPrefix, kTakes(Value::Type::kString), kNeedsString},
    {"suffix", Condition::Op::kSuffix, kTakes(Value::Type::kString), kNeedsString},
    {"contains", Condition::Op::kContains, kTakes(Value::Type::kString), kNeedsString},
    {"exists", Condition::Op::kExists, kTakes(Value::Type::kBool), "true or false"},
};

std::vector<std::string> SplitDots(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = text.find('.', start);
    parts.emplace_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

bool IsScalar(const Value& value) {
  return value.is_string() || value.is_number() || value.is_bool();
}

Literal ToLiteral(const Value& value, bool lower_case) {
  Literal literal;
  if (value.is_string()) {
    literal.kind = FieldValue::Kind::kString;
    const std::string& text = value.string_value();
    literal.text = lower_case ? AsciiLower(text) : text;
  } else if (value.is_bool()) {
    literal.kind = FieldValue::Kind::kBool;
    literal.boolean = value.bool_value();
  } else {
    literal.kind = FieldValue::Kind::kNumber;
    literal.number = value.number_value();
  }
  return literal;
}

}  // namespace

FieldRef ResolveField(std::string_view name) {
  FieldRef field;
  std::size_t dot = name.find('.');
  std::string_view head = name.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  bool dotted = dot != std::string_view::npos;
  using S = FieldRef::Source;
  if (!dotted && head == "type") {
    field.source = S::kType;
  } else if (!dotted && head == "ts") {
    field.source = S::kTs;
  } else if (!dotted && head == "host") {
    field.source = S::kHost;
  } else if (!dotted && head == "path") {
    field.source = S::kPath;
  } else if (!dotted && head == "referrer_host") {
    field.source = S::kReferrerHost;
  } else if (head == "query" && dotted) {
    field.source = S::kQuery;
    field.key = std::string(rest);
  } else if (head == "utm" && dotted) {
    for (int i = 0; i < 5; ++i) {
      if (rest == kUtmNames[i] + 4) {  // "utm_source" + 4 == "source"
        field.source = S::kUtm;
        field.key = kUtmNames[i];
        field.utm_index = i;
      }
    }
  } else if (name == "session.number") {
    field.source = S::kSessionNumber;
  } else if (name == "session.events") {
    field.source = S::kSessionEvents;
  } else if (head == "traits") {
    field.source = S::kTraits;
    if (dotted) field.path = SplitDots(rest);
  } else if (head == "visitor" || head == "url" || head == "referrer" || head == "cta" ||
             head == "form" || head == "file" || head == "text" || head == "seconds" ||
             head == "percent" || head == "title" || head == "props") {
    field.source = S::kEventMember;
    field.path = SplitDots(name);
  }
  return field;
}

Condition Condition::Parse(const Value& node, const std::string& pointer, Problems* problems) {
  return ParseObject(node, pointer, 0, problems);
}

Condition Condition::ParseObject(const Value& node, const std::string& pointer, int depth,
                                 Problems* problems) {
  Condition all;
  if (!node.is_object()) {
    problems->push_back({pointer, ExpectedButGot("a condition must be an object", node)});
    return all;
  }
  for (const Value::Member& member : node.object_members()) {
    const std::string& key = member.first;
    const Value& value = member.second;
    std::string here = pointer + "/" + PointerToken(key);
    if (key == "all") {
      all.children_.push_back(ParseCombinator(Op::kAll, value, here, depth, problems));
    } else if (key == "any") {
      all.children_.push_back(ParseCombinator(Op::kAny, value, here, depth, problems));
    } else if (key == "not") {
      all.children_.push_back(ParseCombinator(Op::kNot, value, here, depth, problems));
    } else if (key.empty()) {
      problems->push_back({here, "a field name must not be empty"});
    } else {
      all.children_.push_back(ParseField(key, value, here, problems));
    }
  }
  if (all.children_.size() == 1) return std::move(all.children_.front());
  return all;
}

Condition Condition::ParseCombinator(Op op, const Value& node, const std::string& pointer,
                                     int depth, Problems* problems) {
  Condition combined;
  combined.op_ = op;
  if (depth + 1 > kMaxConditionDepth) {
    problems->push_back({pointer, "conditions nest deeper than " + DecimalText(kMaxConditionDepth) +
                                      " levels of all/any/not"});
    return combined;
  }
  if (op == Op::kNot) {
    combined.children_.push_back(ParseObject(node, pointer, depth + 1, problems));
    return combined;
  }
  if (!node.is_array()) {
    problems->push_back(
        {pointer, ExpectedButGot(op == Op::kAll ? "all must be an array of conditions"
                                                : "any must be an array of conditions",
                                 node)});
    return combined;
  }
  const std::vector<Value>& items = node.array_items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    combined.children_.push_back(
        ParseObject(items[i], pointer + "/" + DecimalText(i), depth + 1, problems));
  }
  return combined;
}

Condition Condition::ParseField(const std::string& name, const Value& node,
                                const std::string& pointer, Problems* problems) {
  Condition leaf;
  leaf.field_ = ResolveField(name);
  if (IsScalar(node)) {
    leaf.op_ = Op::kEq;
    leaf.operands_.push_back(ToLiteral(node, false));
    return leaf;
  }
  if (node.is_null()) {
    problems->push_back(
        {pointer,
         "null is not a value to compare with; use {\"exists\": false} for a missing field"});
    return leaf;
  }
  if (node.is_array()) {
    problems->push_back({pointer, "a list of values needs an operator: {\"in\": [...]}"});
    return leaf;
  }
  const Value::Object& members = node.object_members();
  if (members.size() != 1) {
    std::string found;
    for (const Value::Member& member : members) found += (found.empty() ? "" : ", ") + member.first;
    problems->push_back(
        {pointer, members.empty()
                      ? "needs exactly one operator (" + std::string(kOperatorList) + ")"
                      : "has " + DecimalText(members.size()) + " operators (" + found +
                            "); use one per object and combine them with all"});
    return leaf;
  }
  const std::string& op_name = members.front().first;
  const Value& operand = members.front().second;
  std::string here = pointer + "/" + PointerToken(op_name);
  const OperatorName* known = nullptr;
  for (const auto& candidate : kOperators) {
    if (op_name == candidate.name) known = &candidate;
  }
  if (known == nullptr) {
    problems->push_back({here, "unknown operator " + QuoteForMessage(op_name) +
                                   "; expected one of " + kOperatorList});
    return leaf;
  }
  leaf.op_ = known->op;
  if ((known->takes & kTakes(operand.type())) == 0) {
    problems->push_back({here, op_name + " needs " + ExpectedButGot(known->needs, operand)});
    return leaf;
  }
  switch (leaf.op_) {
    case Op::kIn:
    case Op::kNin:
      for (std::size_t i = 0; i < operand.array_items().size(); ++i) {
        const Value& item = operand.array_items()[i];
        if (!IsScalar(item)) {
          problems->push_back({here + "/" + DecimalText(i),
                               ExpectedButGot("must be a string, number or boolean", item)});
        } else {
          leaf.operands_.push_back(ToLiteral(item, false));
        }
      }
      break;
    case Op::kExists:
      leaf.exists_ = operand.bool_value();
      break;
    default: {
      // Text matching ignores ASCII case: its patterns are lower-cased once, here.
      bool text_match = leaf.op_ == Op::kGlob || leaf.op_ == Op::kPrefix ||
                        leaf.op_ == Op::kSuffix || leaf.op_ == Op::kContains;
      leaf.operands_.push_back(ToLiteral(operand, text_match));
      if (leaf.op_ == Op::kGlob) leaf.SimplifyGlob();
    }
  }
  return leaf;
}

void Condition::SimplifyGlob() {
  std::string& pattern = operands_.front().text;
  if (pattern.find('?') != std::string::npos) return;
  bool leading = !pattern.empty() && pattern.front() == '*';
  bool trailing = pattern.size() > 1 && pattern.back() == '*';
  std::string middle = pattern.substr(leading ? 1 : 0);
  if (trailing) middle.pop_back();
  if (middle.find('*') != std::string::npos) return;
  op_ = leading && trailing ? Op::kContains
        : leading           ? Op::kSuffix
        : trailing          ? Op::kPrefix
                            : Op::kEqualsIgnoreCase;
  pattern = std::move(middle);
}

}  // namespace mqlscore
