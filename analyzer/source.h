// source.h: one input file held in memory, and positions inside it.
//
// A SourceFile owns the bytes of one input, always as UTF-8 (a UTF-8 byte
// order mark is dropped, UTF-16 input with a BOM is transcoded), followed by
// at least kPadding zero bytes so scanners may read a word past the end.
// Offsets everywhere in drcheck are byte offsets into text(); position()
// turns one into a 1-based line and a 1-based column counted in Unicode code
// points (SARIF columnKind "unicodeCodePoints").
//
// Reading never throws: read() returns the file or a Diagnostic that says
// why not (missing, unreadable, a directory, too large, bad UTF-16).
//
// Large files (kMapThreshold and up) are memory-mapped privately instead of
// copied: the page cache's pages are used as they are, and the padding comes
// from zero pages mapped after the file. Like every mmap reader, a file
// truncated by another process during the scan would fault; inputs are build
// outputs that nothing rewrites while drcheck reads them.
#ifndef DRCHECK_ANALYZER_SOURCE_H_
#define DRCHECK_ANALYZER_SOURCE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analyzer/diagnostic.h"

namespace drcheck {

struct Position {
  uint32_t line = 0;    // 1-based; 0 means unknown
  uint32_t column = 0;  // 1-based, in code points; 0 means unknown
};

// Frees a SourceFile's buffer: from new[] (mapped == 0) or from mmap (the
// mapping's length).
struct SourceBufferRelease {
  size_t mapped = 0;
  void operator()(char* p) const;
};

// Byte counts the position code is built on (SSE2 where available):
// '\n' bytes, and UTF-8 continuation bytes (10xxxxxx), in [p, p + n).
size_t count_newlines(const char* p, size_t n);
size_t count_continuations(const char* p, size_t n);

class SourceFile {
 public:
  static constexpr size_t kPadding = 64;
  static constexpr uint64_t kDefaultMaxSize = uint64_t{2} << 30;  // 2 GiB
  static constexpr size_t kMapThreshold = size_t{256} << 10;      // 256 KiB
  // Mapped files this large and up give their pages back as readers stream
  // through them (release_before, end_streaming). Smaller ones stay
  // resident: they are read again by the loader, the rules and the report,
  // and every release costs a page fault per 64 KiB on each re-read plus a
  // TLB flush on every thread, to save memory that matters only for big
  // inputs.
  static constexpr size_t kReleaseThreshold = size_t{16} << 20;  // 16 MiB

  // Reads `path`. `display_path` is the name used in messages and reports
  // (defaults to `path`).
  static std::variant<std::shared_ptr<const SourceFile>, Diagnostic> read(
      const std::string& path, uint64_t max_size = kDefaultMaxSize,
      const std::string& display_path = "");

  // Wraps text already in memory (tests, stdin). The text goes through the
  // same BOM handling as a file's bytes; on bad UTF-16 the error is returned.
  static std::variant<std::shared_ptr<const SourceFile>, Diagnostic> from_bytes(
      std::string path, std::string bytes);

  // Convenience for tests: from_bytes that must succeed.
  static std::shared_ptr<const SourceFile> from_string(std::string path,
                                                       std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return std::string_view(text_, size_); }
  const char* data() const { return text_; }
  size_t size() const { return size_; }
  // How the bytes were encoded on disk: "utf-8", "utf-8-bom", "utf-16le",
  // "utf-16be".
  const std::string& encoding() const { return encoding_; }

  Position position(uint32_t offset) const;

  // Tells the OS that the bytes before `offset` are not needed for now: for
  // a mapped file their pages leave this process's resident set (they stay
  // in the page cache, and reading them again maps them back unchanged).
  // Readers that stream through a large file call this behind them. No
  // effect for files held in an allocated buffer or smaller than
  // kReleaseThreshold.
  void release_before(size_t offset) const { release_range(0, offset); }
  // The same for the bytes in [begin, end) (whole pages inside it): for a
  // reader that streams through the middle of a file.
  void release_range(size_t begin, size_t end) const;
  // After a streaming pass over a mapped file: releases all its pages.
  // Readers map back what they touch (the OS reads a few neighbouring pages
  // along, which suits the loaders' mostly forward walks; asking for random
  // access instead costs a fault per page and was slower).
  void end_streaming() const;

 private:
  SourceFile() = default;
  void build_line_index() const;

  using Buffer = std::unique_ptr<char[], SourceBufferRelease>;

  std::string path_;
  // Takes ownership of `size` bytes followed by kPadding zero bytes; handles
  // byte order marks.
  static std::variant<std::shared_ptr<const SourceFile>, Diagnostic> adopt(
      std::string path, Buffer buffer, size_t size);

  Buffer data_;                 // the bytes as read, then kPadding NULs
  const char* text_ = nullptr;  // the UTF-8 text in data_ (after any BOM)
  size_t size_ = 0;
  std::string encoding_ = "utf-8";
  // The position index: per 1 KiB block of text, the line it starts in,
  // where that line starts, and the UTF-8 continuation bytes before it
  // (12 bytes per block, whatever the number of lines). A position costs a
  // scan of at most one block.
  struct Block {
    uint32_t line = 0;        // 0-based line of the block's first byte
    uint32_t line_start = 0;  // offset where that line starts
    uint32_t continuations = 0;
  };
  static constexpr size_t kBlock = 1024;
  mutable std::once_flag lines_once_;
  mutable std::vector<Block> blocks_;
  size_t continuations_before(uint32_t offset) const;
};

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_SOURCE_H_
