// json_writer.h: drcheck's own JSON report (stable; for scripts).
//
//   {
//     "tool": "drcheck", "version": "0.1.0", "schema_version": 1,
//     "run": {"profile", "primary_region", "dr_region",
//             "roles_inferred_from", "env_suffix", "env_suffix_inferred"},
//     "summary": {"findings": 2, "by_rule": {"DR004": {"error": 2}},
//                 "suppressed": 1, "unchanged": 0, "absent": 0,
//                 "input_errors": 0},
//     "findings": [{"rule", "level", "message", "address", "file", "line",
//                   "column", "end_line", "end_column", "region", "role",
//                   "related": [{"role", "address", "file", "line",
//                                "column"}],
//                   "synthesized": {"file", "line", "column"},  // if mapped
//                   "fingerprint", "suppressed",
//                   "suppression": {"kind", "justification"},  // if so
//                   "baseline": "new" | "unchanged"}],          // if given
//     "absent": [{"rule", "message", "address", "file", "line",
//                 "fingerprint"}],
//     "errors": [{"file", "line", "column", "severity", "message"}],
//     "warnings": [...]
//   }
//
// Every finding is listed, suppressed and unchanged ones too (flagged);
// "summary.findings" counts the ones that count. "file" is relative to the
// source root; "region" is the resource's AWS region (null when unknown).
#ifndef DRCHECK_SARIF_JSON_WRITER_H_
#define DRCHECK_SARIF_JSON_WRITER_H_

#include <string>

#include "sarif/output.h"
#include "sarif/report.h"

namespace drcheck {

std::string write_json(const Report& report);
// The same bytes handed to `out` piece by piece as they render (the
// findings in chunks, on Report::jobs threads).
void write_json(const Report& report, ReportSink& out);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_JSON_WRITER_H_
