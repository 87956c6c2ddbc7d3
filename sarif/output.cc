#include "sarif/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace drcheck {

namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(tmp_.c_str());
  fd_ = -1;
}

bool AtomicFile::open(const std::string& path, std::string& error) {
  namespace fs = std::filesystem;
  discard();
  error_.clear();
  if (path.empty()) {
    error = "empty output path";
    return false;
  }
  fs::path dir = fs::path(path).parent_path();
  dir_ = dir.empty() ? std::string(".") : dir.string();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = "is a directory";
    return false;
  }
  path_ = path;
  written_ = flushed_ = 0;
  tmp_ = path + ".tmp.XXXXXX";
  fd_ = ::mkstemp(tmp_.data());
  if (fd_ < 0) {
    error = "cannot create a file in " + dir_ + "/: " + errno_text();
    return false;
  }
  // mkstemp makes the file 0600; give it the usual 0666 & ~umask.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  return true;
}

void AtomicFile::write(std::string_view bytes) {
  if (fd_ < 0 || !error_.empty()) return;
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = "cannot write: " + errno_text();
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  written_ += bytes.size();
  // Start writing back what has piled up while the rest still renders, so
  // commit()'s fsync has little left to wait for (best effort).
  if (written_ - flushed_ >= kFlushEvery) {
    ::sync_file_range(fd_, static_cast<off_t>(flushed_),
                      static_cast<off_t>(written_ - flushed_),
                      SYNC_FILE_RANGE_WRITE);
    flushed_ = written_;
  }
}

bool AtomicFile::commit(std::string& error) {
  if (fd_ < 0) {
    error = "no file open";
    return false;
  }
  if (error_.empty() && ::fsync(fd_) != 0) {
    error_ = "cannot sync: " + errno_text();
  }
  if (!error_.empty()) {
    error = error_;
    discard();
    return false;
  }
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    error = "cannot close: " + errno_text();
    ::unlink(tmp_.c_str());
    return false;
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    error = "cannot replace the file: " + errno_text();
    ::unlink(tmp_.c_str());
    return false;
  }
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);  // best effort: the rename is already visible
    ::close(dfd);
  }
  return true;
}

}  // namespace drcheck
