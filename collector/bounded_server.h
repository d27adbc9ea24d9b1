// An HTTP server that reads every request under limits Debian's cpp-httplib 0.11 does not set:
// the number of header lines, the size of the request head, and one deadline for the whole
// request (head and body), so that a client cannot hold a thread or memory by sending 40,000
// header lines or dribbling its request in. Everything else is httplib::Server's.
#ifndef MQLSCORE_COLLECTOR_BOUNDED_SERVER_H_
#define MQLSCORE_COLLECTOR_BOUNDED_SERVER_H_

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

namespace mqlscore {

struct RequestLimits {
  // Header lines of one request, not counting the request line (nginx's default buffers hold
  // about as many).
  int max_header_lines = 100;
  // The request line and the headers together.
  std::size_t max_head_bytes = 64 * 1024;
  // From a request's first byte to the last byte of its body. A 1 MiB batch at 100 KB/s fits.
  std::chrono::milliseconds deadline{15000};
};

// Watches one request head as it is read, a byte at a time.
class RequestHeadMeter {
 public:
  enum class Verdict { kReading, kHeadDone, kTooLarge };

  explicit RequestHeadMeter(const RequestLimits& limits) : limits_(limits) {}

  // Counts the next byte of the request. kHeadDone once the blank line that ends the head has
  // been read (and for every byte after it: the body is not counted); kTooLarge as soon as the
  // head has more header lines or bytes than the limits allow.
  Verdict Count(char byte);

  // For the next request on the connection.
  void Reset();

 private:
  const RequestLimits& limits_;
  std::size_t head_bytes_ = 0;
  std::size_t line_bytes_ = 0;  // of the current line, without its "\r\n"
  int lines_ = 0;               // ended lines, the request line included
  bool done_ = false;
};

class BoundedServer : public httplib::Server {
 public:
  explicit BoundedServer(RequestLimits limits) : limits_(limits) {}
  ~BoundedServer() override;

  // Also serves the same routes on `host`:`port`, with `threads` threads of its own (so that the
  // first address's clients cannot starve it), from when Server::listen_after_bind starts until
  // stop(); a handler tells the two apart by the request's local_port. False when it cannot bind.
  // REQUIRES: called before listen_after_bind, at most once.
  bool AlsoListen(const std::string& host, int port, int threads);

 private:
  // httplib::Server's connection loop (keep-alive, timeouts) over a stream that enforces
  // limits_: a head too large is answered 431, a request past its deadline 408, and the
  // connection closed.
  bool process_and_close_socket(socket_t sock) override;

  RequestLimits limits_;
  int also_socket_ = -1;
  std::thread also_thread_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_COLLECTOR_BOUNDED_SERVER_H_
