// Engagement decay (contract §4): E · 2^(−Δt / half-life).
//
// Computed with + − × ÷ only (no libm exp/pow), so native and WebAssembly builds agree to the
// last bit: libm implementations differ between glibc and Emscripten's musl.
#ifndef MQLSCORE_CORE_DECAY_H_
#define MQLSCORE_CORE_DECAY_H_

namespace mqlscore {

// 2^x for x <= 0, within a few ulp, exactly 1 at 0 and 0 below -1074.
double Exp2NonPositive(double x);

// The factor a value shrinks by over `elapsed_ms` (>= 0). 1 when half_life_ms is 0 (no decay).
double DecayFactor(double elapsed_ms, double half_life_ms);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_DECAY_H_
