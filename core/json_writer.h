// Compact JSON text of the core's Values, exactly as JSON.stringify writes the same value: numbers
// as core/number_text.h says ("20", not "20.0"; "0.1"; "1e-7"), the same escapes. Native builds
// only: in the browser, JSON.stringify writes what the core returns (wasm/bindings.cc).
#ifndef MQLSCORE_CORE_JSON_WRITER_H_
#define MQLSCORE_CORE_JSON_WRITER_H_

#include <string>

#include "core/value.h"

namespace mqlscore {

// REQUIRES: every number in `value` is finite.
std::string ToJsonText(const Value& value);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_JSON_WRITER_H_
