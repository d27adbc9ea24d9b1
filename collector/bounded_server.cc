#include "collector/bounded_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mqlscore {

RequestHeadMeter::Verdict RequestHeadMeter::Count(char byte) {
  if (done_) return Verdict::kHeadDone;
  if (++head_bytes_ > limits_.max_head_bytes) return Verdict::kTooLarge;
  if (byte == '\n') {
    if (line_bytes_ == 0 && lines_ > 0) {
      done_ = true;
      return Verdict::kHeadDone;
    }
    if (line_bytes_ > 0 && ++lines_ > limits_.max_header_lines + 1) return Verdict::kTooLarge;
    line_bytes_ = 0;
  } else if (byte != '\r') {
    ++line_bytes_;
  }
  return Verdict::kReading;
}

void RequestHeadMeter::Reset() {
  head_bytes_ = 0;
  line_bytes_ = 0;
  lines_ = 0;
  done_ = false;
}

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Whether `sock` becomes ready for `events` within `wait`.
bool WaitFor(socket_t sock, short events, milliseconds wait) {
  if (wait.count() <= 0) return false;
  pollfd fd{sock, events, 0};
  int ready;
  do {
    ready = ::poll(&fd, 1, static_cast<int>(std::min<milliseconds::rep>(wait.count(), INT_MAX)));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

// A connection's socket read through a buffer, each request's head through a RequestHeadMeter
// and within its deadline. Once a request is refused, the refusal is the last thing written.
class BoundedStream : public httplib::Stream {
 public:
  BoundedStream(socket_t sock, const RequestLimits& limits, milliseconds read_timeout,
                milliseconds write_timeout)
      : sock_(sock),
        limits_(limits),
        meter_(limits),
        read_timeout_(read_timeout),
        write_timeout_(write_timeout) {}

  // Whether the next request begins within `idle` (or has begun: pipelined bytes are buffered).
  // Returns early, false, once `stopping` says so.
  template <typename Stopping>
  bool WaitForRequest(milliseconds idle, Stopping stopping) {
    if (begin_ < end_) return true;
    for (auto until = Clock::now() + idle; Clock::now() < until && !stopping();) {
      if (WaitFor(sock_, POLLIN, milliseconds(100))) return true;
    }
    return false;
  }

  void StartRequest() {
    meter_.Reset();
    deadline_ = Clock::now() + limits_.deadline;
  }

  bool refused() const { return refused_; }

  // Reads and drops what the client still sends after its refusal, for a little while, before
  // the connection closes: closed on unread bytes, the socket would answer with a reset that can
  // destroy the refusal before the client reads it.
  void LingerAfterRefusal() {
    ::shutdown(sock_, SHUT_WR);
    char sink[16384];
    std::size_t drained = 0;
    for (auto until = Clock::now() + std::chrono::seconds(2);
         Clock::now() < until && drained < (4u << 20) &&
         WaitFor(sock_, POLLIN, milliseconds(500));) {
      ssize_t n = ::recv(sock_, sink, sizeof sink, 0);
      if (n <= 0) break;
      drained += static_cast<std::size_t>(n);
    }
  }

  bool is_readable() const override { return begin_ < end_ || WaitFor(sock_, POLLIN, ReadWait()); }

  bool is_writable() const override { return !refused_ && WaitFor(sock_, POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    if (begin_ == end_) {
      milliseconds wait = ReadWait();
      if (!WaitFor(sock_, POLLIN, wait)) {
        if (wait < read_timeout_) {
          char seconds[32];
          std::snprintf(seconds, sizeof seconds, "%g", limits_.deadline.count() / 1000.0);
          return Refuse(408, "Request Timeout",
                        std::string("the request was not read within ") + seconds + " s");
        }
        return -1;
      }
      ssize_t received;
      do {
        received = ::recv(sock_, buffer_, sizeof buffer_, 0);
      } while (received < 0 && errno == EINTR);
      if (received <= 0) return received;
      begin_ = 0;
      end_ = static_cast<std::size_t>(received);
    }
    std::size_t n = std::min(size, end_ - begin_);
    for (std::size_t i = 0; i < n; ++i) {
      if (meter_.Count(buffer_[begin_ + i]) == RequestHeadMeter::Verdict::kTooLarge) {
        return Refuse(431, "Request Header Fields Too Large",
                      "the request head has more than " + std::to_string(limits_.max_header_lines) +
                          " header lines or " + std::to_string(limits_.max_head_bytes) + " bytes");
      }
    }
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (refused_ || !WaitFor(sock_, POLLOUT, write_timeout_)) return -1;
    ssize_t sent;
    do {
      sent = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    return sent;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    Address(::getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    Address(::getsockname, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // The read timeout, cut short by the request's deadline.
  milliseconds ReadWait() const {
    return std::min(read_timeout_, std::chrono::ceil<milliseconds>(deadline_ - Clock::now()));
  }

  // Answers `status` itself (httplib would answer 400 to a head cut short) and fails every read
  // and write after it, so that the connection closes.
  ssize_t Refuse(int status, const char* reason, const std::string& why) {
    std::string body = "{\"error\":\"" + why + "\"}";
    std::string answer =
        "HTTP/1.1 " + std::to_string(status) + " " + reason +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" + body;
    write(answer.data(), answer.size());
    refused_ = true;
    return -1;
  }

  template <typename GetName>
  void Address(GetName get_name, std::string& ip, int& port) const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (get_name(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
        ::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service,
                      sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(service);
    }
  }

  socket_t sock_;
  const RequestLimits& limits_;
  RequestHeadMeter meter_;
  milliseconds read_timeout_;
  milliseconds write_timeout_;
  Clock::time_point deadline_ = Clock::now();
  char buffer_[4096];
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool refused_ = false;
};

}  // namespace

BoundedServer::~BoundedServer() {
  if (also_thread_.joinable()) also_thread_.join();
  if (also_socket_ >= 0) ::close(also_socket_);
}

bool BoundedServer::AlsoListen(const std::string& host, int port, int threads) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
  int sock = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  int yes = 1;
  bool bound = sock >= 0 && ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) == 0 &&
               ::bind(sock, found->ai_addr, found->ai_addrlen) == 0 && ::listen(sock, 128) == 0;
  ::freeaddrinfo(found);
  if (!bound) {
    if (sock >= 0) ::close(sock);
    return false;
  }
  also_socket_ = sock;
  also_thread_ = std::thread([this, threads] {
    while (!is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    httplib::ThreadPool pool(static_cast<std::size_t>(threads));
    while (is_running()) {
      if (!WaitFor(also_socket_, POLLIN, milliseconds(100))) continue;
      int client = ::accept4(also_socket_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      int on = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      pool.enqueue([this, client] { process_and_close_socket(client); });
    }
    pool.shutdown();
  });
  return true;
}

bool BoundedServer::process_and_close_socket(socket_t sock) {
  using std::chrono::seconds;
  auto read_timeout = std::chrono::duration_cast<milliseconds>(
      seconds(read_timeout_sec_) + std::chrono::microseconds(read_timeout_usec_));
  auto write_timeout = std::chrono::duration_cast<milliseconds>(
      seconds(write_timeout_sec_) + std::chrono::microseconds(write_timeout_usec_));
  BoundedStream stream(sock, limits_, read_timeout, write_timeout);
  bool ok = true;
  auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  for (std::size_t left = keep_alive_max_count_; left > 0 && !stopping(); --left) {
    if (!stream.WaitForRequest(seconds(keep_alive_timeout_sec_), stopping)) break;
    stream.StartRequest();
    bool closed = false;
    ok = process_request(stream, left == 1, closed, nullptr);
    if (!ok || closed) break;
  }
  if (stream.refused()) stream.LingerAfterRefusal();
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace mqlscore
