#include "cli/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mqlscore {
namespace {
// Small enough that a chunk is still in the core's cache (L2) when simdjson indexes it and again
// when its lines are scored: with 1 MiB chunks, every byte was fetched from memory three times.
constexpr std::size_t kChunk = 1 << 16;
}  // namespace

LineReader::LineReader(int fd, std::size_t max_line_bytes)
    : fd_(fd), max_line_(max_line_bytes), buffer_(kChunk + kPadding) {}

bool LineReader::Fill() {
  ++fills_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - kPadding - end_ < kChunk / 2) {
    buffer_.resize(buffer_.size() + kChunk);
  }
  while (true) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - kPadding - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) eof_ = true;
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

LineReader::Result LineReader::Next(std::string_view* line) {
  bool skipping = false;  // inside a line that is too long
  std::size_t scanned = begin_;
  while (true) {
    char* start = buffer_.data() + begin_;
    char* newline = static_cast<char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned));
    if (newline != nullptr || (eof_ && end_ > begin_)) {
      char* stop = newline != nullptr ? newline : buffer_.data() + end_;
      std::size_t length = static_cast<std::size_t>(stop - start);
      std::size_t next = begin_ + length + (newline != nullptr ? 1 : 0);
      consumed_ += next - begin_;
      begin_ = next;
      ++line_number_;
      if (skipping || length > max_line_) return Result::kTooLong;
      if (length > 0 && start[length - 1] == '\r') --length;
      *line = std::string_view(start, length);
      return Result::kLine;
    }
    if (eof_) {
      if (!skipping) return Result::kEnd;
      ++line_number_;
      return Result::kTooLong;
    }
    if (end_ - begin_ > max_line_) {  // drop what we have of an overlong line
      consumed_ += end_ - begin_;
      begin_ = end_;
      skipping = true;
    }
    std::size_t pending = end_ - begin_;
    if (!Fill()) return Result::kError;
    scanned = begin_ + pending;
  }
}

}  // namespace mqlscore
