// A JSON value as the core sees it: events, traits and the rules file's `track` section.
//
// The core keeps its own small value type instead of a parser's DOM so that every front end
// (the core's own JSON reader, simdjson in the command line's fast reader)
// hands the scoring code exactly the same data. Objects keep their keys in the order given;
// when a key appears twice the last one wins, as in JSON.parse.
#ifndef MQLSCORE_CORE_VALUE_H_
#define MQLSCORE_CORE_VALUE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mqlscore {

class Value {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Value>;

  Value() : type_(Type::kNull), number_(0) {}
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  static Value Bool(bool b);
  static Value Number(double d);
  static Value String(std::string s);
  static Value Array();
  static Value Object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // REQUIRES: the matching is_*() is true.
  bool bool_value() const { return number_ != 0; }
  double number_value() const { return number_; }
  const std::string& string_value() const { return string_; }
  const std::vector<Value>& array_items() const { return items_; }
  std::vector<Value>& array_items() { return items_; }
  const std::vector<Member>& object_members() const { return members_; }
  std::vector<Member>& object_members() { return members_; }

  // Object member lookup; nullptr when this is not an object or has no such key.
  const Value* Find(std::string_view key) const;
  // The members in order, leaving out each one a later member with the same key shadows.
  // REQUIRES: is_object().
  std::vector<const Member*> UniqueMembers() const;
  // Makes room for `n` members or items without reallocating.
  void Reserve(std::size_t n);
  // Appends a member without looking for an earlier one with the same key; a later
  // duplicate shadows the earlier one in Find. REQUIRES: is_object().
  void Append(std::string key, Value value);

  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  void Destroy();
  void CopyFrom(const Value& other);
  void MoveFrom(Value& other);

  // One payload at a time, so a Value is 40 bytes rather than 100: events build many of them.
  Type type_;
  union {
    double number_;  // kNumber, and 0/1 for kBool
    std::string string_;
    std::vector<Value> items_;
    std::vector<Member> members_;
  };
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_VALUE_H_
