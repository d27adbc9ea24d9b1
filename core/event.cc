#include "core/event.h"

#include "core/json_reader.h"
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

Status Event::From(const EventMembers* members, Event* out) {
  FieldValue type = members->Get("type");
  if (type.kind == FieldValue::Kind::kMissing) {
    return Status::Invalid("type is required");
  }
  if (type.kind != FieldValue::Kind::kString || type.text.empty()) {
    return Status::Invalid("type must be a non-empty string");
  }
  if (type.text == "session_start") {
    return Status::Invalid("session_start events are made by the scorer and cannot be sent");
  }
  FieldValue ts = members->Get("ts");
  double ms = 0;
  if (ts.kind == FieldValue::Kind::kMissing) {
    return Status::Invalid("ts is required");
  }
  if (ts.kind == FieldValue::Kind::kNumber) {
    ms = ts.number;
  } else if (ts.kind == FieldValue::Kind::kString) {
    if (!ParseRfc3339(ts.text, &ms)) {
      return Status::Invalid("ts " + QuoteForMessage(ts.text) +
                             " is not an RFC 3339 time such as 2026-01-02T10:00:00Z");
    }
  } else {
    return Status::Invalid(
        "ts must be milliseconds since the epoch (a number) or an RFC 3339 string");
  }
  if (type.text == "identify") {
    FieldValue traits = members->Get("traits");
    if (traits.kind != FieldValue::Kind::kMissing && traits.kind != FieldValue::Kind::kObject) {
      return Status::Invalid("identify needs traits as an object");
    }
  }
  FieldValue visitor = members->Get("visitor");
  out->members_ = members;
  out->type_ = type.text;
  out->ts_ = ms;
  out->visitor_ = visitor.kind == FieldValue::Kind::kString ? visitor.text : std::string_view();
  return Status::Ok();
}

Status OwnedEvent::Parse(std::string_view json) {
  Value body;
  Status read = ReadJson(json, kMaxValueDepth, &body);
  if (!read.ok()) return read;
  return Reset(std::move(body));
}

Status OwnedEvent::Reset(Value body) {
  body_ = std::move(body);
  if (!body_.is_object()) return Status::Invalid("an event must be a JSON object");
  return Event::From(&members_, &event_);
}

}  // namespace mqlscore
