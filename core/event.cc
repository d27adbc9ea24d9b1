#include "core/event.h"

#include <cmath>

#include "core/timestamp.h"

namespace mqlscore {

const std::string* Event::visitor() const {
  const Value* visitor = body.Find("visitor");
  return visitor != nullptr && visitor->is_string() ? &visitor->string_value() : nullptr;
}

bool Event::FromValue(Value body, Event* out, std::string* error) {
  if (!body.is_object()) {
    *error = "an event must be a JSON object";
    return false;
  }
  const Value* type = body.Find("type");
  if (type == nullptr || type->is_null()) {
    *error = "type is required";
    return false;
  }
  if (!type->is_string() || type->string_value().empty()) {
    *error = "type must be a non-empty string";
    return false;
  }
  if (type->string_value() == "session_start") {
    *error = "session_start events are made by the scorer and cannot be sent";
    return false;
  }
  const Value* ts = body.Find("ts");
  if (ts == nullptr || ts->is_null()) {
    *error = "ts is required";
    return false;
  }
  double ms = 0;
  if (!ParseTimestamp(*ts, &ms, error)) return false;
  if (type->string_value() == "identify") {
    const Value* traits = body.Find("traits");
    if (traits != nullptr && !traits->is_null() && !traits->is_object()) {
      *error = "identify needs traits as an object";
      return false;
    }
  }
  out->type = type->string_value();
  out->ts = ms;
  out->body = std::move(body);
  return true;
}

}  // namespace mqlscore
