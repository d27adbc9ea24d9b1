// Reads a file descriptor line by line in 64 KiB chunks, with room after every line for
// simdjson's padding. Memory stays bounded by the longest accepted line.
#ifndef MQLSCORE_CLI_LINE_READER_H_
#define MQLSCORE_CLI_LINE_READER_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace mqlscore {

class LineReader {
 public:
  // Lines longer than max_line_bytes are reported as too long and skipped whole.
  LineReader(int fd, std::size_t max_line_bytes);

  enum class Result { kLine, kTooLong, kEnd, kError };
  // On kLine, *line views the line without its '\n' (and without a trailing '\r'); it stays
  // valid until the next call, and `padding` readable bytes follow it.
  Result Next(std::string_view* line);

  std::uint64_t line_number() const { return line_number_; }
  std::uint64_t bytes_consumed() const { return consumed_; }
  // Counts the reads into the buffer: views of earlier lines and of Ahead() are invalid once it
  // changes.
  std::uint64_t fills() const { return fills_; }
  // What is buffered after the line last returned, as read (possibly ending inside a line); valid
  // until fills() changes, with `padding` readable bytes after it.
  std::string_view Ahead() const {
    return std::string_view(buffer_.data() + begin_, end_ - begin_);
  }
  static constexpr std::size_t kPadding = 64;

 private:
  bool Fill();

  int fd_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t line_number_ = 0;
  std::uint64_t consumed_ = 0;
  std::uint64_t fills_ = 0;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_LINE_READER_H_
