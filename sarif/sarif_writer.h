// sarif_writer.h: SARIF 2.1.0 for GitHub code scanning.
//
// One run. tool.driver.rules comes from RuleMeta alone; each result has a
// physical location relative to %SRCROOT% (Report::src_root) with a region
// spanning the offending value, a logical location naming the resource,
// related locations, and partialFingerprints["drcheck/v1"] (rule id,
// address and facts: stable when the input is re-indented). Suppressed
// findings stay, with `suppressions`; with a baseline every result carries
// baselineState and vanished baseline results come back as "absent".
// Input errors and scan warnings are toolExecutionNotifications.
//
// The output is deterministic: keys in a fixed order, no timestamps, no
// absolute paths except originalUriBaseIds.
#ifndef DRCHECK_SARIF_SARIF_WRITER_H_
#define DRCHECK_SARIF_SARIF_WRITER_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "sarif/output.h"
#include "sarif/report.h"

namespace drcheck {

inline constexpr const char* kSarifSchemaUri =
    "https://json.schemastore.org/sarif-2.1.0.json";
inline constexpr const char* kFingerprintKey = "drcheck/v1";
inline constexpr const char* kInformationUri =
    "https://github.com/drcheck/drcheck";
// GitHub rejects runs with more results than this.
inline constexpr size_t kSarifMaxResults = 25000;
// GitHub rejects a result with more locations than 1,000; related
// locations past this many are left out (properties.relatedLocationsDropped
// says how many).
inline constexpr size_t kSarifMaxRelated = 999;

// The SARIF log, 2-space indented with a final newline, written straight
// into the string (no document tree). Past `max_results` results, the least
// severe are dropped (a warning notification says how many).
// The same bytes handed to `out` piece by piece as they render (the
// results in chunks, on Report::jobs threads).
void write_sarif(const Report& report, size_t max_results, ReportSink& out);
std::string write_sarif(const Report& report, size_t max_results);
std::string write_sarif(const Report& report);  // GitHub's limit

// write_sarif() parsed back, for tests and tools that inspect the log.
nlohmann::ordered_json sarif_json(const Report& report,
                                  size_t max_results = kSarifMaxResults);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_SARIF_WRITER_H_
