// What the browser's JSON.parse read, handed to the core in a packed binary form.
//
// The WebAssembly build has no JSON reader of its own: wasm/mqlscore-core.mjs reads rules files,
// events and snapshots with JSON.parse and packs the result (3.3 KB gzip less to download). The
// core decodes it into the same Values that ParseJsonValue builds from the text, so everything
// after reading is the same code in every build. Each value starts with a tag byte:
//   0 null, 1 false, 2 true,
//   3 number: 8 bytes, an IEEE 754 double, little-endian
//   4 string: byte length, then the UTF-8 bytes
//   5 array: item count, then the items
//   6 object: member count, then per member the key (byte length, UTF-8 bytes) and the value
//   7 the text is not JSON: byte length, then JSON.parse's message in UTF-8
//   8 nesting too deep to pack: the rest is left out
// Lengths and counts are unsigned LEB128, which may be padded with 0x80 bytes.
#ifndef MQLSCORE_CORE_PACKED_JSON_H_
#define MQLSCORE_CORE_PACKED_JSON_H_

#include <string>
#include <string_view>

#include "core/json_value.h"
#include "core/value.h"

namespace mqlscore {

// Decodes one packed value, exactly filling `packed`; a JsonReader, like ParseJsonValue. Returns
// true and sets *out on success; otherwise returns false, sets *error (JSON.parse's message for
// tag 7; "JSON nests deeper than N levels" past max_depth, as ParseJsonValue words it) and, when
// `failure` is given, says which kind of failure it was.
bool DecodePackedJson(std::string_view packed, Value* out, std::string* error,
                      int max_depth = kMaxValueDepth, JsonFailure* failure = nullptr);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_PACKED_JSON_H_
