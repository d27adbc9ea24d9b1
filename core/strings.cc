#include "core/strings.h"

#include "core/json_value.h"

namespace mqlscore {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

void AppendDecimal(std::uint64_t n, std::string* out) {
  char digits[20];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n != 0);
  while (count > 0) out->push_back(digits[--count]);
}

std::string DecimalText(std::uint64_t n) {
  std::string out;
  AppendDecimal(n, &out);
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

bool ContainsIgnoreCase(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    if (EqualsIgnoreCase(text.substr(i, needle.size()), needle)) return true;
  }
  return false;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Greedy matching with backtracking to the last '*' only: correct for '*'/'?' globs and
  // quadratic at worst.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  // '?' and the retry after a '*' step over whole UTF-8 characters, so "?" matches "é".
  auto next_char = [&](std::size_t i) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    return i;
  };
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      t = next_char(t);
    } else if (p < pattern.size() && pattern[p] != '*' && Lower(pattern[p]) == Lower(text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = star_text = next_char(star_text);
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string QuoteForMessage(std::string_view text) {
  constexpr std::size_t kMax = 60;
  std::string out;
  if (text.size() <= kMax) {
    AppendJsonString(text, &out);
  } else {
    AppendJsonString(text.substr(0, kMax), &out);
    out.insert(out.size() - 1, "...");
  }
  return out;
}

}  // namespace mqlscore
