#include "core/value.h"

#include <algorithm>

namespace mqlscore {

Value Value::Bool(bool b) {
  Value v;
  v.type_ = Type::kBool;
  v.number_ = b ? 1 : 0;
  return v;
}

Value Value::Number(double d) {
  Value v;
  v.type_ = Type::kNumber;
  v.number_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::Array() {
  Value v;
  v.type_ = Type::kArray;
  return v;
}

Value Value::Object() {
  Value v;
  v.type_ = Type::kObject;
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

void Value::Set(std::string key, Value value) {
  Erase(key);
  members_.emplace_back(std::move(key), std::move(value));
}

void Value::Erase(std::string_view key) {
  members_.erase(std::remove_if(members_.begin(), members_.end(),
                                [key](const Member& m) { return m.first == key; }),
                 members_.end());
}

void Value::Append(std::string key, Value value) {
  members_.emplace_back(std::move(key), std::move(value));
}

bool Value::operator==(const Value& other) const {
  if (type_ != other.type_) return false;
  switch (type_) {
    case Type::kNull:
      return true;
    case Type::kBool:
    case Type::kNumber:
      return number_ == other.number_;
    case Type::kString:
      return string_ == other.string_;
    case Type::kArray:
      return array_ == other.array_;
    case Type::kObject:
      return members_ == other.members_;
  }
  return false;
}

}  // namespace mqlscore
