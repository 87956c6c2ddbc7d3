// output.h: where a rendered report goes, and writing a report file
// atomically.
//
// Writers hand their bytes to a ReportSink piece by piece, in order, so a
// large report can go to its file while its later parts still render:
//
//   AtomicFile file;
//   std::string error;
//   if (!file.open("out.sarif", error)) ...;
//   write_sarif(report, kSarifMaxResults, file);
//   if (!file.commit(error)) ...;  // "out.sarif" now holds every byte
//
// An AtomicFile writes to a temporary file in the target's folder; commit()
// fsyncs it and renames it over the target (then fsyncs the folder). On any
// failure, or when destroyed before commit(), the temporary file is removed
// and the target is left as it was: readers never see a partial report.
#ifndef DRCHECK_SARIF_OUTPUT_H_
#define DRCHECK_SARIF_OUTPUT_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace drcheck {

// Receives a report's bytes in order, piece by piece.
class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual void write(std::string_view bytes) = 0;
};

// Appends to a string.
class StringSink final : public ReportSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void write(std::string_view bytes) override { out_.append(bytes); }

 private:
  std::string& out_;
};

// What a writer's sink version hands out, as one string:
//   return write_to_string([&](ReportSink& s) { write_json(report, s); });
template <typename Write>
std::string write_to_string(Write&& write) {
  std::string text;
  StringSink sink(text);
  write(sink);
  return text;
}

// Writes to a stream (e.g. std::cout); the stream's state tells failures.
class StreamSink final : public ReportSink {
 public:
  explicit StreamSink(std::ostream& out) : out_(out) {}
  void write(std::string_view bytes) override {
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

 private:
  std::ostream& out_;
};

class AtomicFile final : public ReportSink {
 public:
  AtomicFile() = default;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile() override;  // removes the temporary file unless committed

  // Creates the temporary file for `path`. Returns false and sets `error`
  // (e.g. "cannot create a file in out/: Permission denied") on failure.
  bool open(const std::string& path, std::string& error);
  // A failure is kept and reported by commit(); later writes are ignored.
  void write(std::string_view bytes) override;
  // Syncs the temporary file and renames it over the target; false with
  // `error` set when that or any write failed.
  bool commit(std::string& error);

 private:
  void discard();  // closes and removes the temporary file

  // Bytes handed to the kernel to write back early, at a time.
  static constexpr size_t kFlushEvery = size_t{1} << 20;

  std::string path_, tmp_, dir_;
  int fd_ = -1;
  std::string error_;  // the first write failure
  size_t written_ = 0;
  size_t flushed_ = 0;  // bytes whose write-back has been started
};

}  // namespace drcheck

#endif  // DRCHECK_SARIF_OUTPUT_H_
