// core/number_text.h for the WebAssembly build: the JavaScript engine writes the text (String(d)
// is what the header promises), so the module carries no shortest-digits printer (2.4 KB gzip).
#include "core/number_text.h"

// Writes String(d) as ASCII at `text` (32 bytes are room for any double) and returns its length;
// provided by wasm/mqlscore-core.mjs.
extern "C" __attribute__((import_module("env"), import_name("mqlscore_number_text"))) int
MqlscoreNumberText(double d, char* text);

namespace mqlscore {

void AppendNumberText(double d, std::string* out) {
  char text[32];
  out->append(text, static_cast<std::size_t>(MqlscoreNumberText(d, text)));
}

}  // namespace mqlscore
