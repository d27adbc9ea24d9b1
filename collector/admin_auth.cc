#include "collector/admin_auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <fstream>

namespace mqlscore {

Status AdminAuth::ReadTokenFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Status::Invalid("--admin-token-file " + path + ": cannot be read");
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::size_t colon = line.find(':');
    std::string where = "--admin-token-file " + path + ":" + std::to_string(number) + ": ";
    if (colon == std::string::npos || colon == 0) {
      return Status::Invalid(where + "expected name:token");
    }
    if (line.size() - colon - 1 < 16) {
      return Status::Invalid(where + "the token must be at least 16 characters");
    }
    tokens_.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  if (tokens_.empty()) return Status::Invalid("--admin-token-file " + path + ": no token in it");
  return Status::Ok();
}

std::string AdminAuth::NameForToken(std::string_view token) const {
  std::string found;
  for (const auto& [name, expected] : tokens_) {
    bool same = expected.size() == token.size() &&
                CRYPTO_memcmp(expected.data(), token.data(), token.size()) == 0;
    if (same && found.empty()) found = name;
  }
  return found;
}

std::string AdminAuth::StartSession(const std::string& name, double now_ms) {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0xF]);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.second <= now_ms ? sessions_.erase(it) : std::next(it);
  }
  sessions_[id] = {name, now_ms + kSessionMs};
  return id;
}

std::string AdminAuth::SessionName(std::string_view id, double now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.second <= now_ms) return "";
  return it->second.first;
}

void AdminAuth::EndSession(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) sessions_.erase(it);
}

bool IsLoopbackAddress(std::string_view address) {
  if (address.rfind("::ffff:", 0) == 0) address.remove_prefix(7);
  return address == "::1" || address.rfind("127.", 0) == 0;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for) {
  if (forwarded_for.empty() || !IsLoopbackAddress(peer)) return std::string(peer);
  std::string_view last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
  std::size_t first = last.find_first_not_of(' ');
  if (first == std::string_view::npos) return std::string(peer);
  last = last.substr(first, last.find_last_not_of(' ') - first + 1);
  return std::string(last);
}

}  // namespace mqlscore
