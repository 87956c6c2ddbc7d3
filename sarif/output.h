// output.h: write a report file atomically.
//
// The bytes go to a temporary file in the target's folder, are fsync'ed,
// and the temporary file is renamed over the target (then the folder is
// fsync'ed). On any failure the temporary file is removed and the target is
// left as it was: readers never see a partial report.
#ifndef DRCHECK_SARIF_OUTPUT_H_
#define DRCHECK_SARIF_OUTPUT_H_

#include <string>
#include <string_view>

namespace drcheck {

// Returns false and sets `error` (e.g. "cannot create a file in
// out/: Permission denied") on failure.
bool write_file_atomically(const std::string& path, std::string_view data,
                           std::string& error);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_OUTPUT_H_
