// drcheck: the command line. Subcommands live in analyzer/cli.h.
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "analyzer/cli.h"

namespace {

// glibc's malloc reads its tunables (GLIBC_TUNABLES) only at process start,
// so drcheck re-executes itself once with three added, each unless already
// set:
// - hugetlb=1: back the heap with transparent huge pages (page faults were
//   about 15% of a large scan);
// - trim_threshold and mmap_threshold of 1 GiB: keep freed memory and the
//   large buffers (the JSON index, the report) in that heap instead of
//   returning and re-faulting them (with huge pages, clearing pages again
//   took up to 40% of a 200-stack scan).
// DRCHECK_MALLOC_TUNING=0 turns this off. Sanitizer builds have their own
// allocator and skip it.
void reexec_with_malloc_tuning(char** argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  (void)argv;
  return;
#else
  const char* off = std::getenv("DRCHECK_MALLOC_TUNING");
  if (off && std::strcmp(off, "0") == 0) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  std::string tunables = current ? current : "";
  // Re-executed already (or the user chose): hugetlb is there.
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;
  for (const char* t :
       {"glibc.malloc.hugetlb=1", "glibc.malloc.trim_threshold=1073741824",
        "glibc.malloc.mmap_threshold=1073741824"}) {
    std::string_view name(t, std::strchr(t, '=') - t);
    if (tunables.find(name) != std::string::npos) continue;
    if (!tunables.empty()) tunables += ':';
    tunables += t;
  }
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
