// Visitor ids to dense indexes (0, 1, 2, ... in order of first appearance) for `mqlscore score`,
// which looks one up per event: a flat open-addressing table probed in place, so a lookup touches
// one cache line instead of a hash bucket and a list node (std::unordered_map).
#ifndef MQLSCORE_CLI_VISITOR_INDEX_H_
#define MQLSCORE_CLI_VISITOR_INDEX_H_

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace mqlscore {

class VisitorIndex {
 public:
  // The index of `id`; a new id gets the next index and sets *added. `id_of(i)` must return the
  // id given for index i (the caller stores the ids; this table only holds parts of hashes and
  // indexes).
  template <typename IdOf>
  std::uint32_t FindOrAdd(std::string_view id, IdOf id_of, bool* added) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(id_of);
    std::uint64_t hash = Hash(id);
    std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) {
        slot = {tag, size_ + 1};
        *added = true;
        return size_++;
      }
      if (slot.tag == tag && id_of(slot.index_plus_one - 1) == id) {
        *added = false;
        return slot.index_plus_one - 1;
      }
    }
  }

  // Whether `id` has an index, and if so sets *index to it.
  template <typename IdOf>
  bool Find(std::string_view id, IdOf id_of, std::uint32_t* index) const {
    if (slots_.empty()) return false;
    std::uint64_t hash = Hash(id);
    std::uint32_t tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::size_t i = hash & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.index_plus_one == 0) return false;
      if (slot.tag == tag && id_of(slot.index_plus_one - 1) == id) {
        *index = slot.index_plus_one - 1;
        return true;
      }
    }
  }

 private:
  // 8 bytes, so the table for 10,000 visitors (256 KiB) stays in the core's cache.
  struct Slot {
    std::uint32_t tag = 0;             // the hash's high half: skips most id comparisons
    std::uint32_t index_plus_one = 0;  // 0: empty
  };

  static std::uint64_t Hash(std::string_view id) { return std::hash<std::string_view>()(id); }

  template <typename IdOf>
  void Grow(IdOf id_of) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot());
    for (const Slot& slot : old) {
      if (slot.index_plus_one == 0) continue;
      std::size_t i = Hash(id_of(slot.index_plus_one - 1)) & (slots_.size() - 1);
      while (slots_[i].index_plus_one != 0) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most half full
  std::uint32_t size_ = 0;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_VISITOR_INDEX_H_
