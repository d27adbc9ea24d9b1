// A field of an event (or of a visitor's traits) as a condition sees it.
#ifndef MQLSCORE_CORE_FIELD_VALUE_H_
#define MQLSCORE_CORE_FIELD_VALUE_H_

#include <string_view>

#include "core/value.h"

namespace mqlscore {

// A field's value at evaluation time. Strings view memory that lives until the evaluation ends.
struct FieldValue {
  enum class Kind { kMissing, kString, kNumber, kBool, kObject, kArray };
  Kind kind = Kind::kMissing;
  std::string_view text;
  double number = 0;
  bool boolean = false;

  static FieldValue Of(const Value* value);  // nullptr and null are missing
  static FieldValue OfString(std::string_view text);
  static FieldValue OfNumber(double number);
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_FIELD_VALUE_H_
