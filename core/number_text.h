// A number's shortest text, as JavaScript writes it (ECMAScript's Number::toString, which is also
// what JSON.stringify writes): the fewest significant digits that read back to the same double,
// in plain notation from 1e-7 to 1e21 ("0.000001", "123.5", "100000000000000000000") and in
// exponent notation outside it ("1e-7", "1.5e+21").
//
// The native build computes it (number_text.cc). The WebAssembly build asks the JavaScript engine
// instead (wasm/number_text.cc): a shortest-digits printer of its own was 2.4 KB gzip of the
// widget. Both write the same text for every double, so scores print identically everywhere.
#ifndef MQLSCORE_CORE_NUMBER_TEXT_H_
#define MQLSCORE_CORE_NUMBER_TEXT_H_

#include <string>

namespace mqlscore {

// Appends the text of d to *out. REQUIRES: d is finite.
void AppendNumberText(double d, std::string* out);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_NUMBER_TEXT_H_
