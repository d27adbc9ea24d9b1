// A token bucket per client: `per_second` requests a second on average, `burst` at once.
#ifndef MQLSCORE_COLLECTOR_RATE_LIMIT_H_
#define MQLSCORE_COLLECTOR_RATE_LIMIT_H_

#include <map>
#include <mutex>
#include <string>

namespace mqlscore {

class RateLimiter {
 public:
  // REQUIRES: per_second > 0, burst >= 1.
  RateLimiter(double per_second, double burst) : per_second_(per_second), burst_(burst) {}

  // Takes one request of `client` at `now_s` (seconds, any steady clock). Returns 0 when it may
  // go on, else the whole seconds to wait before the next one may (for Retry-After).
  int Take(const std::string& client, double now_s);

 private:
  struct Bucket {
    double tokens;
    double at_s;
  };
  double per_second_, burst_;
  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_RATE_LIMIT_H_
