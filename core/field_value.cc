#include "core/field_value.h"

namespace mqlscore {

FieldValue FieldValue::Of(const Value* value) {
  FieldValue out;
  if (value == nullptr) return out;
  switch (value->type()) {
    case Value::Type::kNull:
      break;
    case Value::Type::kBool:
      out.kind = Kind::kBool;
      out.boolean = value->bool_value();
      break;
    case Value::Type::kNumber:
      out.kind = Kind::kNumber;
      out.number = value->number_value();
      break;
    case Value::Type::kString:
      out.kind = Kind::kString;
      out.text = value->string_value();
      break;
    case Value::Type::kArray:
      out.kind = Kind::kArray;
      break;
    case Value::Type::kObject:
      out.kind = Kind::kObject;
      break;
  }
  return out;
}

FieldValue FieldValue::OfString(std::string_view text) {
  FieldValue out;
  out.kind = Kind::kString;
  out.text = text;
  return out;
}

FieldValue FieldValue::OfNumber(double number) {
  FieldValue out;
  out.kind = Kind::kNumber;
  out.number = number;
  return out;
}

}  // namespace mqlscore
