// A JSON value as the core sees it: events, traits, the rules file and the documents the core
// reports (signals, results, snapshots).
//
// Every reader builds the same Values, so the scoring code sees the same data whichever read
// the text: nlohmann/json natively (core/json_reader.h), simdjson in the command line's fast
// event reader, the browser's JSON.parse through Embind in the WebAssembly build. Objects keep
// their keys in the order given and hold each key once: where a text repeats a key, the reader
// keeps the first one's place and the last one's value, as JSON.parse does (DropShadowedMembers).
#ifndef MQLSCORE_CORE_VALUE_H_
#define MQLSCORE_CORE_VALUE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mqlscore {

class Value {
 public:
  // The order of the alternatives in Data below.
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Value>;
  using Array = std::vector<Value>;
  using Object = std::vector<Member>;

  Value() = default;  // null
  Value(bool b) : data_(b) {}
  Value(double d) : data_(d) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(Array items) : data_(std::move(items)) {}
  Value(Object members) : data_(std::move(members)) {}

  static Value EmptyArray() { return Value(Array()); }
  static Value EmptyObject() { return Value(Object()); }

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // REQUIRES: the matching is_*() is true.
  bool bool_value() const { return std::get<bool>(data_); }
  double number_value() const { return std::get<double>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }
  const Array& array_items() const { return std::get<Array>(data_); }
  Array& array_items() { return std::get<Array>(data_); }
  const Object& object_members() const { return std::get<Object>(data_); }
  Object& object_members() { return std::get<Object>(data_); }

  // Object member lookup; nullptr when this is not an object or has no such key.
  const Value* Find(std::string_view key) const;
  // Appends a member. REQUIRES: is_object() and no member named `key` yet, or a call to
  // DropShadowedMembers() before the object is read.
  void Append(std::string key, Value value) {
    object_members().emplace_back(std::move(key), std::move(value));
  }
  // Leaves one member per key: the first one's place with the last one's value, as JSON.parse
  // does. For readers whose input may repeat a key. REQUIRES: is_object().
  void DropShadowedMembers();

  bool operator==(const Value& other) const { return data_ == other.data_; }
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  std::variant<std::monostate, bool, double, std::string, Array, Object> data_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_VALUE_H_
