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
  UrlParts parts;
  std::string_view rest = url;
  std::size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);

  std::size_t scheme_end = rest.find("://");
  std::size_t path_start = 0;
  bool protocol_relative = rest.size() >= 2 && rest[0] == '/' && rest[1] == '/';
  if (scheme_end != std::string_view::npos && rest.find_first_of("/?") > scheme_end) {
    path_start = scheme_end + 3;
  } else if (protocol_relative) {
    path_start = 2;
  }
  if (path_start > 0) {
    std::size_t authority_end = rest.find_first_of("/?", path_start);
    if (authority_end == std::string_view::npos) authority_end = rest.size();
    std::string_view authority = rest.substr(path_start, authority_end - path_start);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) authority = authority.substr(at + 1);
    if (!authority.empty() && authority[0] == '[') {  // IPv6 literal keeps its brackets
      std::size_t close = authority.find(']');
      if (close != std::string_view::npos) authority = authority.substr(0, close + 1);
    } else {
      std::size_t colon = authority.find(':');
      if (colon != std::string_view::npos) authority = authority.substr(0, colon);
    }
    parts.has_host = true;
    parts.host = AsciiLower(authority);
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
