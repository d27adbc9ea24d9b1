#include "core/url.h"

#include "core/strings.h"

namespace mqlscore {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

UrlParts SplitUrl(std::string_view url) {
  // Hand-written scans: this runs for every event, and find_first_of costs a memchr per byte.
  UrlParts parts;
  std::string_view rest = url.substr(0, url.find('#'));
  std::size_t authority_start = 0;
  std::size_t i = 0;
  auto is_scheme_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '-' || c == '.';
  };
  while (i < rest.size() && is_scheme_char(rest[i])) ++i;
  if (i > 0 && rest.substr(i, 3) == "://") {
    authority_start = i + 3;
  } else if (rest.substr(0, 2) == "//") {
    authority_start = 2;
  }
  if (authority_start > 0) {
    std::size_t authority_end = authority_start;
    while (authority_end < rest.size() && rest[authority_end] != '/' && rest[authority_end] != '?') {
      ++authority_end;
    }
    std::string_view authority = rest.substr(authority_start, authority_end - authority_start);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority = authority.substr(at + 1);
    if (!authority.empty() && authority[0] == '[') {  // IPv6 literal keeps its brackets
      std::size_t close = authority.find(']');
      if (close != std::string_view::npos) authority = authority.substr(0, close + 1);
    } else {
      authority = authority.substr(0, authority.find(':'));
    }
    parts.has_host = true;
    parts.raw_host_ = authority;
    for (char c : authority) {
      if (c >= 'A' && c <= 'Z') {
        parts.lowered_host_ = AsciiLower(authority);
        break;
      }
    }
    rest = rest.substr(authority_end);
  }
  std::size_t question = rest.find('?');
  if (question != std::string_view::npos) {
    parts.query = rest.substr(question + 1);
    rest = rest.substr(0, question);
  }
  parts.path = rest.empty() ? std::string_view("/") : rest;
  return parts;
}

std::string DecodeQueryComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
               HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace mqlscore
