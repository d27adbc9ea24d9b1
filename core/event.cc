#include "core/event.h"

#include "core/json_value.h"
#include "core/strings.h"
#include "core/timestamp.h"

namespace mqlscore {

FieldValue ValueMembers::Get(std::string_view key) const {
  return FieldValue::Of(body_->Find(key));
}

FieldValue ValueMembers::GetPath(const std::vector<std::string>& path) const {
  const Value* value = body_;
  for (const std::string& key : path) {
    value = value->Find(key);
    if (value == nullptr) break;
  }
  return FieldValue::Of(value);
}

bool ValueMembers::Copy(std::string_view key, Value* out) const {
  const Value* value = body_->Find(key);
  if (value == nullptr || value->is_null()) return false;
  *out = *value;
  return true;
}

bool Event::From(const EventMembers* members, Event* out, std::string* error) {
  FieldValue type = members->Get("type");
  if (type.kind == FieldValue::Kind::kMissing) {
    *error = "type is required";
    return false;
  }
  if (type.kind != FieldValue::Kind::kString || type.text.empty()) {
    *error = "type must be a non-empty string";
    return false;
  }
  if (type.text == "session_start") {
    *error = "session_start events are made by the scorer and cannot be sent";
    return false;
  }
  FieldValue ts = members->Get("ts");
  double ms = 0;
  if (ts.kind == FieldValue::Kind::kMissing) {
    *error = "ts is required";
    return false;
  }
  if (ts.kind == FieldValue::Kind::kNumber) {
    ms = ts.number;
  } else if (ts.kind == FieldValue::Kind::kString) {
    if (!ParseRfc3339(ts.text, &ms)) {
      *error = "ts " + QuoteForMessage(ts.text) +
               " is not an RFC 3339 time such as 2026-01-02T10:00:00Z";
      return false;
    }
  } else {
    *error = "ts must be milliseconds since the epoch (a number) or an RFC 3339 string";
    return false;
  }
  if (type.text == "identify") {
    FieldValue traits = members->Get("traits");
    if (traits.kind != FieldValue::Kind::kMissing && traits.kind != FieldValue::Kind::kObject) {
      *error = "identify needs traits as an object";
      return false;
    }
  }
  FieldValue visitor = members->Get("visitor");
  out->members_ = members;
  out->type_ = type.text;
  out->ts_ = ms;
  out->visitor_ = visitor.kind == FieldValue::Kind::kString ? visitor.text : std::string_view();
  return true;
}

bool OwnedEvent::Parse(std::string_view json, std::string* error) {
  return Parse(ParseJsonValue, json, error);
}

bool OwnedEvent::Parse(JsonReader read, std::string_view input, std::string* error) {
  Value body;
  if (!read(input, &body, error, kMaxValueDepth, nullptr)) return false;
  return Reset(std::move(body), error);
}

bool OwnedEvent::Reset(Value body, std::string* error) {
  body_ = std::move(body);
  if (!body_.is_object()) {
    *error = "an event must be a JSON object";
    return false;
  }
  return Event::From(&members_, &event_, error);
}

}  // namespace mqlscore
