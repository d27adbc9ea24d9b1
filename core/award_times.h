// The times of one rule's awards inside its rolling day/week window, oldest first (contract §3,
// `limit`). Up to kInline times are held in place: limits allow a few awards per window, and a
// heap block per rule cost a cache miss on every limit check of `mqlscore score`. More (a
// restored snapshot may hold any number) move to the heap.
#ifndef MQLSCORE_CORE_AWARD_TIMES_H_
#define MQLSCORE_CORE_AWARD_TIMES_H_

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace mqlscore {

class AwardTimes {
 public:
  AwardTimes() = default;
  AwardTimes(const AwardTimes& other) { Assign(other.begin(), other.size_); }
  AwardTimes(AwardTimes&& other) noexcept { Take(&other); }
  AwardTimes& operator=(const AwardTimes& other) {
    if (this != &other) {
      Release();
      Assign(other.begin(), other.size_);
    }
    return *this;
  }
  AwardTimes& operator=(AwardTimes&& other) noexcept {
    if (this != &other) {
      Release();
      Take(&other);
    }
    return *this;
  }
  ~AwardTimes() { Release(); }

  std::uint32_t size() const { return size_; }
  const double* begin() const { return on_heap() ? heap_ : inline_; }
  const double* end() const { return begin() + size_; }

  void push_back(double ts) {
    if (size_ == capacity_) Grow();
    data()[size_++] = ts;
  }

  // Drops the times at or before `ts` (they are the oldest).
  void DropThrough(double ts) {
    double* times = data();
    std::uint32_t expired = 0;
    while (expired < size_ && times[expired] <= ts) ++expired;
    if (expired == 0) return;
    std::memmove(times, times + expired, (size_ - expired) * sizeof(double));
    size_ -= expired;
  }

  bool operator==(const AwardTimes& o) const {
    return std::equal(begin(), end(), o.begin(), o.end());
  }

 private:
  static constexpr std::uint32_t kInline = 3;

  bool on_heap() const { return capacity_ > kInline; }
  double* data() { return on_heap() ? heap_ : inline_; }

  void Grow() {
    std::uint32_t capacity = capacity_ * 2;
    double* grown = new double[capacity];
    std::memcpy(grown, data(), size_ * sizeof(double));
    if (on_heap()) delete[] heap_;
    heap_ = grown;
    capacity_ = capacity;
  }

  void Assign(const double* times, std::uint32_t size) {
    if (size > kInline) {
      heap_ = new double[size];
      capacity_ = size;
    }
    std::memcpy(data(), times, size * sizeof(double));
    size_ = size;
  }

  void Take(AwardTimes* other) {
    std::memcpy(static_cast<void*>(this), static_cast<const void*>(other), sizeof(AwardTimes));
    other->size_ = 0;
    other->capacity_ = kInline;
  }

  // Back to empty, in place.
  void Release() {
    if (on_heap()) delete[] heap_;
    size_ = 0;
    capacity_ = kInline;
  }

  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = kInline;
  union {
    double inline_[kInline];
    double* heap_;
  };
};

}  // namespace mqlscore

#endif  // MQLSCORE_CORE_AWARD_TIMES_H_
