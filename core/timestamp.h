// Event times: milliseconds since the Unix epoch, and RFC 3339 text.
// Pure arithmetic, no clock and no time zone database: the same input gives the same double on
// every platform.
#ifndef MQLSCORE_CORE_TIMESTAMP_H_
#define MQLSCORE_CORE_TIMESTAMP_H_

#include <string>
#include <string_view>

namespace mqlscore {

// Parses "2026-01-02T10:00:00Z", "2026-01-02T10:00:00.250+02:00", "2026-01-02 10:00:00z", ...
// (RFC 3339 date-time; 'T' may be 't' or a space; seconds may have a fraction; the offset is 'Z',
// 'z' or +hh:mm / -hh:mm). Returns false for anything else, including impossible dates.
bool ParseRfc3339(std::string_view text, double* ms);

// Formats ms since the epoch as "2026-01-02T10:00:00Z", with ".250" when there are milliseconds.
std::string FormatRfc3339(double ms);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_TIMESTAMP_H_
