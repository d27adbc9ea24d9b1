#include "collector/forwarder.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace mqlscore {

int RetryDelayMs(int attempt, double random01) {
  double base = std::min(30000.0, 250.0 * (1 << std::min(attempt - 1, 16)));
  return static_cast<int>(base * (1.0 - 0.25 * random01));
}

Forwarder::Forwarder(Store* store, Channel channel, std::string url, Options options)
    : store_(store), channel_(channel), url_(std::move(url)), options_(std::move(options)) {}

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &size);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[mac[i] >> 4]);
    hex.push_back(kHex[mac[i] & 0xF]);
  }
  return hex;
}

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
    return Status::Invalid(Flag() + " needs an http:// or https:// URL (got " + url_ + ")");
  }
  std::size_t slash = url_.find('/', scheme_end + 3);
  origin_ = url_.substr(0, slash);
  path_ = slash == std::string::npos ? "/" : url_.substr(slash);
  if (origin_.size() == scheme_end + 3) {
    return Status::Invalid(Flag() + ": no host in " + url_);
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

std::string Forwarder::Flag() const {
  return channel_ == Channel::kSlack ? "--slack-webhook" : "--forward";
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
    Status status = store_->NextOutgoing(channel_, &item, &found);
    if (status.ok() && found) {
      httplib::Headers headers = {{"Idempotency-Key", item.id}};
      if (!options_.secret.empty()) {
        std::string timestamp = std::to_string(std::time(nullptr));
        headers.emplace("X-Mqlscore-Timestamp", timestamp);
        headers.emplace("X-Mqlscore-Signature",
                        "sha256=" + HmacSha256Hex(options_.secret, timestamp + "." + item.body));
      }
      auto result = client.Post(path_.c_str(), headers, item.body, "application/json");
      int answer = result ? result->status : 0;
      bool refused = answer >= 400 && answer < 500 && answer != 408 && answer != 429;
      if (answer >= 200 && answer < 300) {
        status = store_->MarkForwarded(channel_, item.seq);
        wait_ms = 0;
      } else if (refused || item.attempts + 1 >= options_.max_attempts) {
        std::string why =
            refused
                ? "refused with HTTP " + std::to_string(answer)
                : "no success in " + std::to_string(item.attempts + 1) + " attempts (last: " +
                      (answer ? "HTTP " + std::to_string(answer) : std::string("no answer")) + ")";
        status = store_->MoveToDeadLetter(channel_, item.seq, answer, why);
        std::fprintf(stderr, "mqlscore-collector: forwarding: signal %s to the dead letters: %s\n",
                     item.id.c_str(), why.c_str());
        wait_ms = 0;
      } else {
        status = store_->MarkAttempt(channel_, item.seq);
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
