#include "cli/fast_event_parser.h"

#include <simdjson.h>

#include "core/json_reader.h"

namespace mqlscore {
namespace {

// The DOM API, not On Demand: it picks the best SIMD kernel at run time (On Demand compiles
// for the build machine's baseline, which on x86-64 is the slow fallback kernel).
namespace dom = simdjson::dom;

constexpr const char* kNotAnObject = "an event must be a JSON object";

FieldValue ToFieldValue(dom::element element) {
  switch (element.type()) {
    case dom::element_type::STRING:
      return FieldValue::OfString(element.get_string().value_unsafe());
    case dom::element_type::INT64:
      return FieldValue::OfNumber(static_cast<double>(element.get_int64().value_unsafe()));
    case dom::element_type::UINT64:
      return FieldValue::OfNumber(static_cast<double>(element.get_uint64().value_unsafe()));
    case dom::element_type::DOUBLE:
      return FieldValue::OfNumber(element.get_double().value_unsafe());
    case dom::element_type::BOOL: {
      FieldValue out;
      out.kind = FieldValue::Kind::kBool;
      out.boolean = element.get_bool().value_unsafe();
      return out;
    }
    case dom::element_type::OBJECT: {
      FieldValue out;
      out.kind = FieldValue::Kind::kObject;
      return out;
    }
    case dom::element_type::ARRAY: {
      FieldValue out;
      out.kind = FieldValue::Kind::kArray;
      return out;
    }
    case dom::element_type::NULL_VALUE:
      break;
  }
  return FieldValue();
}

// The last member named `key`, as JSON.parse and the core's reader keep the last of repeated keys.
bool FindLast(dom::object object, std::string_view key, dom::element* out) {
  bool found = false;
  for (dom::key_value_pair field : object) {
    if (field.key == key) {
      *out = field.value;
      found = true;
    }
  }
  return found;
}

Value ToValue(dom::element element) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      Value out = Value::EmptyObject();
      dom::object object = element.get_object().value_unsafe();
      for (dom::key_value_pair field : object) {
        out.Append(std::string(field.key), ToValue(field.value));
      }
      out.DropShadowedMembers();
      return out;
    }
    case dom::element_type::ARRAY: {
      Value out = Value::EmptyArray();
      dom::array array = element.get_array().value_unsafe();
      for (dom::element item : array) out.array_items().push_back(ToValue(item));
      return out;
    }
    case dom::element_type::STRING:
      return Value(std::string(element.get_string().value_unsafe()));
    case dom::element_type::BOOL:
      return Value(element.get_bool().value_unsafe());
    case dom::element_type::NULL_VALUE:
      return Value();
    default:
      return Value(ToFieldValue(element).number);
  }
}

// By hand: find_first_not_of looks each character up in the set with a call, twice per line.
std::string_view Trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t first = 0, end = text.size();
  while (first < end && blank(text[first])) ++first;
  while (end > first && blank(text[end - 1])) --end;
  return text.substr(first, end - first);
}

class SimdjsonMembers : public EventMembers {
 public:
  // Indexes the top-level members once; rules look several of them up per event.
  void set_root(dom::object root) {
    members_.clear();
    for (dom::key_value_pair field : root) members_.emplace_back(field.key, field.value);
  }

  FieldValue Get(std::string_view key) const override {
    const dom::element* value = FindTop(key);
    return value != nullptr ? ToFieldValue(*value) : FieldValue();
  }

  FieldValue GetPath(const std::vector<std::string>& path) const override {
    const dom::element* top = FindTop(path[0]);
    if (top == nullptr) return FieldValue();
    dom::element value = *top;
    for (std::size_t i = 1; i < path.size(); ++i) {
      if (value.type() != dom::element_type::OBJECT) return FieldValue();
      if (!FindLast(value.get_object().value_unsafe(), path[i], &value)) return FieldValue();
    }
    return ToFieldValue(value);
  }

  bool Copy(std::string_view key, Value* out) const override {
    const dom::element* value = FindTop(key);
    if (value == nullptr || value->type() == dom::element_type::NULL_VALUE) return false;
    *out = ToValue(*value);
    return true;
  }

 private:
  const dom::element* FindTop(std::string_view key) const {
    for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
      if (it->first == key) return &it->second;
    }
    return nullptr;
  }

  std::vector<std::pair<std::string_view, dom::element>> members_;
};

}  // namespace

struct FastEventParser::Impl {
  dom::parser parser;
  SimdjsonMembers members;
  // Lines read ahead (see ReadAhead), parsed by a parser of their own.
  std::size_t max_bytes = 0;
  dom::parser ahead_parser;
  dom::document_stream ahead;
  dom::document_stream::iterator next;
  const char* ahead_begin = nullptr;
  bool reading_ahead = false;
  bool advance = false;  // the document at `next` has been handed out
  std::uint64_t lines_read_ahead = 0;

  // Sets *root to the document read ahead for `text` when it is exactly that line and valid;
  // otherwise stops reading ahead and returns false.
  bool TakeReadAhead(std::string_view text, dom::element* root) {
    if (!reading_ahead) return false;
    if (advance) ++next;
    advance = false;
    reading_ahead = false;
    // Errors first: after one (a stray quote, say), the stream's positions mean nothing.
    if (!(next != ahead.end()) || (*next).get(*root) != simdjson::SUCCESS) return false;
    // Blank space around a document is not part of it.
    std::string_view line = Trim(text);
    std::string_view source = Trim(next.source());
    if (ahead_begin + next.current_index() != line.data() || source.size() != line.size()) {
      return false;
    }
    reading_ahead = true;
    advance = true;
    ++lines_read_ahead;
    return true;
  }
  Value fallback;  // lines simdjson refuses, read by the core's reader instead
  ValueMembers fallback_members{&fallback};
  bool simdjson_ready = false;
};

FastEventParser::FastEventParser(std::size_t max_bytes) : impl_(new Impl) {
  impl_->max_bytes = max_bytes;
  // Same nesting limit as the core's reader. Should simdjson fail to get its buffers, every line
  // goes to the core's reader instead.
  impl_->simdjson_ready =
      impl_->parser.allocate(max_bytes, kMaxValueDepth) == simdjson::SUCCESS &&
      impl_->ahead_parser.allocate(max_bytes + 1, kMaxValueDepth) == simdjson::SUCCESS;
}

FastEventParser::~FastEventParser() = default;

void FastEventParser::ReadAhead(std::string_view text) {
  Impl& impl = *impl_;
  impl.reading_ahead = false;
  impl.advance = false;
  if (!impl.simdjson_ready || text.empty()) return;
  // A batch must hold the largest line (the parser was allocated for it, with the nesting limit).
  if (impl.ahead_parser
          .parse_many(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                      impl.max_bytes + 1)
          .get(impl.ahead) != simdjson::SUCCESS) {
    return;
  }
  impl.next = impl.ahead.begin();
  impl.ahead_begin = text.data();
  impl.reading_ahead = true;
}

std::uint64_t FastEventParser::lines_read_ahead() const { return impl_->lines_read_ahead; }

Status FastEventParser::Parse(std::string_view text, const EventMembers** out) {
  dom::element root;
  bool parsed =
      impl_->TakeReadAhead(text, &root) ||
      (impl_->simdjson_ready &&
       impl_->parser.parse(text.data(), text.size(), false).get(root) == simdjson::SUCCESS);
  if (!parsed) {
    // Whatever simdjson refuses (including integers beyond 64 bits, which JSON allows), the
    // core's reader decides, so both readers accept the same lines with the same messages.
    Status read = ReadJson(text, kMaxValueDepth, &impl_->fallback);
    if (!read.ok()) return read;
    if (!impl_->fallback.is_object()) return Status::Invalid(kNotAnObject);
    *out = &impl_->fallback_members;
    return Status::Ok();
  }
  if (root.type() != dom::element_type::OBJECT) return Status::Invalid(kNotAnObject);
  impl_->members.set_root(root.get_object().value_unsafe());
  *out = &impl_->members;
  return Status::Ok();
}

}  // namespace mqlscore
