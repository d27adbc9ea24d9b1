#include "core/packed_json.h"

#include <cstdint>
#include <cstring>

namespace mqlscore {
namespace {

enum Tag : unsigned char {
  kNull,
  kFalse,
  kTrue,
  kNumber,
  kString,
  kArray,
  kObject,
  kNotJson,
  kTooDeepToPack,
};

class Decoder {
 public:
  Decoder(std::string_view packed, int max_depth)
      : at_(packed.data()),
        end_(packed.data() + packed.size()),
        max_depth_(max_depth),
        depth_left_(max_depth) {}

  JsonFailure failure() const { return failure_; }
  std::string& error() { return error_; }

  // One value that fills the input.
  bool ReadDocument(Value* out) { return Read(out) && (at_ == end_ || Malformed()); }

 private:
  bool Read(Value* out) {
    if (at_ == end_) return Malformed();
    unsigned char tag = static_cast<unsigned char>(*at_++);
    switch (tag) {
      case kNull:
        *out = Value();
        return true;
      case kFalse:
      case kTrue:
        *out = Value::Bool(tag == kTrue);
        return true;
      case kNumber: {
        double d;
        if (end_ - at_ < 8) return Malformed();
        // WebAssembly is little-endian, as the packed form; other hosts never receive it.
        std::memcpy(&d, at_, 8);
        at_ += 8;
        *out = Value::Number(d);
        return true;
      }
      case kString: {
        std::string s;
        if (!ReadText(&s)) return false;
        *out = Value::String(std::move(s));
        return true;
      }
      case kArray:
      case kObject:
        return ReadContainer(tag == kObject, out);
      case kNotJson:
        if (!ReadText(&error_)) return false;
        failure_ = JsonFailure::kSyntax;
        return false;
      case kTooDeepToPack:
        return TooDeep();
    }
    return Malformed();
  }

  bool ReadContainer(bool is_object, Value* out) {
    if (depth_left_ == 0) return TooDeep();
    std::uint32_t count;
    // Every item takes at least one byte, so a count beyond what is left is malformed.
    if (!ReadCount(&count) || count > static_cast<std::size_t>(end_ - at_)) return Malformed();
    --depth_left_;
    *out = is_object ? Value::Object() : Value::Array();
    out->Reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      std::string key;
      Value item;
      if (is_object && !ReadText(&key)) return false;
      if (!Read(&item)) return false;
      if (is_object) {
        out->Append(std::move(key), std::move(item));
      } else {
        out->array_items().push_back(std::move(item));
      }
    }
    ++depth_left_;
    return true;
  }

  bool ReadCount(std::uint32_t* count) {
    std::uint64_t value = 0;
    for (int shift = 0; at_ != end_ && shift < 64; shift += 7) {
      unsigned char byte = static_cast<unsigned char>(*at_++);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if (byte < 0x80) {
        *count = static_cast<std::uint32_t>(value);
        return value <= UINT32_MAX;
      }
    }
    return false;
  }

  bool ReadText(std::string* out) {
    std::uint32_t size;
    if (!ReadCount(&size) || size > static_cast<std::size_t>(end_ - at_)) return Malformed();
    out->assign(at_, size);
    at_ += size;
    return true;
  }

  bool TooDeep() {
    error_ = TooDeepMessage(max_depth_);
    failure_ = JsonFailure::kTooDeep;
    return false;
  }

  bool Malformed() {
    error_ = "malformed packed JSON";
    failure_ = JsonFailure::kSyntax;
    return false;
  }

  const char* at_;
  const char* end_;
  int max_depth_;
  int depth_left_;
  std::string error_;
  JsonFailure failure_ = JsonFailure::kSyntax;
};

}  // namespace

bool DecodePackedJson(std::string_view packed, Value* out, std::string* error, int max_depth,
                      JsonFailure* failure) {
  Decoder decoder(packed, max_depth);
  Value value;
  if (decoder.ReadDocument(&value)) {
    *out = std::move(value);
    return true;
  }
  *error = std::move(decoder.error());
  if (failure != nullptr) *failure = decoder.failure();
  return false;
}

}  // namespace mqlscore
