#include "collector/forwarder.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

namespace mqlscore {

int RetryDelayMs(int attempt, double random01) {
  double base = std::min(30000.0, 250.0 * (1 << std::min(attempt - 1, 16)));
  return static_cast<int>(base * (1.0 - 0.25 * random01));
}

Forwarder::Forwarder(Store* store, std::string url) : store_(store), url_(std::move(url)) {}

Forwarder::~Forwarder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status Forwarder::Start() {
  std::size_t scheme_end = url_.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url_.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Status::Invalid("--forward needs an http:// or https:// URL (got " + url_ + ")");
  }
  std::size_t slash = url_.find('/', scheme_end + 3);
  origin_ = url_.substr(0, slash);
  path_ = slash == std::string::npos ? "/" : url_.substr(slash);
  if (origin_.size() == scheme_end + 3) {
    return Status::Invalid("--forward: no host in " + url_);
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Forwarder::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Forwarder::Run() {
  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0, 1);
  httplib::Client client(origin_);  // https:// through Debian's OpenSSL build of cpp-httplib
  client.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
  client.enable_server_certificate_verification(true);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  client.set_write_timeout(10);
  while (true) {
    int wait_ms = 1000;  // poll interval when nothing waits
    Store::Outgoing item;
    bool found = false;
    Status status = store_->NextOutgoing(&item, &found);
    if (status.ok() && found) {
      httplib::Headers headers = {{"Idempotency-Key", item.id}};
      auto result = client.Post(path_.c_str(), headers, item.body, "application/json");
      if (result && result->status >= 200 && result->status < 300) {
        status = store_->MarkForwarded(item.seq);
        wait_ms = 0;
      } else {
        status = store_->MarkAttempt(item.seq);
        wait_ms = RetryDelayMs(item.attempts + 1, jitter(random));
      }
    }
    if (!status.ok()) {
      std::fprintf(stderr, "mqlscore-collector: forwarding: %s\n", status.message().c_str());
      wait_ms = std::max(wait_ms, 1000);
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait_ms > 0) {
      wake_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                     [this] { return stopping_ || woken_; });
    }
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace mqlscore
