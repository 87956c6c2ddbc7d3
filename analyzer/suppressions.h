// suppressions.h: which findings are accepted, and why.
//
// Two sources, both leaving the finding in SARIF with a `suppressions`
// entry while it stops counting for the exit code and the text report:
//
// External: a suppressions file (`--suppressions FILE` or config key
// `suppressions`):
//
//   {"suppressions": [
//     {"rule": "DR002", "address": "module.legacy.*",
//      "justification": "legacy names are kept until the 2027 migration",
//      "expires": "2027-01-31"}]}
//
// `rule` and `address` are globs (`*` any run of characters, `?` one);
// `justification` is required; `expires` (optional, YYYY-MM-DD) is the last
// day the entry applies. An expired entry suppresses nothing and is reported
// as a warning.
//
// In source, on the resource (kind "inSource"):
//   - a tag `drcheck:skip` whose value lists rule ids: "DR002,DR005"
//     (optional tag `drcheck:justification`);
//   - CloudFormation `Metadata.drcheck.skip` (a list of ids or a comma
//     string; optional `Metadata.drcheck.justification`), read from
//     Resource::envelope;
//   - CDKTF `"//": {"drcheck_skip": "DR002"}` (optional
//     `drcheck_justification`), read from Resource::envelope.
// A marker naming no known rule is reported as a warning.
#ifndef DRCHECK_ANALYZER_SUPPRESSIONS_H_
#define DRCHECK_ANALYZER_SUPPRESSIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/model.h"
#include "analyzer/rule.h"

namespace drcheck {

struct SuppressionEntry {
  std::string rule;     // glob over rule ids
  std::string address;  // glob over resource addresses
  std::string justification;
  std::string expires;  // "YYYY-MM-DD"; empty: never
  // Where the entry is written.
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

// Reads a suppressions file into `out`. Returns false with `error`
// (file:line:col) on an unreadable file, bad JSON, a wrong shape, an
// unknown key, a missing justification or a malformed date.
bool load_suppressions(const std::string& path,
                       std::vector<SuppressionEntry>& out, Diagnostic& error);

// `*` matches any run of characters (dots and slashes too), `?` one byte.
bool glob_match(std::string_view pattern, std::string_view text);

// Whether `s` is a real calendar date written YYYY-MM-DD.
bool valid_date(std::string_view s);

// Today's date (UTC) as YYYY-MM-DD; SOURCE_DATE_EPOCH, when set, stands for
// the current time (reproducible runs and tests).
std::string today_utc();

// One in-source marker on a resource.
struct InSourceSkip {
  std::vector<std::string> rules;  // upper-cased ids as written
  std::string justification;       // given, or which marker it was
  json::JValue at;                 // where the marker is written
};
std::vector<InSourceSkip> in_source_skips(const Resource& r);

// Marks findings suppressed (in-source markers first, then file entries in
// order) and returns warnings: expired entries, markers naming unknown
// rules. `known_rules` are the registered rule ids; `today` is YYYY-MM-DD.
// The markers are read on up to `jobs` threads; the result is the same.
std::vector<Diagnostic> apply_suppressions(
    const Model& model, const std::vector<SuppressionEntry>& entries,
    const std::vector<std::string>& known_rules, std::string_view today,
    std::vector<Finding>& findings, unsigned jobs = 1);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_SUPPRESSIONS_H_
