// Small string helpers shared by the core: ASCII case folding, the `glob` matcher of the rules
// contract (§3.1), JSON string literals and quoting of user text in error messages.
#ifndef MQLSCORE_CORE_STRINGS_H_
#define MQLSCORE_CORE_STRINGS_H_

#include <string>
#include <string_view>

namespace mqlscore {

std::string AsciiLower(std::string_view text);

// n in decimal digits: std::to_chars, which costs the WebAssembly build 0.16 KB gzip less than
// libc++'s std::to_string.
std::string DecimalText(long long n);

// Appends `text` as a JSON string literal (quotes included), escaped as JSON.stringify escapes.
// Invalid UTF-8 is replaced by U+FFFD, so the output is always valid JSON.
void AppendJsonString(std::string_view text, std::string* out);

// ASCII case-insensitive comparisons; bytes >= 0x80 compare exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);
bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix);
bool ContainsIgnoreCase(std::string_view text, std::string_view needle);

// Whole-value match, ASCII case-insensitive: '*' matches any run of bytes ('/' included),
// '?' exactly one character (a UTF-8 sequence). Linear in |text| * |pattern| at worst, never
// exponential.
bool GlobMatch(std::string_view pattern, std::string_view text);

// `text` as a JSON string literal for an error message, cut to at most 60 bytes of the original
// (then ending in "..."), so a 100 MB value cannot flood a terminal.
std::string QuoteForMessage(std::string_view text);

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_STRINGS_H_
