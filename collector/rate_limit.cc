#include "collector/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace mqlscore {

int RateLimiter::Take(const std::string& client, double now_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Full buckets are forgotten now and then, so that many clients cost no more than a few.
  if (buckets_.size() > 100000) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      bool full = it->second.tokens + (now_s - it->second.at_s) * per_second_ >= burst_;
      it = full ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, added] = buckets_.try_emplace(client, Bucket{burst_, now_s});
  Bucket& bucket = it->second;
  bucket.tokens = std::min(burst_, bucket.tokens + (now_s - bucket.at_s) * per_second_);
  bucket.at_s = now_s;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1 - bucket.tokens) / per_second_)));
}

}  // namespace mqlscore
