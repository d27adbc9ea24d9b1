#include "core/condition.h"

#include "core/strings.h"

namespace mqlscore {
namespace {

bool Equal(const FieldValue& value, const Literal& literal) {
  if (value.kind != literal.kind) return false;
  switch (value.kind) {
    case FieldValue::Kind::kString:
      return value.text == literal.text;
    case FieldValue::Kind::kNumber:
      return value.number == literal.number;
    case FieldValue::Kind::kBool:
      return value.boolean == literal.boolean;
    default:
      return false;
  }
}

// <0, 0, >0 like strcmp; `comparable` false when the types differ or are not ordered.
int Order(const FieldValue& value, const Literal& literal, bool* comparable) {
  *comparable = value.kind == literal.kind && (value.kind == FieldValue::Kind::kNumber ||
                                               value.kind == FieldValue::Kind::kString);
  if (!*comparable) return 0;
  if (value.kind == FieldValue::Kind::kNumber) {
    return value.number < literal.number ? -1 : value.number > literal.number ? 1 : 0;
  }
  return std::string_view(value.text).compare(literal.text);
}

}  // namespace

bool Condition::Evaluate(const FieldSource& fields) const {
  switch (op_) {
    case Op::kAll:
      for (const Condition& child : children_) {
        if (!child.Evaluate(fields)) return false;
      }
      return true;
    case Op::kAny:
      for (const Condition& child : children_) {
        if (child.Evaluate(fields)) return true;
      }
      return false;
    case Op::kNot:
      return !children_.front().Evaluate(fields);
    default:
      return Compare(fields.Get(field_));
  }
}

bool Condition::Compare(const FieldValue& value) const {
  bool comparable = false;
  switch (op_) {
    case Op::kEq:
      return Equal(value, operands_.front());
    case Op::kNe:
      return !Equal(value, operands_.front());
    case Op::kIn:
    case Op::kNin: {
      bool found = false;
      for (const Literal& literal : operands_) {
        if (Equal(value, literal)) {
          found = true;
          break;
        }
      }
      return op_ == Op::kIn ? found : !found;
    }
    case Op::kGt:
      return Order(value, operands_.front(), &comparable) > 0 && comparable;
    case Op::kGte:
      return Order(value, operands_.front(), &comparable) >= 0 && comparable;
    case Op::kLt:
      return Order(value, operands_.front(), &comparable) < 0 && comparable;
    case Op::kLte:
      return Order(value, operands_.front(), &comparable) <= 0 && comparable;
    case Op::kGlob:
      return value.kind == FieldValue::Kind::kString &&
             GlobMatch(operands_.front().text, value.text);
    case Op::kPrefix:
      return value.kind == FieldValue::Kind::kString &&
             StartsWithIgnoreCase(value.text, operands_.front().text);
    case Op::kSuffix:
      return value.kind == FieldValue::Kind::kString &&
             EndsWithIgnoreCase(value.text, operands_.front().text);
    case Op::kContains:
      return value.kind == FieldValue::Kind::kString &&
             ContainsIgnoreCase(value.text, operands_.front().text);
    case Op::kEqualsIgnoreCase:
      return value.kind == FieldValue::Kind::kString &&
             EqualsIgnoreCase(value.text, operands_.front().text);
    case Op::kExists:
      return (value.kind != FieldValue::Kind::kMissing) == exists_;
    default:
      return false;
  }
}

}  // namespace mqlscore
