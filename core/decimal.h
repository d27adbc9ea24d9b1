// Decimal to binary floating point, for the JSON reader.
#ifndef MQLSCORE_CORE_DECIMAL_H_
#define MQLSCORE_CORE_DECIMAL_H_

#include <string>

namespace mqlscore {

// Sets *out to the double nearest to digits × 10^exponent (ties to even), exactly as a correct
// strtod does, but without the C library's long double arithmetic (8 KB of WebAssembly).
// `digits` holds decimal digits without leading zeros ("" is 0). Returns false when the value is
// too large for a double; values too small for one become 0.
bool DecimalToDouble(const std::string& digits, int exponent, double* out);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_DECIMAL_H_
