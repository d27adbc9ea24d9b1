// Success or failure with a one-line reason: how every function of core/, cli/ and collector/
// that can fail says so (a rules file's validation, which finds many problems at once, returns
// its Problems instead).
//
//   Status status = ReadJson(text, kMaxValueDepth, &value);
//   if (!status.ok()) print(status.message());
#ifndef MQLSCORE_CORE_STATUS_H_
#define MQLSCORE_CORE_STATUS_H_

#include <string>
#include <utility>

namespace mqlscore {

class Status {
 public:
  // What went wrong, so that a caller can answer each kind its own way (HTTP 400 or 503, an exit
  // status) without reading the message.
  enum class Code { kOk, kInvalid, kTooDeep, kTooLarge, kUnavailable };

  Status() = default;  // success
  static Status Ok() { return Status(); }
  // The input is not what was asked for (bad JSON, a bad event, a bad snapshot).
  static Status Invalid(std::string message) { return Status(Code::kInvalid, std::move(message)); }
  // The input nests deeper than allowed.
  static Status TooDeep(std::string message) { return Status(Code::kTooDeep, std::move(message)); }
  // The input is larger than allowed.
  static Status TooLarge(std::string message) {
    return Status(Code::kTooLarge, std::move(message));
  }
  // A resource failed (a file, the database); trying again later may succeed.
  static Status Unavailable(std::string message) {
    return Status(Code::kUnavailable, std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // "" on success.
  const std::string& message() const { return message_; }
  // The same failure with `prefix` in front of its message ("not a valid visitor snapshot: ").
  Status Prefixed(const std::string& prefix) const {
    return ok() ? *this : Status(code_, prefix + message_);
  }

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_STATUS_H_
