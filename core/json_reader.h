// JSON text to the core's Values, read by nlohmann/json (strict RFC 8259; a leading UTF-8 byte
// order mark is skipped, as editors write one). The native build reads rules files, snapshots and
// events with it; the WebAssembly build gets Values from the browser's JSON.parse instead
// (wasm/bindings.cc), which reads the same texts to the same Values
// (tests/json_readers_agree_test.mjs).
#ifndef MQLSCORE_CORE_JSON_READER_H_
#define MQLSCORE_CORE_JSON_READER_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/value.h"

namespace mqlscore {

// Objects and arrays may nest this deep in an event, a trait or a snapshot; deeper is an error
// rather than a stack overflow in the WebAssembly build's small stack.
constexpr int kMaxValueDepth = 64;

// "JSON nests deeper than N levels": what every reader says when nesting exceeds its limit.
std::string TooDeepMessage(int max_depth);

// Reads one JSON text; objects and arrays may nest `max_depth` deep. On success sets *out. A
// failure is kInvalid with nlohmann's description and place ("parse error at line 1, column 5:
// ..."), or kTooDeep with TooDeepMessage(max_depth).
Status ReadJson(std::string_view text, int max_depth, Value* out);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_JSON_READER_H_
