// chunks.h: renders a report's per-item parts on several threads and hands
// them to the sink in order.
//
//   render_in_chunks(items.size(), report.jobs, report.chunk_items, sink,
//                    [&](size_t begin, size_t end, std::string& out) {
//                      for (size_t i = begin; i < end; ++i) render(items[i],
//                      out);
//                    });
//
// Items [0, n) are cut into chunks of `per_chunk`; each chunk renders into a
// buffer of its own (on up to `jobs` threads, see parallel_for) and the
// buffers go to the sink in chunk order as soon as every earlier one has
// gone, by whichever thread finished last, so writing overlaps rendering.
// Written buffers are reused for later chunks. The bytes the sink receives
// are those of rendering [0, n) in one go, whatever `jobs` and `per_chunk`.
#ifndef DRCHECK_SARIF_CHUNKS_H_
#define DRCHECK_SARIF_CHUNKS_H_

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/parallel.h"
#include "sarif/output.h"

namespace drcheck {

// Findings per chunk when a Report does not say.
inline constexpr size_t kDefaultChunkItems = 256;

template <typename Render>
void render_in_chunks(size_t n, unsigned jobs, size_t per_chunk,
                      ReportSink& sink, Render render) {
  if (per_chunk == 0) per_chunk = kDefaultChunkItems;
  const size_t chunks = chunk_count(n, per_chunk);
  if (jobs <= 1 || chunks <= 1) {
    std::string buffer;
    parallel_for_chunks(n, per_chunk, 1, [&](size_t, size_t begin, size_t end) {
      buffer.clear();
      render(begin, end, buffer);
      sink.write(buffer);
    });
    return;
  }
  struct Slot {
    std::string text;
    bool done = false;
  };
  std::vector<Slot> slots(chunks);
  std::vector<std::string> spare;  // written buffers, for reuse
  std::mutex mu;
  size_t next = 0;       // the next chunk to write
  bool writing = false;  // a thread is writing chunks
  auto render_chunk = [&](size_t c, size_t begin, size_t end) {
    std::string buffer;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!spare.empty()) {
        buffer = std::move(spare.back());
        spare.pop_back();
      }
    }
    buffer.clear();
    render(begin, end, buffer);
    std::unique_lock<std::mutex> lock(mu);
    slots[c].text = std::move(buffer);
    slots[c].done = true;
    if (writing) return;  // that thread will write this chunk too
    writing = true;
    while (next < chunks && slots[next].done) {
      std::string text = std::move(slots[next].text);
      ++next;
      lock.unlock();
      sink.write(text);
      lock.lock();
      spare.push_back(std::move(text));
    }
    writing = false;
  };
  parallel_for_chunks(n, per_chunk, jobs, render_chunk);
}

}  // namespace drcheck

#endif  // DRCHECK_SARIF_CHUNKS_H_
