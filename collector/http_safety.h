// Checks on what a request asks for, before the collector serves it.
#ifndef MQLSCORE_COLLECTOR_HTTP_SAFETY_H_
#define MQLSCORE_COLLECTOR_HTTP_SAFETY_H_

#include <string>
#include <string_view>

namespace mqlscore {

// Whether a (decoded) request path may name a static file: no control character (NUL included)
// and no segment starting with "." (dotfiles such as /.env, /.git/config, and "..").
bool IsPublicPath(std::string_view path);

// Whether `path` under the folder whose real path is `root` stays inside it once symbolic links
// are followed (a path that names nothing does: the server answers 404 for it). REQUIRES: `root`
// is a real path (no links, no trailing slash).
bool StaysInside(const std::string& root, std::string_view path);

// Whether a Range header asks for at most `max_ranges` ranges.
bool IsModestRange(std::string_view range, int max_ranges);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_HTTP_SAFETY_H_
