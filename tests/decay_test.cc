#include "core/decay.h"

#include <catch2/catch.hpp>
#include <cmath>

using mqlscore::DecayFactor;
using mqlscore::Exp2NonPositive;

TEST_CASE("Decay halves a value every half-life", "[decay]") {
  const double day = 86400000.0;
  CHECK(DecayFactor(0, 30 * day) == 1.0);
  CHECK(DecayFactor(30 * day, 30 * day) == 0.5);
  CHECK(DecayFactor(60 * day, 30 * day) == 0.25);
  CHECK(DecayFactor(15 * day, 30 * day) == Approx(std::sqrt(0.5)).epsilon(1e-15));
}

TEST_CASE("Without a half-life nothing decays", "[decay]") { CHECK(DecayFactor(1e12, 0) == 1.0); }

TEST_CASE("Exp2 agrees with the library to within a few ulp over its range", "[decay]") {
  for (double x = -1070; x <= 0; x += 0.37) {
    double expected = std::exp2(x);
    double got = Exp2NonPositive(x);
    INFO(x);
    CHECK(std::fabs(got - expected) <= std::fabs(expected) * 1e-15 + 1e-323);
  }
  CHECK(Exp2NonPositive(-2000) == 0);
}

TEST_CASE("Exp2 scales by whole powers of two exactly, into the subnormals", "[decay]") {
  // x and x - n share the fraction (x has few bits, so x - n is exact), so their results must
  // differ by exactly 2^-n, whichever way the scaling is done (normal results and subnormal ones
  // are scaled differently).
  for (int i = 0; i <= 4096; i += 37) {
    double x = -i / 4096.0;
    double base = Exp2NonPositive(x);
    for (int n = 1; n <= 1073; n += 7) {
      INFO(x << " - " << n);
      CHECK(Exp2NonPositive(x - n) == std::ldexp(base, -n));
    }
  }
}
