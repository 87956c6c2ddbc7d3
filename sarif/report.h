// report.h: everything a writer needs to render one scan, and nothing about
// input formats. Writers (text, SARIF, JSON, JUnit, Markdown) take a Report
// and return the bytes to write.
#ifndef DRCHECK_SARIF_REPORT_H_
#define DRCHECK_SARIF_REPORT_H_

#include <memory>
#include <string>
#include <vector>

#include "analyzer/model.h"
#include "analyzer/options.h"
#include "analyzer/rule.h"

namespace drcheck {

struct Report {
  const Model* model = nullptr;
  const std::vector<Finding>* findings = nullptr;
  const ScanOptions* options = nullptr;
  const std::vector<std::unique_ptr<Rule>>* rules = nullptr;
  std::string src_root;  // paths in reports are made relative to this
};

// Where a finding points: its `at` value, else its resource's object.
Location finding_location(const Model& model, const Finding& f);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_REPORT_H_
