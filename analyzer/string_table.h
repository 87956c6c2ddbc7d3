// string_table.h: a flat hash table from (scope, string_view) to an index.
//
// Model::finalize indexes every resource by address, id and ARN; with
// std::unordered_map that is one heap node per key, scattered over the heap,
// and a lookup chases bucket -> node -> key. StringTable keeps the hash, the
// key and the value together in one array (open addressing, linear
// probing), so a lookup usually touches one slot and compares a key only
// when the full hash matches. Keys are views: the strings must outlive the
// table. The first insertion of a key wins, as with emplace().
#ifndef DRCHECK_ANALYZER_STRING_TABLE_H_
#define DRCHECK_ANALYZER_STRING_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace drcheck {

class StringTable {
 public:
  // The hash emplace() and find() take, so one hash serves several tables.
  static uint64_t hash(std::string_view key) {
    return std::hash<std::string_view>()(key);
  }

  // Empties the table and sizes it for `expected` keys.
  void reset(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected + expected / 2) capacity *= 2;
    resize(capacity);
    size_ = 0;
  }

  // Maps (scope, key) to value >= 0 unless the pair is present already.
  void emplace(uint64_t h, int scope, std::string_view key, int value) {
    if (slots_.empty() || (size_ + 1) * 3 > slots_.size() * 2) {
      grow();
    }
    h = mix(h, scope);
    for (size_t i = start(h);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value < 0) {
        s = Slot{h, key, scope, value};
        ++size_;
        return;
      }
      if (s.hash == h && s.scope == scope && s.key == key) return;
    }
  }
  void emplace(std::string_view key, int value) {
    emplace(hash(key), 0, key, value);
  }

  // The value of (scope, key); -1 when absent.
  int find(uint64_t h, int scope, std::string_view key) const {
    if (slots_.empty()) return -1;
    h = mix(h, scope);
    for (size_t i = start(h);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value < 0) return -1;
      if (s.hash == h && s.scope == scope && s.key == key) return s.value;
    }
  }
  int find(std::string_view key) const { return find(hash(key), 0, key); }

 private:
  struct Slot {
    uint64_t hash = 0;
    std::string_view key;
    int scope = 0;
    int value = -1;  // -1: empty slot
  };

  static uint64_t mix(uint64_t h, int scope) {
    return h ^ (static_cast<uint64_t>(static_cast<uint32_t>(scope)) *
                0xC2B2AE3D27D4EB4Full);
  }
  // The first slot to probe: the top bits of a Fibonacci hash.
  size_t start(uint64_t h) const {
    return static_cast<size_t>((h * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void resize(size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c /= 2) --shift_;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    resize(old.empty() ? 16 : old.size() * 2);
    for (const Slot& s : old) {
      if (s.value < 0) continue;
      for (size_t i = start(s.hash);; i = (i + 1) & mask_) {
        if (slots_[i].value < 0) {
          slots_[i] = s;
          break;
        }
      }
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
};

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_STRING_TABLE_H_
