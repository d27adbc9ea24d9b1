// Browser origins as --allow-origin gives them and as browsers send them (RFC 6454: scheme, host
// and port; no path).
#ifndef MQLSCORE_COLLECTOR_ORIGIN_H_
#define MQLSCORE_COLLECTOR_ORIGIN_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace mqlscore {

// Sets *out to `text` written as a browser writes an origin's Origin header: scheme and host in
// lower case, without a trailing slash, without the scheme's default port ("HTTPS://Www.Acme.com/"
// and "https://www.acme.com:443" are "https://www.acme.com"); "*" stays "*". Fails (kInvalid,
// saying what an origin is) for anything else: another scheme, a path, a query, no host.
Status NormalizeOrigin(std::string_view text, std::string* out);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_ORIGIN_H_
