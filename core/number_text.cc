#include "core/number_text.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace mqlscore {

void AppendNumberText(double d, std::string* out) {
  if (d == 0) {  // also -0, which JavaScript writes as "0"
    out->push_back('0');
    return;
  }
  // The shortest digits that read back to d, the closest to d among those: "-d.ddde-XX".
  char buffer[32];
  char* end =
      std::to_chars(buffer, buffer + sizeof(buffer) - 1, d, std::chars_format::scientific).ptr;
  *end = '\0';  // for atoi below
  const char* at = buffer;
  if (*at == '-') {
    out->push_back('-');
    ++at;
  }
  const char* e = std::strchr(at, 'e');
  std::string digits;
  for (; at < e; ++at) {
    if (*at != '.') digits.push_back(*at);
  }
  // ECMAScript's Number::toString: the value is 0.digits × 10^n, with k digits.
  int k = static_cast<int>(digits.size());
  int n = std::atoi(e + 1) + 1;
  if (k <= n && n <= 21) {
    *out += digits;
    out->append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, 0, n);
    out->push_back('.');
    out->append(digits, n);
  } else if (-6 < n && n <= 0) {
    *out += "0.";
    out->append(-n, '0');
    *out += digits;
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    out->push_back('e');
    out->push_back(n > 0 ? '+' : '-');
    *out += std::to_string(std::abs(n - 1));
  }
}

}  // namespace mqlscore
