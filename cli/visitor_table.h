// The visitors of a log, each with a value of its own, found by id per event: VisitorIndex over a
// vector of ids and a vector of values, in order of first appearance.
#ifndef MQLSCORE_CLI_VISITOR_TABLE_H_
#define MQLSCORE_CLI_VISITOR_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/visitor_index.h"

namespace mqlscore {

// Every visitor of the log with a T each, in order of first appearance.
template <typename T>
class VisitorTable {
 public:
  // The visitor's index; at its first event its T is made by make(id).
  template <typename Make>
  std::uint32_t IndexOf(std::string_view id, Make make) {
    bool added;
    std::uint32_t index = by_id_.FindOrAdd(
        id, [this](std::uint32_t i) -> std::string_view { return ids_[i]; }, &added);
    if (added) {
      ids_.emplace_back(id);
      items_.push_back(make(ids_.back()));
    }
    return index;
  }
  std::size_t size() const { return ids_.size(); }
  const std::string& id(std::size_t i) const { return ids_[i]; }
  T& operator[](std::size_t i) { return items_[i]; }
  // Whether `id` is one of them.
  bool Has(std::string_view id, std::uint32_t* index) const {
    return by_id_.Find(
        id, [this](std::uint32_t i) -> std::string_view { return ids_[i]; }, index);
  }

 private:
  VisitorIndex by_id_;
  std::vector<std::string> ids_;
  std::vector<T> items_;
};

}  // namespace mqlscore

#endif  // MQLSCORE_CLI_VISITOR_TABLE_H_
