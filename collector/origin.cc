#include "collector/origin.h"

#include "core/strings.h"

namespace mqlscore {

Status NormalizeOrigin(std::string_view text, std::string* out) {
  if (text == "*") {
    *out = "*";
    return Status::Ok();
  }
  auto invalid = [&text](const char* why) {
    return Status::Invalid("--allow-origin " + QuoteForMessage(text) + ": " + why +
                           "; an origin is scheme://host[:port], as in https://www.example.com");
  };
  std::string origin = AsciiLower(text);
  std::string_view scheme = origin.rfind("https://", 0) == 0  ? "https://"
                            : origin.rfind("http://", 0) == 0 ? "http://"
                                                              : "";
  if (scheme.empty()) return invalid("the scheme must be http or https");
  std::string_view rest = std::string_view(origin).substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find_first_of("/?#") != std::string_view::npos) return invalid("an origin has no path");
  std::string_view host = rest.substr(
      0, rest.rfind(':') == std::string_view::npos || rest.back() == ']' ? rest.size()
                                                                         : rest.rfind(':'));
  std::string_view port = rest.substr(host.size());
  if (host.empty() || rest.find('@') != std::string_view::npos) return invalid("no host");
  if (port == ":") return invalid("no port after the colon");
  for (char c : port.substr(port.empty() ? 0 : 1)) {
    if (c < '0' || c > '9') return invalid("the port must be a number");
  }
  bool default_port =
      (scheme == "https://" && port == ":443") || (scheme == "http://" && port == ":80");
  *out = std::string(scheme) + std::string(host) + (default_port ? "" : std::string(port));
  return Status::Ok();
}

}  // namespace mqlscore
