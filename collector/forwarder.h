// Sends what a channel's durable outbox holds (store.h): verified signals to the --forward
// webhook (a CRM, Zapier), MQL alerts to the --slack-webhook one: at least once, oldest first (so
// in order per visitor), with the signal id as Idempotency-Key, retrying with exponential backoff
// while the webhook is down or slow. A signal the webhook refuses for good (a 4xx other than 408
// and 429), or one that failed too often, goes to the dead letters (Store::Forwarding) so that it
// cannot hold up the others. With a secret, each request is signed: X-Mqlscore-Timestamp (Unix
// seconds) and X-Mqlscore-Signature
// ("sha256=" and the hex HMAC-SHA256 of the timestamp, ".", and the body).
#ifndef MQLSCORE_COLLECTOR_FORWARDER_H_
#define MQLSCORE_COLLECTOR_FORWARDER_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "collector/store.h"
#include "core/status.h"

namespace mqlscore {

class Forwarder {
 public:
  struct Options {
    std::string secret;      // empty: requests are not signed
    int max_attempts = 100;  // ~50 minutes of retries at the 30 s cap
  };
  // REQUIRES: `store` outlives the Forwarder.
  Forwarder(Store* store, Channel channel, std::string url, Options options);
  ~Forwarder();

  // Checks the URL (http[s]://host[:port]/path) and starts sending. Fails (kInvalid) when the URL
  // is unusable.
  Status Start();
  // Something new is waiting: send it now rather than at the next poll.
  void Wake();

 private:
  void Run();
  std::string Flag() const;  // the command line's flag for this channel, in messages

  Store* store_;
  Channel channel_;
  std::string url_, origin_, path_;
  Options options_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
};

// Delay before retry `attempt` (1, 2, ...): 250 ms doubling up to 30 s, with up to 25% jitter.
int RetryDelayMs(int attempt, double random01);

// Lower-case hex of HMAC-SHA256(key, message) (OpenSSL).
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_FORWARDER_H_
