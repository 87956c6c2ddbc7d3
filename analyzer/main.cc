// drcheck: the command line. Subcommands live in analyzer/cli.h.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "analyzer/cli.h"

namespace {

// glibc's malloc backs its heap with transparent huge pages only when asked
// through GLIBC_TUNABLES, which it reads at process start. On a large scan
// that saves most page faults (about 15% of the run time on a 64 MiB plan),
// so drcheck re-executes itself once with the tunable added, unless
// DRCHECK_MALLOC_TUNING=0 or the tunable is already set. Sanitizer builds
// have their own allocator and skip this.
void reexec_with_malloc_tuning(char** argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  (void)argv;
  return;
#else
  const char* off = std::getenv("DRCHECK_MALLOC_TUNING");
  if (off && std::strcmp(off, "0") == 0) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  if (!tunables.empty()) tunables += ':';
  tunables += "glibc.malloc.hugetlb=1";
  if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not possible here (no /proc): run as we are.
  if (current) {
    ::setenv("GLIBC_TUNABLES", current, 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
#endif
}

}  // namespace

int main(int argc, char** argv) {
  reexec_with_malloc_tuning(argv);
  return drcheck::run_cli(argc, argv);
}
