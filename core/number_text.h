// A number's shortest text, as JavaScript writes it (ECMAScript's Number::toString, which is also
// what JSON.stringify writes): the fewest significant digits that read back to the same double,
// in plain notation from 1e-7 to 1e21 ("0.000001", "123.5", "100000000000000000000") and in
// exponent notation outside it ("1e-7", "1.5e+21").
//
// Native builds only (std::to_chars; the WebAssembly build's libc++ has none for doubles): in the
// browser, JavaScript writes the numbers the core returns, so scores print identically everywhere.
#ifndef MQLSCORE_CORE_NUMBER_TEXT_H_
#define MQLSCORE_CORE_NUMBER_TEXT_H_

#include <string>

namespace mqlscore {

// Appends the text of d to *out. REQUIRES: d is finite.
void AppendNumberText(double d, std::string* out);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_NUMBER_TEXT_H_
