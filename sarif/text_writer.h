// text_writer.h: findings as compiler-style lines, then a summary.
//
//   fixtures/x/plan.json:12:7: error DR004 aws_vpc.dr: 10.0.0.0/16 ...
//
// Colour (ANSI) only when `color` is set (the CLI sets it on a TTY).
#ifndef DRCHECK_SARIF_TEXT_WRITER_H_
#define DRCHECK_SARIF_TEXT_WRITER_H_

#include <string>

#include "sarif/report.h"

namespace drcheck {

std::string write_text(const Report& report, bool color);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_TEXT_WRITER_H_
