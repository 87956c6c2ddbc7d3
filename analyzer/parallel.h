// parallel.h: the one way drcheck spreads independent work over threads.
//
//   parallel_for(tasks.size(), jobs, [&](size_t i) { run(tasks[i]); });
//
// Calls fn(i) exactly once for every i in [0, n), on up to `jobs` threads
// (the calling thread and jobs - 1 more) that take the next index as they
// finish one (so uneven tasks balance);
// with jobs <= 1 or n <= 1 it runs in the calling thread, in order. Returns
// when all calls have returned. fn must only write what index i owns;
// results are then read in index order, so output does not depend on jobs.
//
//   parallel_for_chunks(items.size(), 1024, jobs,
//                       [&](size_t chunk, size_t begin, size_t end) {...});
//
// The same over fixed-size ranges of [0, n): chunk k is [k * size,
// min(n, (k + 1) * size)), whatever the job count, so per-chunk results
// merged in chunk order do not depend on jobs either.
#ifndef DRCHECK_ANALYZER_PARALLEL_H_
#define DRCHECK_ANALYZER_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace drcheck {

template <typename Fn>
void parallel_for(size_t n, unsigned jobs, Fn fn) {
  if (jobs > n) jobs = static_cast<unsigned>(n);
  if (jobs <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < n; i = next++) fn(i);
  };
  // The calling thread is one of the `jobs`: it works instead of waiting.
  std::vector<std::thread> pool;
  pool.reserve(jobs - 1);
  for (unsigned t = 1; t < jobs; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
}

// How many chunks of `size` items parallel_for_chunks makes of n items.
inline size_t chunk_count(size_t n, size_t size) {
  return (n + size - 1) / size;
}

template <typename Fn>
void parallel_for_chunks(size_t n, size_t size, unsigned jobs, Fn fn) {
  parallel_for(chunk_count(n, size), jobs, [&](size_t chunk) {
    fn(chunk, chunk * size, std::min(n, (chunk + 1) * size));
  });
}

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_PARALLEL_H_
