#include "core/decimal.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace mqlscore {
namespace {

// Exact powers of ten: a decimal with at most 15 significant digits times one of these is
// correctly rounded by a single multiplication or division (Clinger's fast path).
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// An unsigned big integer, 32-bit limbs, least significant first; only what DecimalToDouble needs.
class BigInt {
 public:
  explicit BigInt(std::uint32_t n) : limbs_{n} {}

  void MultiplyAdd(std::uint32_t factor, std::uint32_t addend) {
    std::uint64_t carry = addend;
    for (std::uint32_t& limb : limbs_) {
      carry += static_cast<std::uint64_t>(limb) * factor;
      limb = static_cast<std::uint32_t>(carry);
      carry >>= 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }
  void ShiftLeft(int bits) {
    if (bits <= 0) return;
    limbs_.insert(limbs_.begin(), static_cast<std::size_t>(bits / 32), 0);
    int rest = bits % 32;
    if (rest == 0) return;
    std::uint32_t carry = 0;
    for (std::uint32_t& limb : limbs_) {
      std::uint32_t next = limb >> (32 - rest);
      limb = (limb << rest) | carry;
      carry = next;
    }
    if (carry != 0) limbs_.push_back(carry);
  }
  int BitLength() const {
    for (std::size_t i = limbs_.size(); i-- > 0;) {
      if (limbs_[i] != 0) {
        int bits = 0;
        for (std::uint32_t top = limbs_[i]; top != 0; top >>= 1) ++bits;
        return static_cast<int>(i) * 32 + bits;
      }
    }
    return 0;
  }
  bool IsZero() const { return BitLength() == 0; }
  // -1, 0 or 1 as *this is less than, equal to or greater than other.
  int Compare(const BigInt& other) const {
    std::size_t n = limbs_.size() > other.limbs_.size() ? limbs_.size() : other.limbs_.size();
    for (std::size_t i = n; i-- > 0;) {
      std::uint32_t a = i < limbs_.size() ? limbs_[i] : 0;
      std::uint32_t b = i < other.limbs_.size() ? other.limbs_[i] : 0;
      if (a != b) return a < b ? -1 : 1;
    }
    return 0;
  }
  // REQUIRES: other <= *this.
  void Subtract(const BigInt& other) {
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      std::int64_t diff = static_cast<std::int64_t>(limbs_[i]) - borrow -
                          (i < other.limbs_.size() ? other.limbs_[i] : 0);
      borrow = diff < 0;
      limbs_[i] = static_cast<std::uint32_t>(diff + (borrow << 32));
    }
  }

 private:
  std::vector<std::uint32_t> limbs_;
};

}  // namespace

bool DecimalToDouble(const std::string& digits, int exponent, double* out) {
  if (digits.empty()) {
    *out = 0;
    return true;
  }
  if (digits.size() <= 15 && exponent >= -22 && exponent <= 22) {
    std::uint64_t mantissa = 0;
    for (char c : digits) mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
    double d = static_cast<double>(mantissa);
    *out = exponent < 0 ? d / kExactPowersOfTen[-exponent] : d * kExactPowersOfTen[exponent];
    return true;
  }
  int magnitude = static_cast<int>(digits.size()) + exponent;  // the value is below 10^magnitude
  if (magnitude > 310) return false;
  if (magnitude < -330) {
    *out = 0;
    return true;
  }
  // 800 digits decide every rounding; any further non-zero digit only breaks an exact tie.
  std::size_t used = digits.size() < 800 ? digits.size() : 800;
  bool sticky_tail = digits.find_first_not_of('0', used) != std::string::npos;
  exponent += static_cast<int>(digits.size() - used);
  BigInt numerator(0), denominator(1);
  for (std::size_t i = 0; i < used; ++i)
    numerator.MultiplyAdd(10, static_cast<std::uint32_t>(digits[i] - '0'));
  for (int i = 0; i < exponent; ++i) numerator.MultiplyAdd(10, 0);
  for (int i = 0; i > exponent; --i) denominator.MultiplyAdd(10, 0);
  // Scale so the quotient has 63 or 64 bits: value = quotient × 2^-shift, plus a remainder.
  int shift = 63 - (numerator.BitLength() - denominator.BitLength());
  if (shift > 0)
    numerator.ShiftLeft(shift);
  else
    denominator.ShiftLeft(-shift);
  std::uint64_t quotient = 0;
  for (int bit = 64; bit-- > 0;) {
    BigInt part = denominator;
    part.ShiftLeft(bit);
    if (numerator.Compare(part) >= 0) {
      numerator.Subtract(part);
      quotient |= std::uint64_t{1} << bit;
    }
  }
  bool sticky = sticky_tail || !numerator.IsZero();
  int bits = 0;
  for (std::uint64_t q = quotient; q != 0; q >>= 1) ++bits;
  int binary_exponent = bits - 1 - shift;  // the value is in [2^e, 2^(e+1))
  // Keep 53 bits, fewer for subnormals (below 2^-1022 the last bit is worth 2^-1074).
  int keep = 53;
  if (binary_exponent < -1022) keep -= -1022 - binary_exponent;
  if (keep < 0) {
    *out = 0;
    return true;
  }
  int drop = bits - keep;
  std::uint64_t mantissa = drop >= 64 ? 0 : quotient >> drop;
  std::uint64_t dropped = drop >= 64 ? quotient : quotient & ((std::uint64_t{1} << drop) - 1);
  std::uint64_t half = std::uint64_t{1} << (drop - 1);
  if (dropped > half || (dropped == half && (sticky || (mantissa & 1)))) ++mantissa;
  double d = std::ldexp(static_cast<double>(mantissa), drop - shift);
  if (!std::isfinite(d)) return false;
  *out = d;
  return true;
}

}  // namespace mqlscore
