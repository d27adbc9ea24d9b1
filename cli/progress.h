// A one-line progress display on stderr (lines, rate, percent, ETA) for long runs on a terminal.
#ifndef MQLSCORE_CLI_PROGRESS_H_
#define MQLSCORE_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>

namespace mqlscore {

class Progress {
 public:
  // Shows nothing unless `enabled`; total_bytes 0 means the size is unknown (no percent, no ETA).
  Progress(bool enabled, std::uint64_t total_bytes);
  ~Progress();

  // Cheap to call per line: only every 65,536th call reads the clock.
  void Update(std::uint64_t lines, std::uint64_t bytes) {
    if (enabled_ && (lines & 0xFFFF) == 0) Draw(lines, bytes);
  }
  void Finish();

 private:
  void Draw(std::uint64_t lines, std::uint64_t bytes);

  bool enabled_;
  bool drawn_ = false;
  std::uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_PROGRESS_H_
