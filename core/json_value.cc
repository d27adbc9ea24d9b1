#include "core/json_value.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

namespace mqlscore {
namespace {

// Builds a Value from nlohmann's SAX events, so no intermediate DOM is made and the nesting
// depth is checked before it can grow.
class ValueBuilder {
 public:
  using json = nlohmann::json;

  explicit ValueBuilder(int max_depth) : max_depth_(max_depth) {}

  bool null() { return Add(Value()); }
  bool boolean(bool b) { return Add(Value::Bool(b)); }
  bool number_integer(json::number_integer_t n) {
    return Add(Value::Number(static_cast<double>(n)));
  }
  bool number_unsigned(json::number_unsigned_t n) {
    return Add(Value::Number(static_cast<double>(n)));
  }
  bool number_float(json::number_float_t d, const std::string&) { return Add(Value::Number(d)); }
  bool string(std::string& s) { return Add(Value::String(std::move(s))); }
  bool binary(json::binary_t&) { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return Open(Value::Object()); }
  bool key(std::string& k) {
    keys_.push_back(std::move(k));
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(Value::Array()); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    std::string message = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> "parse error at
    // ..."
    auto bracket = message.find("] ");
    if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
      message.erase(0, bracket + 2);
    }
    return Fail(message);
  }

  bool done() const { return has_root_ && error_.empty(); }
  Value& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  bool Open(Value container) {
    if (static_cast<int>(stack_.size()) >= max_depth_) {
      return Fail("JSON nests deeper than " + std::to_string(max_depth_) + " levels");
    }
    stack_.push_back(std::move(container));
    return true;
  }
  bool Close() {
    Value done = std::move(stack_.back());
    stack_.pop_back();
    return Add(std::move(done));
  }
  bool Add(Value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      has_root_ = true;
      return true;
    }
    Value& parent = stack_.back();
    if (parent.is_array()) {
      parent.array_items().push_back(std::move(v));
    } else {
      parent.Append(std::move(keys_.back()), std::move(v));
      keys_.pop_back();
    }
    return true;
  }

  int max_depth_;
  std::vector<Value> stack_;
  std::vector<std::string> keys_;
  Value root_;
  bool has_root_ = false;
  std::string error_;
};

void AppendValue(const Value& value, std::string* out) {
  switch (value.type()) {
    case Value::Type::kNull:
      out->append("null");
      return;
    case Value::Type::kBool:
      out->append(value.bool_value() ? "true" : "false");
      return;
    case Value::Type::kNumber:
      AppendJsonNumber(value.number_value(), out);
      return;
    case Value::Type::kString:
      AppendJsonString(value.string_value(), out);
      return;
    case Value::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : value.array_items()) {
        if (!first) out->push_back(',');
        first = false;
        AppendValue(item, out);
      }
      out->push_back(']');
      return;
    }
    case Value::Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& member : value.object_members()) {
        if (value.Find(member.first) != &member.second) continue;  // shadowed duplicate
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(member.first, out);
        out->push_back(':');
        AppendValue(member.second, out);
      }
      out->push_back('}');
      return;
    }
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n;
  std::uint32_t min;
  std::uint32_t code;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80, code = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800, code = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

bool ParseJsonValue(std::string_view text, Value* out, std::string* error, int max_depth) {
  ValueBuilder builder(max_depth);
  nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  if (!builder.done()) {
    *error = builder.error().empty() ? "invalid JSON" : builder.error();
    return false;
  }
  *out = std::move(builder.root());
  return true;
}

std::string ToJsonText(const Value& value) {
  std::string out;
  AppendValue(value, &out);
  return out;
}

void AppendJsonString(std::string_view text, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t n = Utf8SequenceLength(text, i);
      if (n == 0) {
        out->append("\xEF\xBF\xBD");
        ++i;
      } else {
        out->append(text.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendJsonNumber(double d, std::string* out) {
  if (d == 0) {  // also -0
    out->push_back('0');
    return;
  }
  if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) {
    out->append(std::to_string(static_cast<std::int64_t>(d)));
    return;
  }
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof(buffer), d);
  out->append(buffer, end);
}

}  // namespace mqlscore
