// Forwards verified signals to a downstream webhook (a CRM, Zapier, Slack) from the durable
// forwarding outbox: at least once, oldest first (so in order per visitor), with the signal id as
// Idempotency-Key, retrying with exponential backoff while the webhook is down or slow.
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
  // REQUIRES: `store` outlives the Forwarder.
  Forwarder(Store* store, std::string url);
  ~Forwarder();

  // Checks the URL (http[s]://host[:port]/path) and starts sending. Fails (kInvalid) when the URL
  // is unusable.
  Status Start();
  // Something new is waiting: send it now rather than at the next poll.
  void Wake();

 private:
  void Run();

  Store* store_;
  std::string url_, origin_, path_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
};

// Delay before retry `attempt` (1, 2, ...): 250 ms doubling up to 30 s, with up to 25% jitter.
int RetryDelayMs(int attempt, double random01);

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_FORWARDER_H_
