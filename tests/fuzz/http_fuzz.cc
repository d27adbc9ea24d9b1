// libFuzzer target: what the collector does with a request before its handlers: the head read
// under its limits (bounded_server.h), the static path and Range checks (http_safety.h), the
// Origin's normalisation (origin.h) and the client address behind a proxy. The input is split at
// its first three newlines: the bytes of a request, a path, a Range header, an Origin.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "collector/admin_auth.h"
#include "collector/bounded_server.h"
#include "collector/http_safety.h"
#include "collector/origin.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view parts[4];
  for (std::string_view& part : parts) {
    std::size_t end = input.find('\n');
    part = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  }
  mqlscore::RequestLimits limits;
  limits.max_header_lines = 8;
  limits.max_head_bytes = 512;
  mqlscore::RequestHeadMeter meter(limits);
  std::size_t counted = 0;
  for (char byte : parts[0]) {
    auto verdict = meter.Count(byte);
    if (verdict == mqlscore::RequestHeadMeter::Verdict::kTooLarge) break;
    // A head still being read never grows past the limit.
    if (verdict == mqlscore::RequestHeadMeter::Verdict::kReading &&
        ++counted > limits.max_head_bytes) {
      __builtin_trap();
    }
  }
  mqlscore::IsPublicPath(parts[1]);
  mqlscore::StaysInside("/nonexistent-root", parts[1]);
  mqlscore::IsModestRange(parts[2], 4);
  std::string origin;
  mqlscore::NormalizeOrigin(parts[3], &origin).ok();
  mqlscore::ClientAddress(parts[3], parts[2]);
  mqlscore::IsLoopbackAddress(parts[3]);
  return 0;
}
