// One event as the core scores it (contract §2).
//
// An Event is a view: its members stay where the reader put them (a Value in the browser and the
// tests, simdjson's parsed document in the command line), behind the EventMembers interface, so
// no reader has to copy an event before it is scored.
#ifndef MQLSCORE_CORE_EVENT_H_
#define MQLSCORE_CORE_EVENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/field_value.h"
#include "core/status.h"
#include "core/value.h"

namespace mqlscore {

// Read access to the members of one event object.
class EventMembers {
 public:
  virtual ~EventMembers() = default;
  // The top-level member `key`; missing when absent or null. When a key repeats, the last wins.
  // Strings view memory owned by this object.
  virtual FieldValue Get(std::string_view key) const = 0;
  // The member at path[0], then inside it path[1], ...; missing when a step is absent, null or
  // not an object. REQUIRES: path is not empty.
  virtual FieldValue GetPath(const std::vector<std::string>& path) const = 0;
  // Copies member `key` into *out. Returns false when it is absent or null.
  virtual bool Copy(std::string_view key, Value* out) const = 0;
};

// EventMembers over a Value that the caller keeps alive.
class ValueMembers : public EventMembers {
 public:
  explicit ValueMembers(const Value* body) : body_(body) {}
  FieldValue Get(std::string_view key) const override;
  FieldValue GetPath(const std::vector<std::string>& path) const override;
  bool Copy(std::string_view key, Value* out) const override;

 private:
  const Value* body_;
};

class Event {
 public:
  // Checks `members` against the contract and makes an event over them: a non-empty string
  // `type` (not session_start, which only the core makes), a usable `ts`, and for identify
  // traits that are an object. Fails (kInvalid, one line such as "ts is required") otherwise.
  // REQUIRES: *members outlives *out.
  static Status From(const EventMembers* members, Event* out);

  std::string_view type() const { return type_; }
  double ts() const { return ts_; }  // ms since the epoch, as sent
  // The `visitor` member when it is a non-empty string, else empty.
  std::string_view visitor() const { return visitor_; }
  const EventMembers& members() const { return *members_; }

 private:
  const EventMembers* members_ = nullptr;
  std::string_view type_;
  std::string_view visitor_;
  double ts_ = 0;
};

// An event that owns its body: what the browser build and the tests use.
class OwnedEvent {
 public:
  OwnedEvent() = default;
  OwnedEvent(const OwnedEvent&) = delete;
  OwnedEvent& operator=(const OwnedEvent&) = delete;

  // Reads one JSON event with ReadJson (core/json_reader.h). Fails when it is not JSON (the
  // reader's message) or not an event (Event::From's).
  Status Parse(std::string_view json);
  // Takes a body another reader read. Fails when it is not an event.
  Status Reset(Value body);

  const Event& event() const { return event_; }
  const Value& body() const { return body_; }

 private:
  Value body_;
  ValueMembers members_{&body_};
  Event event_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_EVENT_H_
