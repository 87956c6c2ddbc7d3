// diagnostic.h: an error or warning about an input, as a value.
//
// Loaders never throw past their boundary: what goes wrong becomes a
// Diagnostic, printed as `file:line:col: error: message` (line and column are
// left out when unknown) and carried into SARIF toolExecutionNotifications.
#ifndef DRCHECK_ANALYZER_DIAGNOSTIC_H_
#define DRCHECK_ANALYZER_DIAGNOSTIC_H_

#include <cstdint>
#include <string>

namespace drcheck {

enum class Severity { kError, kWarning, kNote };

struct Diagnostic {
  std::string file;
  uint32_t line = 0;    // 1-based, 0 = unknown
  uint32_t column = 0;  // 1-based, 0 = unknown
  Severity severity = Severity::kError;
  std::string message;

  // "file:line:col: error: message".
  std::string str() const {
    std::string out = file;
    if (line) {
      out += ':' + std::to_string(line);
      if (column) out += ':' + std::to_string(column);
    }
    out += severity == Severity::kError     ? ": error: "
           : severity == Severity::kWarning ? ": warning: "
                                            : ": note: ";
    out += message;
    return out;
  }
};

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_DIAGNOSTIC_H_
