// SourceFile: reading (allocated and memory-mapped), byte order marks, and
// positions from the block index, checked against a plain count.
#include "analyzer/source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace drcheck {
namespace {

namespace fs = std::filesystem;

// Line and column of `offset` counted the slow way.
Position slow_position(const std::string& text, size_t offset) {
  Position p{1, 1};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

// Pretty-printed lines of varying length with multi-byte characters, some
// lines longer than a 4 KiB block.
std::string varied_text(size_t bytes) {
  std::mt19937 rng(7);
  std::string text;
  while (text.size() < bytes) {
    size_t len = rng() % 13 == 0 ? 5000 + rng() % 9000 : rng() % 120;
    for (size_t i = 0; i < len; ++i) {
      if (rng() % 17 == 0) {
        text += "\xC3\xA9";  // é
      } else if (rng() % 97 == 0) {
        text += "\xF0\x9F\x8C\x8D";  // 🌍
      } else {
        text += static_cast<char>('a' + rng() % 26);
      }
    }
    text += '\n';
    if (rng() % 11 == 0) text += "\n\n";
  }
  return text;
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  fs::path p = fs::temp_directory_path() /
               ("drcheck-source-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::shared_ptr<const SourceFile> read_ok(const std::string& path) {
  auto r = SourceFile::read(path);
  if (auto* d = std::get_if<Diagnostic>(&r)) {
    ADD_FAILURE() << d->str();
    return nullptr;
  }
  return std::get<std::shared_ptr<const SourceFile>>(r);
}

void expect_positions_exact(const SourceFile& src, const std::string& text) {
  std::mt19937 rng(11);
  std::vector<size_t> offsets{0, text.size()};
  for (size_t b = 4096; b < text.size(); b += 4096) {
    offsets.push_back(b - 1);
    offsets.push_back(b);
  }
  for (int i = 0; i < 300; ++i) offsets.push_back(rng() % (text.size() + 1));
  for (size_t off : offsets) {
    Position want = slow_position(text, off);
    Position got = src.position(static_cast<uint32_t>(off));
    ASSERT_EQ(got.line, want.line) << "offset " << off;
    ASSERT_EQ(got.column, want.column) << "offset " << off;
  }
}

TEST(Source, PositionsMatchAPlainCount) {
  std::string text = varied_text(200000);
  auto src = SourceFile::from_string("v.json", text);
  expect_positions_exact(*src, text);
}

TEST(Source, MappedLargeFileReadsLikeAnAllocatedOne) {
  // Over the mapping threshold, and a size that is a multiple of the page
  // size, so the padding comes from the zero pages after the file.
  std::string text = varied_text(SourceFile::kMapThreshold + 4096);
  text.resize(SourceFile::kMapThreshold + 8192, 'x');
  std::string path = write_temp("mapped.json", text);
  auto src = read_ok(path);
  ASSERT_TRUE(src);
  ASSERT_EQ(src->size(), text.size());
  EXPECT_TRUE(src->text() == text);
  for (size_t i = 0; i < SourceFile::kPadding; ++i) {
    ASSERT_EQ(src->data()[text.size() + i], '\0');
  }
  expect_positions_exact(*src, text);
  // Releasing pages changes nothing a reader sees.
  src->release_before(text.size() / 2);
  EXPECT_TRUE(src->text() == text);
  src->end_streaming();
  EXPECT_TRUE(src->text() == text);
  expect_positions_exact(*src, text);
  fs::remove(path);
}

// This process's resident file-backed memory, from /proc/self/status.
long resident_file_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("RssFile:", 0) == 0) return std::atol(line.c_str() + 8);
  }
  return -1;
}

// Reads one byte per page, so every page of the mapping is resident.
unsigned touch_pages(const SourceFile& src) {
  unsigned sum = 0;
  for (size_t i = 0; i < src.size(); i += 4096) {
    sum += static_cast<unsigned char>(src.data()[i]);
  }
  return sum;
}

// Streaming releases give a big file's pages back and leave a small
// mapped file resident (it is read again by the rules and the report).
TEST(Source, OnlyBigMappedFilesGiveTheirPagesBack) {
  if (resident_file_kib() < 0) GTEST_SKIP() << "no /proc/self/status";
  const std::string big_text(SourceFile::kReleaseThreshold + 4096, 'b');
  const std::string small_text(SourceFile::kMapThreshold * 4, 's');
  std::string big_path = write_temp("big.json", big_text);
  std::string small_path = write_temp("small.json", small_text);
  auto big = read_ok(big_path);
  auto small = read_ok(small_path);
  ASSERT_TRUE(big && small);
  const unsigned big_sum = touch_pages(*big);
  const unsigned small_sum = touch_pages(*small);
  EXPECT_EQ(big_sum, (big->size() + 4095) / 4096 * 'b');
  EXPECT_EQ(small_sum, (small->size() + 4095) / 4096 * 's');
  long before = resident_file_kib();
  small->end_streaming();
  long after_small = resident_file_kib();
  big->end_streaming();
  long after_big = resident_file_kib();
  // The counters are approximate by a few hundred KiB.
  EXPECT_LT(before - after_small, 512) << before << " " << after_small;
  EXPECT_GT(after_small - after_big,
            static_cast<long>(SourceFile::kReleaseThreshold / 1024) * 3 / 4)
      << after_small << " " << after_big;
  // Released pages read back as they were.
  EXPECT_EQ(touch_pages(*big), big_sum);
  EXPECT_TRUE(big->text() == big_text);
  EXPECT_TRUE(small->text() == small_text);
  fs::remove(big_path);
  fs::remove(small_path);
}

TEST(Source, MappedFileWithAByteOrderMark) {
  std::string text = varied_text(SourceFile::kMapThreshold + 100);
  std::string path = write_temp("bom.json", "\xEF\xBB\xBF" + text);
  auto src = read_ok(path);
  ASSERT_TRUE(src);
  EXPECT_EQ(src->encoding(), "utf-8-bom");
  ASSERT_EQ(src->size(), text.size());
  EXPECT_TRUE(src->text() == text);
  EXPECT_EQ(src->data()[text.size()], '\0');
  Position p = src->position(static_cast<uint32_t>(text.size()));
  Position want = slow_position(text, text.size());
  EXPECT_EQ(p.line, want.line);
  EXPECT_EQ(p.column, want.column);
  fs::remove(path);
}

TEST(Source, EmptyAndSmallFiles) {
  std::string empty = write_temp("empty.json", "");
  auto src = read_ok(empty);
  ASSERT_TRUE(src);
  EXPECT_EQ(src->size(), 0u);
  EXPECT_EQ(src->position(0).line, 1u);
  EXPECT_EQ(src->position(0).column, 1u);
  src->end_streaming();  // not mapped: nothing to do
  fs::remove(empty);
}

}  // namespace
}  // namespace drcheck
