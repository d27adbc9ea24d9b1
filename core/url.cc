#include "core/url.h"

#include <algorithm>

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
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
  };
  while (i < rest.size() && is_scheme_char(rest[i])) ++i;
  if (i > 0 && i + 2 < rest.size() && rest[i] == ':' && rest[i + 1] == '/' && rest[i + 2] == '/') {
    authority_start = i + 3;
  } else if (rest.size() >= 2 && rest[0] == '/' && rest[1] == '/') {
    authority_start = 2;
  }
  if (authority_start > 0) {
    // memchr-speed searches: this runs for every event.
    std::string_view tail = rest.substr(authority_start);
    std::size_t end = std::min(tail.find('/'), tail.find('?'));
    std::string_view host = tail.substr(0, end);
    if (host.find('@') != std::string_view::npos) host = host.substr(host.rfind('@') + 1);
    if (!host.empty() && host[0] == '[') {  // IPv6 literal keeps its brackets
      host = host.substr(0, host.find(']') + 1);
    } else {
      host = host.substr(0, host.find(':'));
    }
    parts.has_host = true;
    parts.raw_host_ = host;
    bool upper = false;  // without an early exit, so the compiler can vectorise the scan
    for (char c : host) upper |= c >= 'A' && c <= 'Z';
    if (upper) parts.lowered_host_ = AsciiLower(host);
    rest = end == std::string_view::npos ? std::string_view() : tail.substr(end);
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
