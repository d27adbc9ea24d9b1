#include "core/value.h"

#include <new>

#include "core/sort.h"

namespace mqlscore {

Value::Value(const Value& other) : type_(Type::kNull), number_(0) { CopyFrom(other); }

Value::Value(Value&& other) noexcept : type_(Type::kNull), number_(0) { MoveFrom(other); }

Value& Value::operator=(const Value& other) {
  if (this != &other) {
    Value copy(other);
    Destroy();
    MoveFrom(copy);
  }
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    Destroy();
    MoveFrom(other);
  }
  return *this;
}

Value::~Value() { Destroy(); }

void Value::Destroy() {
  switch (type_) {
    case Type::kString:
      string_.~basic_string();
      break;
    case Type::kArray:
      items_.~vector();
      break;
    case Type::kObject:
      members_.~vector();
      break;
    default:
      break;
  }
  type_ = Type::kNull;
  number_ = 0;
}

// REQUIRES: this holds no payload (null after Destroy or construction).
void Value::CopyFrom(const Value& other) {
  switch (other.type_) {
    case Type::kString:
      new (&string_) std::string(other.string_);
      break;
    case Type::kArray:
      new (&items_) std::vector<Value>(other.items_);
      break;
    case Type::kObject:
      new (&members_) std::vector<Member>(other.members_);
      break;
    default:
      number_ = other.number_;
      break;
  }
  type_ = other.type_;
}

// REQUIRES: this holds no payload. Leaves `other` null.
void Value::MoveFrom(Value& other) {
  switch (other.type_) {
    case Type::kString:
      new (&string_) std::string(std::move(other.string_));
      break;
    case Type::kArray:
      new (&items_) std::vector<Value>(std::move(other.items_));
      break;
    case Type::kObject:
      new (&members_) std::vector<Member>(std::move(other.members_));
      break;
    default:
      number_ = other.number_;
      break;
  }
  type_ = other.type_;
  other.Destroy();
}

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
  new (&v.string_) std::string(std::move(s));
  v.type_ = Type::kString;
  return v;
}

Value Value::Array() {
  Value v;
  new (&v.items_) std::vector<Value>();
  v.type_ = Type::kArray;
  return v;
}

Value Value::Object() {
  Value v;
  new (&v.members_) std::vector<Member>();
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

std::vector<const Value::Member*> Value::UniqueMembers() const {
  std::vector<char> shadowed(members_.size(), 0);
  if (members_.size() <= 16) {
    for (std::size_t i = 0; i < members_.size(); ++i) {
      shadowed[i] = Find(members_[i].first) != &members_[i].second;
    }
  } else {  // sorted once rather than searched once per member
    auto less = [](const void* context, std::uint32_t a, std::uint32_t b) {
      const Member* members = static_cast<const Member*>(context);
      return members[a].first < members[b].first;
    };
    std::vector<std::uint32_t> by_key =
        SortedIndices(static_cast<std::uint32_t>(members_.size()), less, members_.data());
    for (std::size_t i = 0; i + 1 < by_key.size(); ++i) {
      // Equal keys stay in file order, so all but the last of each run are shadowed.
      if (members_[by_key[i]].first == members_[by_key[i + 1]].first) shadowed[by_key[i]] = 1;
    }
  }
  // A sized vector rather than push_back, whose growth path costs the WebAssembly build ~0.4 KB
  // per element type.
  std::size_t count = 0;
  for (char s : shadowed) count += !s;
  std::vector<const Member*> unique(count);
  for (std::size_t i = 0, k = 0; i < members_.size(); ++i) {
    if (!shadowed[i]) unique[k++] = &members_[i];
  }
  return unique;
}

void Value::Reserve(std::size_t n) {
  if (type_ == Type::kObject) members_.reserve(n);
  if (type_ == Type::kArray) items_.reserve(n);
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
      return items_ == other.items_;
    case Type::kObject:
      return members_ == other.members_;
  }
  return false;
}

}  // namespace mqlscore
