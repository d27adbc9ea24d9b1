// Conversions between JavaScript values and the core's Values, for the Embind modules
// (bindings.cc, the widget's; workbench.cc, the playground's), and their {ok, ...} answers.
#ifndef MQLSCORE_WASM_JS_VALUE_H_
#define MQLSCORE_WASM_JS_VALUE_H_

#include <emscripten/val.h>

#include <string>

#include "core/status.h"
#include "core/value.h"

namespace mqlscore {

// A JavaScript value as a Value, as JSON.parse(JSON.stringify(v)) would give it, nesting at most
// `depth` deep: members that are undefined (or functions) are left out, and undefined in an array
// is null. Non-finite numbers fail, as JSON cannot hold them.
Status FromJs(const emscripten::val& v, int depth, Value* out);

// A JavaScript value, or JSON text (a string) read by the layer's readJson, as a Value nesting at
// most `max_depth` deep.
Status ReadJs(const emscripten::val& v, int max_depth, Value* out);

emscripten::val ToJs(const Value& value);

// {ok: false, error}
emscripten::val Failure(const std::string& error);
// {ok: true, [name]: value}
emscripten::val Success(const char* name, emscripten::val value);

}  // namespace mqlscore

#endif  // MQLSCORE_WASM_JS_VALUE_H_
