// Conversions between the core's Value and JSON text: a strict RFC 8259 reader and a compact
// writer of the core's own (nlohmann/json's parser and serializer were two thirds of the
// WebAssembly build).
//
// The reader reads rules files, snapshots and the tests' events natively; the writer prints
// everything the core reports, in every build. Other front ends build the same Values: the command
// line's fast event reader from simdjson (it must agree with ParseJsonValue on every input;
// tests/fast_event_parser_test.cc checks that), and the browser build from what JSON.parse read
// (core/packed_json.h).
#ifndef MQLSCORE_CORE_JSON_VALUE_H_
#define MQLSCORE_CORE_JSON_VALUE_H_

#include <string>
#include <string_view>

#include "core/value.h"

namespace mqlscore {

// Objects and arrays may nest this deep in an event, a trait or a snapshot; deeper is an error
// rather than a stack overflow in the WebAssembly build's small stack.
constexpr int kMaxValueDepth = 64;

// Why a text was refused: its syntax (or a number beyond a double), or nesting past the limit.
enum class JsonFailure { kSyntax, kTooDeep };

// A way to read one JSON document into a Value, with the contract of ParseJsonValue below:
// ParseJsonValue itself over JSON text, or DecodePackedJson over what the browser's JSON.parse
// read (core/packed_json.h).
using JsonReader = bool (*)(std::string_view input, Value* out, std::string* error, int max_depth,
                            JsonFailure* failure);

// Parses one JSON text; objects and arrays may nest `max_depth` deep. Returns true and sets *out on
// success; otherwise returns false, sets *error to a one-line description (with line and column
// for syntax errors) and, when `failure` is given, says which kind of failure it was.
bool ParseJsonValue(std::string_view text, Value* out, std::string* error,
                    int max_depth = kMaxValueDepth, JsonFailure* failure = nullptr);

// "JSON nests deeper than N levels": what every JsonReader says when nesting exceeds max_depth.
std::string TooDeepMessage(int max_depth);

// Compact JSON text, as JSON.stringify writes it: numbers as core/number_text.h says ("20", not
// "20.0"; "0.1"; "1e-7").
std::string ToJsonText(const Value& value);

// Appends `text` as a JSON string literal (quotes included) to *out. Invalid UTF-8 is replaced
// by U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// Appends `"key":`, a member's name, for keys that need no escaping.
void AppendJsonKey(const char* key, std::string* out);

// Appends a number as ToJsonText prints it. REQUIRES: d is finite.
void AppendJsonNumber(double d, std::string* out);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_JSON_VALUE_H_
