#include "core/json_reader.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/strings.h"

namespace mqlscore {
namespace {

// nlohmann/json's SAX interface, building Values directly (no nlohmann document in between) and
// counting depth, so that a hostile text is refused before it is built.
class ValueBuilder {
 public:
  using Json = nlohmann::json;

  ValueBuilder(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  Status Finish(bool parsed, Value* out) {
    if (!parsed) return failure_;
    *out = std::move(root_);
    return Status::Ok();
  }

  bool null() { return Add(Value()); }
  bool boolean(bool b) { return Add(Value(b)); }
  bool number_integer(Json::number_integer_t n) { return Add(Value(static_cast<double>(n))); }
  bool number_unsigned(Json::number_unsigned_t n) { return Add(Value(static_cast<double>(n))); }
  bool number_float(Json::number_float_t d, const Json::string_t&) { return Add(Value(d)); }
  bool string(Json::string_t& s) { return Add(Value(std::move(s))); }
  bool binary(Json::binary_t&) { return false; }  // only the binary formats have these

  bool start_object(std::size_t) { return Open(Value::EmptyObject()); }
  bool key(Json::string_t& key) {
    key_ = std::move(key);
    return true;
  }
  bool end_object() {
    open_.back().DropShadowedMembers();
    return Close();
  }
  bool start_array(std::size_t) { return Open(Value::EmptyArray()); }
  bool end_array() { return Close(); }

  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    bool at_end = what.find("unexpected end of input") != std::string::npos;
    std::string place = Place(at_end ? text_.size() : TokenStart(position));
    if (ex.id == 406) {  // a number beyond a double
      failure_ = Status::Invalid(place + token + " is too large for a number");
      return false;
    }
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
    // parsing value - invalid literal; last read: '...'; expected end of input": what follows
    // the dash, without what nlohmann last read (which may hold far more than the token).
    std::size_t dash = what.find(" - ");
    if (dash != std::string::npos) what.erase(0, dash + 3);
    std::size_t last_read = what.find("; last read: '");
    if (last_read != std::string::npos) {
      std::size_t end = what.find("'; ", last_read + 14);
      what.erase(last_read, end == std::string::npos ? std::string::npos : end + 1 - last_read);
    }
    failure_ = Status::Invalid(place + what);
    return false;
  }

 private:
  // Where the token ending at `end` (nlohmann's position: just after the byte that failed) began:
  // after the whitespace or punctuation before it.
  std::size_t TokenStart(std::size_t end) const {
    std::size_t start = std::min(end, text_.size());
    if (start > 0) --start;
    auto separates = [](char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' || c == '[' ||
             c == ']' || c == ',' || c == ':';
    };
    if (!separates(text_[start])) {
      while (start > 0 && !separates(text_[start - 1])) --start;
    }
    return start;
  }

  // "parse error at line L, column C: " for the byte at offset `at`, counted from 1.
  std::string Place(std::size_t at) const {
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < at; ++i) {
      if (text_[i] == '\n') ++line, line_start = i + 1;
    }
    return "parse error at line " + DecimalText(line) + ", column " +
           DecimalText(at - line_start + 1) + ": ";
  }

  bool Open(Value container) {
    if (static_cast<int>(open_.size()) >= max_depth_) {
      failure_ = Status::TooDeep(TooDeepMessage(max_depth_));
      return false;
    }
    open_.push_back(std::move(container));
    keys_.push_back(std::move(key_));
    return true;
  }

  bool Close() {
    Value done = std::move(open_.back());
    open_.pop_back();
    key_ = std::move(keys_.back());
    keys_.pop_back();
    return Add(std::move(done));
  }

  bool Add(Value value) {
    if (open_.empty()) {
      root_ = std::move(value);
    } else if (open_.back().is_object()) {
      open_.back().Append(std::move(key_), std::move(value));
    } else {
      open_.back().array_items().push_back(std::move(value));
    }
    return true;
  }

  std::string_view text_;
  int max_depth_;
  Value root_;
  std::vector<Value> open_;        // the containers being read, outermost first
  std::vector<std::string> keys_;  // per open container, the key it goes under in its parent
  std::string key_;                // the key of the member being read
  Status failure_;
};

}  // namespace

std::string TooDeepMessage(int max_depth) {
  return "JSON nests deeper than " + DecimalText(max_depth) + " levels";
}

Status ReadJson(std::string_view text, int max_depth, Value* out) {
  ValueBuilder builder(text, max_depth);
  bool parsed = nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
  return builder.Finish(parsed, out);
}

}  // namespace mqlscore
