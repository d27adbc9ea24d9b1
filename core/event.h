// One event as the core scores it (contract §2): its type, its time, and the object as sent.
#ifndef MQLSCORE_CORE_EVENT_H_
#define MQLSCORE_CORE_EVENT_H_

#include <string>

#include "core/value.h"

namespace mqlscore {

struct Event {
  std::string type;
  double ts = 0;  // ms since the epoch, as sent (the scorer never lets time run backwards)
  Value body;     // the whole event object, for url, referrer, cta, props, traits, ...

  // The `visitor` member when it is a string, else nullptr.
  const std::string* visitor() const;

  // Builds an event from a parsed JSON value. Returns false and sets *error (one line, e.g.
  // "type is required") when `body` is not an object, has no non-empty string `type`, no usable
  // `ts`, is a `session_start` (only the core makes those), or is an `identify` whose traits are
  // not an object.
  static bool FromValue(Value body, Event* out, std::string* error);
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_EVENT_H_
