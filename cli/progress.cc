#include "cli/progress.h"

#include <cstdio>

namespace mqlscore {

Progress::Progress(bool enabled, std::uint64_t total_bytes)
    : enabled_(enabled), total_bytes_(total_bytes) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Draw(std::uint64_t lines, std::uint64_t bytes) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double rate = seconds > 0 ? lines / seconds : 0;
  if (total_bytes_ > 0 && bytes > 0) {
    double fraction = static_cast<double>(bytes) / static_cast<double>(total_bytes_);
    double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    std::fprintf(stderr, "\r\033[K%llu lines  %.0f lines/s  %3.0f%%  ETA %.0fs",
                 static_cast<unsigned long long>(lines), rate, fraction * 100, eta);
  } else {
    std::fprintf(stderr, "\r\033[K%llu lines  %.0f lines/s", static_cast<unsigned long long>(lines),
                 rate);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace mqlscore
