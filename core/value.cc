#include "core/value.h"

#include <algorithm>
#include <cstdint>

namespace mqlscore {

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& member : object_members()) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

void Value::DropShadowedMembers() {
  Object& members = object_members();
  if (members.size() < 2) return;
  // Sorted once rather than searched once per member: an object may have many thousands.
  std::vector<std::uint32_t> by_key(members.size());
  for (std::uint32_t i = 0; i < by_key.size(); ++i) by_key[i] = i;
  std::stable_sort(by_key.begin(), by_key.end(), [&members](std::uint32_t a, std::uint32_t b) {
    return members[a].first < members[b].first;
  });
  std::vector<char> keep(members.size(), 1);
  bool repeated = false;
  for (std::size_t i = 0; i + 1 < by_key.size(); ++i) {
    Member& first = members[by_key[i]];
    Member& next = members[by_key[i + 1]];
    if (first.first != next.first) continue;
    // Equal keys stay in text order: the run's first place takes each later value in turn.
    std::swap(first.second, next.second);
    std::swap(by_key[i], by_key[i + 1]);
    keep[by_key[i]] = 0;
    repeated = true;
  }
  if (!repeated) return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!keep[i]) continue;
    if (kept != i) members[kept] = std::move(members[i]);
    ++kept;
  }
  members.resize(kept);
}

}  // namespace mqlscore
