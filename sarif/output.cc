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

bool write_file_atomically(const std::string& path, std::string_view data,
                           std::string& error) {
  namespace fs = std::filesystem;
  if (path.empty()) {
    error = "empty output path";
    return false;
  }
  fs::path target(path);
  fs::path dir = target.parent_path();
  std::string dir_str = dir.empty() ? std::string(".") : dir.string();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = "is a directory";
    return false;
  }
  std::string tmpl = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    error = "cannot create a file in " + dir_str + "/: " + errno_text();
    return false;
  }
  // mkstemp makes the file 0600; give it the usual 0666 & ~umask.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  auto fail = [&](const std::string& what) {
    error = what + ": " + errno_text();
    ::close(fd);
    ::unlink(tmpl.c_str());
    return false;
  };
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    error = std::string("cannot close: ") + errno_text();
    ::unlink(tmpl.c_str());
    return false;
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    error = "cannot replace the file: " + errno_text();
    ::unlink(tmpl.c_str());
    return false;
  }
  int dfd = ::open(dir_str.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);  // best effort: the rename is already visible
    ::close(dfd);
  }
  return true;
}

}  // namespace drcheck
