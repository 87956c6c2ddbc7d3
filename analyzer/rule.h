// rule.h: what a rule is, what it reports, and what it may read.
//
// A rule is one class in one file pair under rules/ (rules/cidr_overlap.h +
// .cc for DR004). It declares its metadata (RuleMeta) next to its logic and
// is registered by one line in rules/registry.cc. The engine and every
// writer read only that metadata and the Findings; a rule reads only the
// Model and the ScanOptions — never a file.
//
// A Finding names its primary resource (where SARIF puts the alert; see
// RULES.md "Where each rule reports"), the exact value that is wrong (`at`,
// a JValue carrying its own file/line/column; absent = the resource itself),
// related resources with what they are ("peer VPC"), and the facts that
// identify it for fingerprints (never positions: a re-indented input must
// give the same fingerprint).
#ifndef DRCHECK_ANALYZER_RULE_H_
#define DRCHECK_ANALYZER_RULE_H_

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model.h"
#include "analyzer/options.h"

namespace drcheck {

enum class Level { kNone, kNote, kWarning, kError };
const char* level_name(Level l);  // "none", "note", "warning", "error"
bool parse_level(std::string_view s, Level& out);

struct RuleMeta {
  std::string_view id;                 // "DR004" (stable)
  std::string_view name;               // "cidr-overlap"
  std::string_view short_description;  // one sentence
  std::string_view full_description;   // a paragraph
  std::string_view help_markdown;      // how to fix, with examples
  Level default_level = Level::kError;
  std::vector<std::string_view> tags;  // e.g. {"dr", "network"}
  std::string_view security_severity;  // "7.5" (GitHub's 0.0-10.0)
  std::string_view precision;          // "very-high" | "high" | "medium"
  // How heavy check() is beside the other rules on large inputs (the CPU
  // time bench/run.sh measures, in rough steps). Only scheduling reads it:
  // under --jobs the heaviest rules start first, so the scan does not wait
  // on a heavy rule started last. It never changes what is found.
  int cost = 1;
  // Help page: docs/rules/<id>.md in the repository.
  std::string help_uri() const;
};

struct Related {
  int resource = -1;  // index into Model::resources
  std::string role;   // what it is to the finding: "peer VPC"
  json::JValue at;    // the related value, absent = the resource itself
};

struct Finding {
  std::string_view rule_id;
  Level level = Level::kError;
  std::string message;
  int resource = -1;  // primary resource (index into Model::resources)
  json::JValue at;    // the offending value; absent = the resource object
  std::vector<Related> related;
  // What identifies this finding beyond rule + address, e.g. the tag key
  // that is missing, the peer's address. Order matters; keep it stable.
  std::vector<std::string> facts;
  // Filled by suppressions and baselines (sarif/).
  bool suppressed = false;
  std::string suppression_kind;  // "external" | "inSource"
  std::string suppression_justification;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual const RuleMeta& meta() const = 0;
  // Appends findings for `model` to `out`. Must be deterministic: iterate
  // the model in order, never over unordered containers.
  virtual void check(const Model& model, const ScanOptions& options,
                     std::vector<Finding>& out) const = 0;
};

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_RULE_H_
