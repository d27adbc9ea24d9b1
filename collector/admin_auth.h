// Who may read the leads: the team's tokens (--admin-token-file: one `name:token` per line) and
// the sessions the dashboard's sign-in trades them for. Tokens are compared in constant time and
// never kept in a log or a URL.
#ifndef MQLSCORE_COLLECTOR_ADMIN_AUTH_H_
#define MQLSCORE_COLLECTOR_ADMIN_AUTH_H_

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace mqlscore {

class AdminAuth {
 public:
  // How long a dashboard session lasts.
  static constexpr double kSessionMs = 12 * 3600 * 1000.0;

  // Reads the token file: `name:token` per line; blank lines and lines starting with # are
  // skipped. Fails (kInvalid, naming the line) for a line without a name or with a token shorter
  // than 16 characters, and for a file without any token.
  Status ReadTokenFile(const std::string& path);
  bool has_tokens() const { return !tokens_.empty(); }

  // The name of the token that equals `token`, or "" for none. Every token is compared, each in
  // constant time, so the time taken tells nothing about them.
  std::string NameForToken(std::string_view token) const;

  // A new session for `name` (32 random bytes, hex), valid kSessionMs from `now_ms`.
  std::string StartSession(const std::string& name, double now_ms);
  // The name of the session `id`, or "" when there is none or it has expired.
  std::string SessionName(std::string_view id, double now_ms);
  void EndSession(std::string_view id);

 private:
  std::vector<std::pair<std::string, std::string>> tokens_;  // name, token
  std::mutex mutex_;
  std::map<std::string, std::pair<std::string, double>, std::less<>> sessions_;  // id -> name, end
};

// Whether a peer address is this machine's loopback (127.0.0.0/8, ::1, ::ffff:127.x.x.x).
bool IsLoopbackAddress(std::string_view address);

// The client of a request from `peer` whose X-Forwarded-For header is `forwarded_for` (empty when
// it has none): a proxy on this machine (the production layout's nginx, which sets the header)
// names it there, in the header's last entry; from anywhere else the header is the client's own
// word and counts for nothing. So behind nginx, a client elsewhere is not taken for this machine.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_ADMIN_AUTH_H_
