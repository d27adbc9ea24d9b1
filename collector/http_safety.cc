#include "collector/http_safety.h"

#include <climits>
#include <cstdlib>

namespace mqlscore {

bool IsPublicPath(std::string_view path) {
  for (std::size_t i = 0; i < path.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(path[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == '.' && (i == 0 || path[i - 1] == '/')) return false;
  }
  return true;
}

bool StaysInside(const std::string& root, std::string_view path) {
  std::string joined = root + "/" + std::string(path);
  char* real = ::realpath(joined.c_str(), nullptr);
  if (real == nullptr) return true;
  std::string resolved(real);
  std::free(real);
  return resolved == root || resolved.compare(0, root.size() + 1, root + "/") == 0;
}

bool IsModestRange(std::string_view range, int max_ranges) {
  int ranges = 1;
  for (char c : range) ranges += c == ',';
  return ranges <= max_ranges;
}

}  // namespace mqlscore
