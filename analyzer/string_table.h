// string_table.h: a flat hash table from (scope, string_view) to an index.
//
// Model::finalize indexes every resource by address, id and ARN; with
// std::unordered_map that is one heap node per key, scattered over the heap,
// and a lookup chases bucket -> node -> key. StringTable keeps the hash, the
// key and the value together in one array (open addressing, linear
// probing), so a lookup usually touches one slot and compares a key only
// when the full hash matches. Keys are views: the strings must outlive the
// table. The first insertion of a key wins, as with emplace().
//
// A large table can be built on several threads: assign() takes its keys
// gathered by chunks of work (Keys), splits the slots into kGroups shards by
// the top bits of the hash (a key probes only inside its shard), and fills
// each shard on one thread, taking the shard's keys in insertion order.
// Equal keys land in the same shard, so the first insertion still wins,
// and the table does not depend on the number of threads.
#ifndef DRCHECK_ANALYZER_STRING_TABLE_H_
#define DRCHECK_ANALYZER_STRING_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/parallel.h"

namespace drcheck {

class StringTable {
 public:
  // Shards of a table that assign() builds in parallel.
  static constexpr size_t kGroups = 16;

  // The hash emplace(), find() and Keys::add() take: always hash(key) of
  // the key itself, so one hash serves several tables.
  static uint64_t hash(std::string_view key) {
    return std::hash<std::string_view>()(key);
  }

  // Keys gathered for assign() by chunks of work that may run on different
  // threads: add(c, ...) for the keys of chunk c, in order, from one thread
  // at a time. assign() inserts them as if chunk 0's keys came first, then
  // chunk 1's, and so on.
  class Keys {
   public:
    explicit Keys(size_t chunks) : runs_(chunks * kGroups) {}
    // Room for about `keys` keys of `chunk`.
    void reserve(size_t chunk, size_t keys) {
      for (size_t g = 0; g < kGroups; ++g) {
        runs_[chunk * kGroups + g].reserve(keys / kGroups + keys / 64 + 4);
      }
    }
    void add(size_t chunk, uint64_t h, int scope, std::string_view key,
             int value) {
      uint64_t mixed = mix(h, scope);
      runs_[chunk * kGroups + group_of(mixed)].push_back(
          {mixed, key.data(), static_cast<uint32_t>(key.size()), value});
    }

    size_t size() const {
      size_t n = 0;
      for (const auto& run : runs_) n += run.size();
      return n;
    }

   private:
    friend class StringTable;
    struct Key {
      uint64_t hash;  // hash(key) mixed with the scope
      const char* data;
      uint32_t size;
      int value;
    };
    // Chunk-major: the keys of chunk c and group g are runs_[c * kGroups + g].
    std::vector<std::vector<Key>> runs_;
  };

  // Empties the table and sizes it for `expected` keys.
  void reset(size_t expected) {
    allocate(capacity_for(expected), 1);
    clear_slots(0, slots_.size());
    size_ = 0;
  }

  // Empties the table and inserts `keys` as emplace() would (the first of
  // equal (scope, key) wins), on up to `jobs` threads. Lookups give the same
  // answers for any `jobs`.
  void assign(const Keys& keys, unsigned jobs) {
    StringTable* table = this;
    assign({&table, 1}, {&keys, 1}, jobs);
  }
  // The same for tables[i] and keys[i], all at once.
  static void assign(std::span<StringTable* const> tables,
                     std::span<const Keys> keys, unsigned jobs) {
    // Large tables are filled shard by shard in parallel, small ones whole
    // in the calling thread.
    std::vector<size_t> sharded;
    for (size_t t = 0; t < tables.size(); ++t) {
      if (!tables[t]->prepare(keys[t])) sharded.push_back(t);
    }
    parallel_for(sharded.size() * kGroups, jobs, [&](size_t task) {
      size_t t = sharded[task / kGroups];
      tables[t]->fill_shard(keys[t], task % kGroups);
    });
    for (size_t t : sharded) tables[t]->finish(keys[t]);
  }

  // Maps (scope, key) to value >= 0 unless the pair is present already.
  void emplace(uint64_t h, int scope, std::string_view key, int value) {
    if (slots_.empty() || shards_ > 1 || (size_ + 1) * 3 > slots_.size() * 2) {
      rehash(std::max<size_t>(capacity_for(size_ + 1), slots_.size()));
    }
    h = mix(h, scope);
    if (insert(h, key, value, start(h))) ++size_;
  }
  void emplace(std::string_view key, int value) {
    emplace(hash(key), 0, key, value);
  }

  // The value of (scope, key); -1 when absent.
  int find(uint64_t h, int scope, std::string_view key) const {
    if (slots_.empty()) return -1;
    h = mix(h, scope);
    for (size_t i = start(h);; i = next(i)) {
      const Slot& s = slots_[i];
      if (s.value < 0) return -1;
      if (s.hash == h && s.key() == key) return s.value;
    }
  }
  int find(std::string_view key) const { return find(hash(key), 0, key); }

  // How many keys the table holds.
  size_t size() const { return size_; }

 private:
  // Left uninitialized on allocation: clear_slots() fills them, in the
  // thread that fills the shard. Equal mixed hashes of equal keys imply
  // equal scopes (mix() is one-to-one in the scope), so a slot needs no
  // scope.
  struct Slot {
    Slot() {}  // NOLINT: see above
    uint64_t hash;
    const char* data;
    uint32_t size;
    int value;  // -1: empty slot
    std::string_view key() const { return {data, size}; }
  };

  static constexpr size_t kMinShardSlots = 1024;
  static constexpr size_t kAhead = 8;

  static size_t capacity_for(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected + expected / 2) capacity *= 2;
    return capacity;
  }

  static uint64_t mix(uint64_t h, int scope) {
    return h ^ (static_cast<uint64_t>(static_cast<uint32_t>(scope)) *
                0xC2B2AE3D27D4EB4Full);
  }
  static uint64_t fibonacci(uint64_t h) { return h * 0x9E3779B97F4A7C15ull; }
  // The shard of a mixed hash in a table of kGroups shards: the top bits
  // of start().
  static size_t group_of(uint64_t h) {
    return static_cast<size_t>(fibonacci(h) >> 60);
  }
  static_assert(kGroups == 16, "group_of() takes the top 4 bits");

  // The first slot to probe: the top bits of a Fibonacci hash.
  size_t start(uint64_t h) const {
    return static_cast<size_t>(fibonacci(h) >> shift_);
  }
  // The slot after `i` in its shard (wrapping around inside the shard).
  size_t next(size_t i) const {
    return (i & ~shard_mask_) | ((i + 1) & shard_mask_);
  }

  // Inserts (h, key) probing from slot `i` unless present; true if new.
  bool insert(uint64_t h, std::string_view key, int value, size_t i) {
    for (;; i = next(i)) {
      Slot& s = slots_[i];
      if (s.value < 0) {
        s.hash = h;
        s.data = key.data();
        s.size = static_cast<uint32_t>(key.size());
        s.value = value;
        return true;
      }
      if (s.hash == h && s.key() == key) return false;
    }
  }

  // Sizes the table for `keys`; builds it whole and returns true when it is
  // too small to shard.
  bool prepare(const Keys& keys) {
    size_t total = keys.size();
    size_t capacity = capacity_for(total);
    if (capacity < kGroups * kMinShardSlots) {
      reset(total);
      insert_all(keys.runs_);
      return true;
    }
    allocate(capacity, kGroups);
    counts_.assign(kGroups, 0);
    return false;
  }

  // A shard fuller than this (keys crowding into one range of hashes)
  // sends the whole table to the one-shard build in finish().
  size_t shard_limit() const { return shard_mask_ + 1 - (shard_mask_ + 1) / 8; }

  // Inserts the keys of shard `g` in order (one thread per shard).
  void fill_shard(const Keys& keys, size_t g) {
    const size_t shard_slots = shard_mask_ + 1;
    clear_slots(g * shard_slots, (g + 1) * shard_slots);
    const size_t limit = shard_limit();
    size_t& count = counts_[g];
    const auto& runs = keys.runs_;
    for (size_t r = g; r < runs.size(); r += kGroups) {
      const std::vector<Keys::Key>& run = runs[r];
      for (size_t j = 0; j < run.size(); ++j) {
        // A repeated key is compared byte by byte: fetch the bytes of a
        // key a few ahead, and its slot, while this one goes in.
        if (j + kAhead < run.size()) {
          const Keys::Key& ahead = run[j + kAhead];
          __builtin_prefetch(ahead.data);
          __builtin_prefetch(&slots_[start(ahead.hash)]);
        }
        const Keys::Key& k = run[j];
        if (insert(k.hash, {k.data, k.size}, k.value, start(k.hash)) &&
            ++count > limit) {
          return;
        }
      }
    }
  }

  // Sums the shards' counts, or rebuilds an overfull table in one shard.
  void finish(const Keys& keys) {
    size_ = 0;
    for (size_t count : counts_) {
      if (count > shard_limit()) {
        reset(keys.size());
        insert_all(keys.runs_);
        break;
      }
      size_ += count;
    }
    counts_.clear();
    counts_.shrink_to_fit();
  }

  // Inserts every key in a one-shard table sized for them. Equal keys share
  // a group, so taking group by group keeps their order.
  void insert_all(const std::vector<std::vector<Keys::Key>>& runs) {
    for (size_t g = 0; g < kGroups; ++g) {
      for (size_t r = g; r < runs.size(); r += kGroups) {
        for (const Keys::Key& k : runs[r]) {
          if (insert(k.hash, {k.data, k.size}, k.value, start(k.hash))) {
            ++size_;
          }
        }
      }
    }
  }

  void clear_slots(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) slots_[i].value = -1;
  }

  void allocate(size_t capacity, size_t shards) {
    slots_ = std::vector<Slot>(capacity);
    shift_ = 64;
    for (size_t c = capacity; c > 1; c /= 2) --shift_;
    shards_ = shards;
    shard_mask_ = capacity / shards - 1;
  }

  // Moves every key into a one-shard table of `capacity` slots.
  void rehash(size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    allocate(capacity, 1);
    clear_slots(0, slots_.size());
    for (const Slot& s : old) {
      if (s.value >= 0) insert(s.hash, s.key(), s.value, start(s.hash));
    }
  }

  std::vector<Slot> slots_;
  int shift_ = 64;
  size_t shards_ = 1;
  size_t shard_mask_ = 0;  // slots per shard - 1
  size_t size_ = 0;
  std::vector<size_t> counts_;  // keys per shard while assign() runs
};

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_STRING_TABLE_H_
