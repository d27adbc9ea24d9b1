#include "core/timestamp.h"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace mqlscore {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` decimal digits at text[*pos].
bool ReadDigits(std::string_view text, std::size_t* pos, int count, int* out) {
  if (*pos + count > text.size()) return false;
  int value = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += count;
  *out = value;
  return true;
}

bool Expect(std::string_view text, std::size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// The inverse of DaysFromCivil.
void CivilFromDays(std::int64_t z, std::int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<std::int64_t>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace

std::string FormatRfc3339(double ms) {
  if (!(std::fabs(ms) < 8.64e15)) return std::to_string(ms);  // beyond year 275760
  std::int64_t whole_ms = static_cast<std::int64_t>(std::floor(ms));
  std::int64_t seconds = whole_ms >= 0 ? whole_ms / 1000 : -((-whole_ms + 999) / 1000);
  int milliseconds = static_cast<int>(whole_ms - seconds * 1000);
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  std::int64_t in_day = seconds - days * 86400;
  std::int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  char text[64];
  int n = std::snprintf(text, sizeof(text), "%04lld-%02u-%02uT%02d:%02d:%02d",
                        static_cast<long long>(year), month, day, static_cast<int>(in_day / 3600),
                        static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  if (milliseconds != 0) {
    n += std::snprintf(text + n, sizeof(text) - n, ".%03d", milliseconds);
  }
  std::snprintf(text + n, sizeof(text) - n, "Z");
  return text;
}

bool ParseRfc3339(std::string_view text, double* ms) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !Expect(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day)) {
    return false;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return false;
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute) || !Expect(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &second)) {
    return false;
  }
  // Fractions beyond microseconds are read but cannot change a millisecond double meaningfully.
  double fraction_ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    double scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction_ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return false;
  }
  int offset_minutes = 0;
  if (pos >= text.size()) return false;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hour = 0, offset_minute = 0;
    if (!ReadDigits(text, &pos, 2, &offset_hour) || !Expect(text, &pos, ':') ||
        !ReadDigits(text, &pos, 2, &offset_minute) || offset_hour > 23 || offset_minute > 59) {
      return false;
    }
    offset_minutes = sign * (offset_hour * 60 + offset_minute);
  } else {
    return false;
  }
  if (pos != text.size()) return false;
  // Second 60 is a leap second; like most systems we read it as the next second.
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return false;
  }
  std::int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                         second - static_cast<std::int64_t>(offset_minutes) * 60;
  *ms = static_cast<double>(seconds * 1000) + fraction_ms;
  return true;
}

}  // namespace mqlscore
