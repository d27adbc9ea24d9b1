#include "core/decay.h"

#include <cmath>

namespace mqlscore {

double Exp2NonPositive(double x) {
  if (x == 0) return 1;
  if (x < -1075) return 0;
  // x = n + f with n an integer and f in [-0.5, 0.5]; 2^f = e^(f·ln 2) by its Taylor series,
  // which converges to double precision within 18 terms for |f·ln 2| <= 0.35.
  double n = std::floor(x + 0.5);
  double r = (x - n) * 0.6931471805599453094;
  double term = 1;
  double sum = 1;
  for (int k = 1; k <= 18; ++k) {
    term = term * r / k;
    sum += term;
  }
  // ldexp is exact scaling (correctly rounded into the subnormals) on every IEEE platform.
  return std::ldexp(sum, static_cast<int>(n));
}

double DecayFactor(double elapsed_ms, double half_life_ms) {
  if (half_life_ms == 0 || elapsed_ms <= 0) return 1;
  return Exp2NonPositive(-elapsed_ms / half_life_ms);
}

}  // namespace mqlscore
