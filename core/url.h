// URL parts as the rules contract derives them (§2): host, path and query parameters.
// Deliberately lenient: a relative URL ("/pricing?x=1") has a path and a query but no host.
#ifndef MQLSCORE_CORE_URL_H_
#define MQLSCORE_CORE_URL_H_

#include <string>
#include <string_view>

namespace mqlscore {

struct UrlParts {
  bool has_host = false;
  std::string_view path;   // as sent, "/" when empty; views the URL given to SplitUrl
  std::string_view query;  // without '?', views the URL given to SplitUrl

  // Lower-cased, without port or user info.
  std::string_view host() const { return lowered_host_.empty() ? raw_host_ : lowered_host_; }

 private:
  friend UrlParts SplitUrl(std::string_view url);
  std::string_view raw_host_;  // views the URL when it is already lower-case
  std::string lowered_host_;
};

UrlParts SplitUrl(std::string_view url);

// Percent-decodes `text`, with '+' as a space. A '%' not followed by two hex digits is kept.
std::string DecodeQueryComponent(std::string_view text);

// Calls fn(name, value) for each `name=value` pair of a query string, as written (not decoded),
// in order. A pair without '=' has an empty value. fn returns false to stop early.
template <typename Fn>
void ForEachRawQueryParam(std::string_view query, Fn fn) {
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      if (!fn(pair.substr(0, eq),
              eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1))) {
        return;
      }
    }
    start = end + 1;
  }
}

// Like ForEachRawQueryParam, with name and value decoded.
template <typename Fn>
void ForEachQueryParam(std::string_view query, Fn fn) {
  ForEachRawQueryParam(query, [&fn](std::string_view name, std::string_view value) {
    return fn(DecodeQueryComponent(name), DecodeQueryComponent(value));
  });
}

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_URL_H_
