// baseline.h: compare a scan with an earlier drcheck SARIF log.
//
// A finding is "unchanged" when the baseline holds a result with the same
// partialFingerprints["drcheck/v1"] AND the same artifact uri of its first
// location; otherwise it is "new". Matching on rule + resource alone would
// hide a second, different problem on the same resource. Baseline results no
// current finding matches are "absent" (fixed since the baseline). Only
// new findings count for the exit code and the text report.
#ifndef DRCHECK_SARIF_BASELINE_H_
#define DRCHECK_SARIF_BASELINE_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "sarif/report.h"

namespace drcheck {

// The results of every drcheck run in a SARIF file (results marked
// "absent" in it are left out: they were not there). Returns false with
// `error` on an unreadable file, bad JSON, or a file with no drcheck run.
bool load_baseline(const std::string& path,
                   std::vector<nlohmann::ordered_json>& results,
                   Diagnostic& error);

// Sets report.baseline (one state per finding) and report.absent.
void apply_baseline(const std::vector<nlohmann::ordered_json>& baseline,
                    Report& report);

// The SARIF artifact uri the writer gives a location (the baseline key).
std::string sarif_uri(const SpanLocation& s);
std::string sarif_uri(std::string_view path, bool under_root);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_BASELINE_H_
