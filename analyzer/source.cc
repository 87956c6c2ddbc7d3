#include "analyzer/source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analyzer/utf8.h"

namespace drcheck {
namespace {

Diagnostic make_error(const std::string& path, std::string message) {
  Diagnostic d;
  d.file = path;
  d.message = std::move(message);
  return d;
}

// Transcodes UTF-16 (without its BOM) to UTF-8. Returns false with `error`
// set on an odd length or an unpaired surrogate.
bool utf16_to_utf8(std::string_view in, bool big_endian, std::string& out,
                   std::string& error) {
  if (in.size() % 2) {
    error = "UTF-16 input has an odd number of bytes";
    return false;
  }
  out.reserve(in.size() / 2 + in.size() / 8);
  auto unit = [&](size_t i) -> uint32_t {
    auto b0 = static_cast<uint8_t>(in[i]);
    auto b1 = static_cast<uint8_t>(in[i + 1]);
    return big_endian ? (b0 << 8 | b1) : (b1 << 8 | b0);
  };
  for (size_t i = 0; i < in.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 3 >= in.size()) {
        error = "UTF-16 input ends inside a surrogate pair";
        return false;
      }
      uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        error = "UTF-16 input has an unpaired high surrogate at byte " +
                std::to_string(i);
        return false;
      }
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      error = "UTF-16 input has an unpaired low surrogate at byte " +
              std::to_string(i);
      return false;
    } else {
      append_utf8(out, u);
    }
  }
  return true;
}

}  // namespace

void SourceBufferRelease::operator()(char* p) const {
  if (mapped) {
    ::munmap(p, mapped);
  } else {
    delete[] p;
  }
}

std::variant<std::shared_ptr<const SourceFile>, Diagnostic> SourceFile::adopt(
    std::string path, Buffer buffer, size_t size) {
  std::shared_ptr<SourceFile> file(new SourceFile());
  file->path_ = std::move(path);
  std::string_view bytes(buffer.get(), size);
  auto starts = [&](std::string_view prefix) {
    return bytes.substr(0, prefix.size()) == prefix;
  };
  const char* text = buffer.get();
  if (starts("\xEF\xBB\xBF")) {
    // The text starts after the mark; the padding is still there.
    file->encoding_ = "utf-8-bom";
    text += 3;
    size -= 3;
  } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    bool big = bytes[0] == '\xFE';
    file->encoding_ = big ? "utf-16be" : "utf-16le";
    std::string out, error;
    if (!utf16_to_utf8(bytes.substr(2), big, out, error)) {
      return make_error(file->path_, error);
    }
    size = out.size();
    buffer = Buffer(new char[size + kPadding]);
    std::memcpy(buffer.get(), out.data(), size);
    std::memset(buffer.get() + size, 0, kPadding);
    text = buffer.get();
  }
  file->size_ = size;
  file->data_ = std::move(buffer);
  file->text_ = text;
  return std::shared_ptr<const SourceFile>(std::move(file));
}

std::variant<std::shared_ptr<const SourceFile>, Diagnostic>
SourceFile::from_bytes(std::string path, std::string bytes) {
  Buffer buffer(new char[bytes.size() + kPadding]);
  std::memcpy(buffer.get(), bytes.data(), bytes.size());
  std::memset(buffer.get() + bytes.size(), 0, kPadding);
  return adopt(std::move(path), std::move(buffer), bytes.size());
}

std::shared_ptr<const SourceFile> SourceFile::from_string(std::string path,
                                                          std::string text) {
  auto r = from_bytes(std::move(path), std::move(text));
  if (auto* f = std::get_if<std::shared_ptr<const SourceFile>>(&r)) return *f;
  return nullptr;
}

std::variant<std::shared_ptr<const SourceFile>, Diagnostic> SourceFile::read(
    const std::string& path, uint64_t max_size,
    const std::string& display_path) {
  const std::string& shown = display_path.empty() ? path : display_path;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return make_error(shown, std::string("cannot open: ") + strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return make_error(shown, std::string("cannot stat: ") + strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return make_error(shown, "is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(shown, "not a regular file (FIFO, socket or device)");
  }
  if (static_cast<uint64_t>(st.st_size) > max_size) {
    ::close(fd);
    return make_error(shown, "file is " + std::to_string(st.st_size) +
                                 " bytes, over the limit of " +
                                 std::to_string(max_size) +
                                 " (--max-file-size)");
  }
  if (static_cast<uint64_t>(st.st_size) >= 0xFFFFFFF0ull) {
    ::close(fd);
    return make_error(shown,
                      "file is larger than 4 GiB, which drcheck cannot "
                      "address");
  }
  size_t want = static_cast<size_t>(st.st_size);
  if (want >= kMapThreshold) {
    // Zero pages for the whole span, then the file mapped over its start:
    // the bytes after the file's end (in its last page, and the pages
    // after) read as zeros.
    long page = ::sysconf(_SC_PAGESIZE);
    size_t span = (want + kPadding + static_cast<size_t>(page) - 1) &
                  ~(static_cast<size_t>(page) - 1);
    void* base = ::mmap(nullptr, span, PROT_READ,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED) {
      void* mapped =
          ::mmap(base, want, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
      if (mapped != MAP_FAILED) {
        ::close(fd);
        return adopt(
            shown, Buffer(static_cast<char*>(base), SourceBufferRelease{span}),
            want);
      }
      ::munmap(base, span);
    }
    // Not mappable (some file systems): read it instead.
  }
  // One allocation for the text and its padding, not zero-filled first.
  Buffer buffer(new char[want + kPadding]);
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, buffer.get() + got, want - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return make_error(shown, std::string("read failed: ") + strerror(e));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  std::memset(buffer.get() + got, 0, kPadding);
  return adopt(shown, std::move(buffer), got);
}

#ifdef __SSE2__
namespace {

// Number of bytes in [p, p + n) for which `match` (16 bytes at a time, 0xFF
// where a byte matches) says so; the tail goes to `scalar`.
template <typename Match, typename Scalar>
size_t count_bytes(const char* p, size_t n, Match match, Scalar scalar) {
  size_t count = 0;
  size_t i = 0;
  while (i + 16 <= n) {
    // Up to 255 rounds of per-byte counters, then add them up.
    __m128i counters = _mm_setzero_si128();
    size_t rounds = std::min<size_t>((n - i) / 16, 255);
    for (size_t r = 0; r < rounds; ++r, i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counters = _mm_sub_epi8(counters, match(v));
    }
    __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
  for (; i < n; ++i) count += scalar(static_cast<uint8_t>(p[i]));
  return count;
}

}  // namespace

size_t count_continuations(const char* p, size_t n) {
  return count_bytes(
      p, n,
      [](__m128i v) {
        // As signed bytes, 0x80..0xBF are -128..-65: less than -64.
        return _mm_cmplt_epi8(v, _mm_set1_epi8(-64));
      },
      [](uint8_t c) { return (c & 0xC0) == 0x80; });
}

size_t count_newlines(const char* p, size_t n) {
  return count_bytes(
      p, n, [](__m128i v) { return _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')); },
      [](uint8_t c) { return c == '\n'; });
}
#else
size_t count_continuations(const char* p, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if ((static_cast<uint8_t>(p[i]) & 0xC0) == 0x80) ++count;
  }
  return count;
}

size_t count_newlines(const char* p, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += p[i] == '\n';
  return count;
}
#endif

void SourceFile::build_line_index() const {
  size_t n_blocks = size_ / kBlock + 1;
  blocks_.resize(n_blocks);
  uint32_t line = 0;
  uint32_t line_start = 0;
  size_t continuations = 0;
  for (size_t b = 0; b < n_blocks; ++b) {
    blocks_[b] = Block{line, line_start, static_cast<uint32_t>(continuations)};
    size_t start = b * kBlock;
    if (start >= size_) continue;
    size_t len = std::min(kBlock, size_ - start);
    const char* p = text_ + start;
    size_t newlines = count_newlines(p, len);
    if (newlines) {
      line += static_cast<uint32_t>(newlines);
      const char* last = static_cast<const char*>(::memrchr(p, '\n', len));
      line_start = static_cast<uint32_t>(last - text_ + 1);
    }
    continuations += count_continuations(p, len);
    // A large mapped file is read once here: let the pages behind go.
    if ((b & 1023) == 1023) release_before(start);
  }
}

size_t SourceFile::continuations_before(uint32_t offset) const {
  size_t b = offset / kBlock;
  size_t start = b * kBlock;
  return blocks_[b].continuations +
         count_continuations(text_ + start, offset - start);
}

Position SourceFile::position(uint32_t offset) const {
  std::call_once(lines_once_, [this] { build_line_index(); });
  if (offset > size_) offset = static_cast<uint32_t>(size_);
  size_t b = offset / kBlock;
  size_t start = b * kBlock;
  const Block& block = blocks_[b];
  uint32_t line = block.line;
  uint32_t line_start = block.line_start;
  if (size_t within = offset - start) {
    if (size_t newlines = count_newlines(text_ + start, within)) {
      line += static_cast<uint32_t>(newlines);
      const char* last =
          static_cast<const char*>(::memrchr(text_ + start, '\n', within));
      line_start = static_cast<uint32_t>(last - text_ + 1);
    }
  }
  // Columns count code points: bytes minus UTF-8 continuation bytes.
  size_t column =
      1 + (offset - line_start) -
      (continuations_before(offset) - continuations_before(line_start));
  return Position{line + 1, static_cast<uint32_t>(column)};
}

void SourceFile::end_streaming() const {
  size_t mapped = data_.get_deleter().mapped;
  if (!mapped || size_ < kReleaseThreshold) return;
  ::madvise(data_.get(), mapped, MADV_DONTNEED);
}

void SourceFile::release_range(size_t begin, size_t end) const {
  size_t mapped = data_.get_deleter().mapped;
  if (!mapped || size_ < kReleaseThreshold) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  auto text = reinterpret_cast<uintptr_t>(text_);
  // From the mapping's first byte when at the start (a byte order mark
  // precedes the text), else from the first whole page of the range.
  uintptr_t first = begin == 0 ? reinterpret_cast<uintptr_t>(data_.get())
                               : (text + begin + page - 1) & ~(page - 1);
  uintptr_t last = (text + std::min(end, size_)) & ~(page - 1);
  if (last > first) {
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  }
}

}  // namespace drcheck
