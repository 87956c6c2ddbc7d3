// drcheck: the command line. Subcommands live in analyzer/cli.h.
#include <malloc.h>

#include "analyzer/cli.h"

int main(int argc, char** argv) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // A scan allocates a model and then mostly reads it, and the process ends
  // right after the report. glibc would return freed memory at the top of
  // the heap and serve large buffers (a plan's JSON index, vectors of
  // resources) from fresh mappings, which the next allocation then faults
  // in and clears again. Keep freed memory, and make mapping kick in only
  // at the largest threshold glibc accepts (32 MiB). Transparent huge pages
  // were tried (glibc.malloc.hugetlb=1): on VMs that hand freed memory back
  // to the host they made a run 60% slower about every other time.
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
  return drcheck::run_cli(argc, argv);
}
