// libFuzzer harness: the config file reader (.drcheck.json).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "analyzer/options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::string path =
      "/tmp/drcheck-config-fuzz-" + std::to_string(getpid()) + ".json";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  drcheck::ScanOptions options;
  drcheck::Diagnostic error;
  drcheck::load_config_file(path, options, error);
  return 0;
}
