#include "core/json_value.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/decimal.h"
#include "core/number_text.h"
#include "core/strings.h"

namespace mqlscore {
namespace {

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

void AppendUtf8(std::uint32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

// A strict RFC 8259 reader building Values directly. Iterative, so nesting costs heap, not stack,
// and the depth limit is checked before a container is opened.
class Reader {
 public:
  Reader(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  bool too_deep() const { return too_deep_; }

  bool Read(Value* out, std::string* error) {
    // A UTF-8 byte order mark is not JSON, but editors write it: skip it, as nlohmann/json does.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    bool ok = ReadDocument(out);
    if (!ok) *error = std::move(error_);
    return ok;
  }

 private:
  struct Open {
    Value container;
    std::string key;  // the pending member's key, for objects
  };

  bool ReadDocument(Value* out) {
    std::vector<Open> stack;
    Value value;
    for (;;) {
      // Expect a value.
      SkipSpace();
      if (pos_ >= text_.size()) return Fail("unexpected end of input; expected a value");
      char c = text_[pos_];
      if (c == '{' || c == '[') {
        if (static_cast<int>(stack.size()) >= max_depth_) {
          error_ = TooDeepMessage(max_depth_);
          too_deep_ = true;
          return false;
        }
        ++pos_;
        stack.push_back({c == '{' ? Value::Object() : Value::Array(), {}});
        SkipSpace();
        char close = c == '{' ? '}' : ']';
        if (pos_ < text_.size() && text_[pos_] == close) {
          ++pos_;
          value = std::move(stack.back().container);
          stack.pop_back();
        } else {
          if (c == '{' && !ReadKey(&stack.back().key)) return false;
          continue;
        }
      } else if (!ReadScalar(&value)) {
        return false;
      }
      // Attach the finished value to its parents, closing every container that ends here.
      for (;;) {
        if (stack.empty()) {
          SkipSpace();
          if (pos_ < text_.size()) return FailUnexpected(" after the JSON value");
          *out = std::move(value);
          return true;
        }
        Open& parent = stack.back();
        bool is_object = parent.container.is_object();
        if (is_object) {
          parent.container.Append(std::move(parent.key), std::move(value));
        } else {
          parent.container.array_items().push_back(std::move(value));
        }
        SkipSpace();
        if (pos_ >= text_.size()) {
          return Fail(is_object ? "unexpected end of input; expected ',' or '}'"
                                : "unexpected end of input; expected ',' or ']'");
        }
        char next = text_[pos_];
        if (next == ',') {
          ++pos_;
          if (is_object && !ReadKey(&parent.key)) return false;
          break;
        }
        if (next != (is_object ? '}' : ']')) {
          return FailUnexpected(is_object ? "; expected ',' or '}'" : "; expected ',' or ']'");
        }
        ++pos_;
        value = std::move(parent.container);
        stack.pop_back();
      }
    }
  }

  // Reads `"key" :` into *key.
  bool ReadKey(std::string* key) {
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input; expected a string key");
    if (text_[pos_] != '"') return FailUnexpected("; expected a string key");
    key->clear();
    if (!ReadString(key)) return false;
    SkipSpace();
    if (pos_ >= text_.size()) return Fail("unexpected end of input; expected ':'");
    if (text_[pos_] != ':') return FailUnexpected("; expected ':'");
    ++pos_;
    return true;
  }

  bool ReadScalar(Value* out) {
    char c = text_[pos_];
    if (c == '"') {
      std::string s;
      if (!ReadString(&s)) return false;
      *out = Value::String(std::move(s));
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ReadNumber(out);
    if (ReadLiteral("true")) {
      *out = Value::Bool(true);
    } else if (ReadLiteral("false")) {
      *out = Value::Bool(false);
    } else if (ReadLiteral("null")) {
      *out = Value();
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return Fail(
          "invalid literal; expected a value such as true, false, null, a number or \"text\"");
    } else {
      return FailUnexpected("; expected a value");
    }
    return true;
  }

  bool ReadLiteral(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // REQUIRES: text_[pos_] is the opening quote.
  bool ReadString(std::string* out) {
    ++pos_;
    for (;;) {
      std::size_t run = pos_;
      while (pos_ < text_.size()) {
        unsigned char c = static_cast<unsigned char>(text_[pos_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out->append(text_.data() + run, pos_ - run);
      if (pos_ >= text_.size()) return Fail("unexpected end of input in a string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in a string; it must be escaped");
      if (c >= 0x80) {
        std::size_t n = Utf8SequenceLength(text_, pos_);
        if (n == 0) return Fail("invalid UTF-8 in a string");
        out->append(text_.data() + pos_, n);
        pos_ += n;
        continue;
      }
      if (!ReadEscape(out)) return false;
    }
  }

  // REQUIRES: text_[pos_] is a backslash.
  bool ReadEscape(std::string* out) {
    if (pos_ + 1 >= text_.size()) return Fail("unexpected end of input in a string");
    char c = text_[pos_ + 1];
    const char* simple = nullptr;
    switch (c) {
      case '"':
        simple = "\"";
        break;
      case '\\':
        simple = "\\";
        break;
      case '/':
        simple = "/";
        break;
      case 'b':
        simple = "\b";
        break;
      case 'f':
        simple = "\f";
        break;
      case 'n':
        simple = "\n";
        break;
      case 'r':
        simple = "\r";
        break;
      case 't':
        simple = "\t";
        break;
      case 'u':
        break;
      default:
        return Fail("invalid escape in a string");
    }
    if (simple != nullptr) {
      out->push_back(*simple);
      pos_ += 2;
      return true;
    }
    std::uint32_t code;
    if (!ReadHex4(pos_ + 2, &code)) return Fail("invalid \\u escape in a string");
    pos_ += 6;
    if (code >= 0xDC00 && code <= 0xDFFF) {
      return Fail("invalid \\u escape in a string: a low surrogate without a high one");
    }
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::uint32_t low;
      if (text_.substr(pos_, 2) != "\\u" || !ReadHex4(pos_ + 2, &low) || low < 0xDC00 ||
          low > 0xDFFF) {
        return Fail("invalid \\u escape in a string: a high surrogate without a low one");
      }
      pos_ += 6;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code, out);
    return true;
  }

  bool ReadHex4(std::size_t at, std::uint32_t* code) const {
    if (at + 4 > text_.size()) return false;
    *code = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      char h = text_[i];
      int digit = h >= '0' && h <= '9'   ? h - '0'
                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                         : -1;
      if (digit < 0) return false;
      *code = *code * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
  }

  bool ReadNumber(Value* out) {
    std::size_t start = pos_;
    auto digit = [&](std::size_t i) {
      return i < text_.size() && text_[i] >= '0' && text_[i] <= '9';
    };
    bool negative = text_[pos_] == '-';
    if (negative) ++pos_;
    if (!digit(pos_)) return Fail("invalid number; expected a digit");
    // The value is digits × 10^exponent, digits without leading zeros.
    std::string& digits = digits_;
    digits.clear();
    int exponent = 0;
    if (text_[pos_] == '0') {
      ++pos_;
      if (digit(pos_)) return Fail("invalid number; leading zeros are not allowed");
    } else {
      while (digit(pos_)) digits.push_back(text_[pos_++]);
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digit(pos_)) return Fail("invalid number; expected a digit after '.'");
      while (digit(pos_)) {
        if (!digits.empty() || text_[pos_] != '0') digits.push_back(text_[pos_]);
        --exponent;
        ++pos_;
      }
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      bool negative_exponent = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        negative_exponent = text_[pos_] == '-';
        ++pos_;
      }
      if (!digit(pos_)) return Fail("invalid number; expected a digit in the exponent");
      int written = 0;
      while (digit(pos_)) {
        if (written < 100000) written = written * 10 + (text_[pos_] - '0');
        ++pos_;
      }
      exponent += negative_exponent ? -written : written;
    }
    double d;
    if (!DecimalToDouble(digits, exponent, &d)) {
      std::string number(text_.substr(start, pos_ - start));
      pos_ = start;  // the message points at the number
      return Fail(number + " is too large for a number (beyond 1.8e308)");
    }
    *out = Value::Number(negative ? -d : d);
    return true;
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      ++pos_;
    }
  }

  __attribute__((noinline)) std::string Describe(std::size_t at) const {
    unsigned char c = static_cast<unsigned char>(text_[at]);
    if (c >= 0x21 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    static const char kHex[] = "0123456789ABCDEF";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xF];
  }

  // Records "parse error at line L, column C: what" for the current position. Out of line: the
  // error paths are many and cold, and inlined they doubled the reader's WebAssembly size.
  __attribute__((noinline)) bool Fail(std::string_view what) {
    std::uint64_t line = 1;
    std::size_t line_start = 0;
    std::size_t end = pos_ < text_.size() ? pos_ : text_.size();
    for (std::size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    error_ = "parse error at line ";
    AppendDecimal(line, &error_);
    error_ += ", column ";
    AppendDecimal(pos_ - line_start + 1, &error_);
    error_ += ": ";
    error_.append(what);
    return false;
  }

  // Fail("unexpected <what is at pos_><rest>").
  __attribute__((noinline)) bool FailUnexpected(std::string_view rest) {
    std::string what = "unexpected " + Describe(pos_);
    what.append(rest);
    return Fail(what);
  }

  std::string_view text_;
  int max_depth_;
  std::size_t pos_ = 0;
  std::string error_;
  std::string digits_;  // the number being read; reused so numbers allocate nothing
  bool too_deep_ = false;
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
      for (const Value::Member* member : value.UniqueMembers()) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(member->first, out);
        out->push_back(':');
        AppendValue(member->second, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

bool ParseJsonValue(std::string_view text, Value* out, std::string* error, int max_depth,
                    JsonFailure* failure) {
  Reader reader(text, max_depth);
  if (reader.Read(out, error)) return true;
  if (failure != nullptr)
    *failure = reader.too_deep() ? JsonFailure::kTooDeep : JsonFailure::kSyntax;
  return false;
}

std::string TooDeepMessage(int max_depth) {
  return "JSON nests deeper than " + DecimalText(max_depth) + " levels";
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

void AppendJsonKey(const char* key, std::string* out) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void AppendJsonNumber(double d, std::string* out) {
  // Most numbers the core prints are whole: those need no shortest-digits search.
  if (std::floor(d) == d && std::fabs(d) < 9007199254740992.0) {
    if (d < 0) out->push_back('-');  // not for -0, which prints as "0"
    AppendDecimal(static_cast<std::uint64_t>(std::fabs(d)), out);
    return;
  }
  AppendNumberText(d, out);
}

}  // namespace mqlscore
