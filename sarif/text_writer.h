// text_writer.h: findings as compiler-style lines, then a summary.
//
//   infra/vpc.tf:12:1: error DR004 aws_vpc.dr: 10.0.0.0/16 overlaps ...
//     plan.json:1:5230: note: synthesized in plan.json as aws_vpc.dr
//     plan.json:1:880: note: requester VPC aws_vpc.primary
//
//   1 finding in 14 resources from 1 input (primary us-east-1, dr us-west-2)
//     DR004: 1 error
//   2 suppressed, 3 unchanged vs baseline, 1 fixed since baseline
//
// Only findings that count are listed (not suppressed, not unchanged
// against a baseline). Colour (ANSI) only when `color` is set (the CLI sets
// it on a TTY).
#ifndef DRCHECK_SARIF_TEXT_WRITER_H_
#define DRCHECK_SARIF_TEXT_WRITER_H_

#include <string>

#include "sarif/output.h"
#include "sarif/report.h"

namespace drcheck {

std::string write_text(const Report& report, bool color);
// The same bytes handed to `out` piece by piece as they render (the
// findings in chunks, on Report::jobs threads).
void write_text(const Report& report, bool color, ReportSink& out);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_TEXT_WRITER_H_
