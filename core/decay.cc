#include "core/decay.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mqlscore {

double Exp2NonPositive(double x) {
  if (x == 0) return 1;
  if (x < -1075) return 0;
  // x = n + k/32 + f with n, k integers and |f| <= 1/64; 2^f = e^(f·ln 2) by its Taylor series
  // (8 terms reach double precision for |f·ln 2| < 0.011); 2^(k/32) from a table that is itself
  // computed with the same series on first use, so every platform holds the same bits.
  static const double* const kTable = [] {
    static double table[32];
    for (int k = 0; k < 32; ++k) {
      double r = (k / 32.0) * 0.6931471805599453094;
      double term = 1, sum = 1;
      for (int i = 1; i <= 20; ++i) {
        term = term * r / i;
        sum += term;
      }
      table[k] = sum;
    }
    return table;
  }();
  double scaled = std::floor(x * 32 + 0.5);  // exact: x * 32 only changes the exponent
  double f = x - scaled / 32;
  double r = f * 0.6931471805599453094;
  // Multiplications by 1/n rather than divisions: a division costs as much as ten of them here.
  constexpr double k3 = 1.0 / 3, k5 = 1.0 / 5, k6 = 1.0 / 6, k7 = 1.0 / 7;
  double sum =
      1 + r * (1 + r * 0.5 *
                       (1 + r * k3 * (1 + r * 0.25 * (1 + r * k5 * (1 + r * k6 * (1 + r * k7))))));
  int whole = static_cast<int>(std::floor(scaled / 32));
  int k = static_cast<int>(scaled - whole * 32.0);
  double mantissa = kTable[k] * sum;  // in [0.98, 2]
  if (whole < -1020) {
    // ldexp is exact scaling (correctly rounded into the subnormals) on every IEEE platform.
    return std::ldexp(mantissa, whole);
  }
  // The result stays normal, so multiplying by 2^whole, built from its bits, is exact: the same
  // as ldexp, without its call.
  std::uint64_t bits = static_cast<std::uint64_t>(whole + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return mantissa * scale;
}

double DecayFactor(double elapsed_ms, double half_life_ms) {
  if (half_life_ms == 0 || elapsed_ms <= 0) return 1;
  return Exp2NonPositive(-elapsed_ms / half_life_ms);
}

}  // namespace mqlscore
