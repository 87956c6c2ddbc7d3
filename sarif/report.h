// report.h: everything a writer needs to render one scan, and nothing about
// input formats. Writers (text, SARIF, JSON, JUnit, Markdown) take a Report
// and return the bytes to write.
//
// ReportView resolves, once, what every writer shows for a finding: its
// primary location (the human-written source line when the resource
// recorded one and that file exists under the source root, else the
// offending value in the synthesized input), the
// related locations, the fingerprint, and whether the finding counts
// (neither suppressed nor unchanged against a baseline). Paths are shown
// relative to Report::src_root, '/'-separated.
#ifndef DRCHECK_SARIF_REPORT_H_
#define DRCHECK_SARIF_REPORT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/model.h"
#include "analyzer/options.h"
#include "analyzer/rule.h"

namespace drcheck {

enum class BaselineState { kNone, kNew, kUnchanged, kAbsent };
const char* baseline_state_name(BaselineState s);  // "new", "unchanged", ...

struct Report {
  const Model* model = nullptr;
  const std::vector<Finding>* findings = nullptr;
  const ScanOptions* options = nullptr;
  const std::vector<std::unique_ptr<Rule>>* rules = nullptr;
  std::string src_root;  // paths in reports are made relative to this
                         // (empty: the current directory)
  // Per finding (same order as *findings) when a baseline was given; empty
  // otherwise.
  std::vector<BaselineState> baseline;
  // Baseline results (SARIF result objects) no current finding matches.
  std::vector<nlohmann::ordered_json> absent;
  // Warnings about the scan itself: expired suppressions, bad markers.
  std::vector<Diagnostic> notifications;
  // Markdown: prefix for file links (e.g. a blob URL ending in '/'); empty
  // gives links relative to the source root.
  std::string link_base;
  // Threads the report may use (positions are found file by file, findings
  // are fingerprinted and rendered in chunks); the output is the same
  // whatever the number.
  unsigned jobs = 1;
  // Findings per rendering chunk (0: the default); tests lower it to use
  // many chunks. Does not change the output.
  size_t chunk_items = 0;
};

// Where a finding points: its `at` value, else its resource's object.
Location finding_location(const Model& model, const Finding& f);

// "drcheck/v1" fingerprint: SHA-256 (hex) of the rule id, the primary
// resource's address and the facts, NUL-separated. Never positions.
std::string finding_fingerprint(const Model& model, const Finding& f);

// A span in a file as reports show it. Lines and columns are 1-based,
// columns in code points; end_column is one past the last character (SARIF
// convention); 0 = unknown.
struct SpanLocation {
  std::string path;  // relative to the source root when under it
  bool under_root = false;
  uint32_t start_line = 0;
  uint32_t start_column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  bool valid() const { return !path.empty(); }
  std::string str() const;  // "path:line:col" (line/col left out when 0)
  void append_to(std::string& out) const;  // appends str()
};

struct RelatedView {
  SpanLocation location;
  std::string role;     // "peer VPC", or "synthesized in" for a mapping
  std::string address;  // related resource's address
  std::string message;  // role + address, as SARIF shows it
};

struct FindingView {
  const Finding* finding = nullptr;
  const Resource* resource = nullptr;  // null when the finding has none
  std::string address;
  SpanLocation primary;
  // The offending value in the synthesized input, set when `primary` is a
  // human-written source line (then also the first related location).
  SpanLocation synthesized;
  std::vector<RelatedView> related;
  std::string fingerprint;
  BaselineState baseline = BaselineState::kNone;
  bool counts = true;  // not suppressed and not unchanged
};

// Turns paths into paths relative to a source root.
class PathMapper {
 public:
  explicit PathMapper(const std::string& src_root);
  // `path` relative to the root ('/'-separated, lexically normalized);
  // `under` says whether it lies inside the root. file:// URIs are decoded.
  std::string relative(std::string_view path, bool* under = nullptr) const;
  // "file:///abs/root/" (percent-encoded, with a trailing slash).
  std::string root_uri() const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;  // absolute, normalized, no trailing slash
  mutable std::unordered_map<std::string, std::pair<std::string, bool>> cache_;
};

class ReportView {
 public:
  // Without `positions`, spans keep their paths but no lines or columns
  // (enough to match a baseline, and much cheaper).
  explicit ReportView(const Report& report, bool positions = true);
  const Report& report() const { return report_; }
  const std::vector<FindingView>& findings() const { return views_; }
  const PathMapper& paths() const { return paths_; }
  // Counts over findings that count, by rule then level name.
  std::map<std::string, std::map<std::string, int>> summary() const;
  size_t counted() const;
  size_t suppressed() const;
  size_t unchanged() const;
  // The RuleMeta with this id, or null.
  const RuleMeta* rule(std::string_view id) const;
  int rule_index(std::string_view id) const;  // -1 when unknown

 private:
  // The human-written line a resource recorded, when that file exists
  // under the source root (a relative path is looked up from the input's
  // folder upwards, then from the current directory and the root).
  SpanLocation from_source_ref(const Resource& r) const;
  std::string find_source_file(const std::string& file,
                               const std::string& input_dir) const;
  const json::JsonDoc* doc_of(const SourceFile* file) const;
  // The JSON value starting at `loc`, or absent.
  json::JValue value_at(const Location& loc) const;

  // What a span needs before positions are known: the file and the byte
  // offsets of its start and (for a JSON value) its end.
  struct SpanRequest {
    const SourceFile* file = nullptr;
    uint32_t start = 0, end = 0;
    bool has_end = false;
  };
  SpanRequest request(const json::JValue& v) const;
  SpanRequest request_resource(int index) const;
  // The end offset of a resource's object (kNoEnd when no JSON value starts
  // at its `at`), cached per resource.
  uint32_t resource_end(int index) const;
  static constexpr uint32_t kNoEnd = UINT32_MAX;
  static constexpr uint32_t kUnknownEnd = UINT32_MAX - 1;  // not looked up
  mutable std::vector<uint32_t> resource_end_;
  // The file as shown (PathMapper::relative), cached per file.
  const std::pair<std::string, bool>& shown(const SourceFile* file) const;
  mutable std::unordered_map<const SourceFile*, std::pair<std::string, bool>>
      shown_;
  // A line and column still to be found, and where to store them.
  struct PositionWanted {
    const SourceFile* file;
    uint32_t offset;
    uint32_t* line;
    uint32_t* column;
  };
  // Sets `s`'s path and queues its positions (s must not move until
  // resolve_positions()).
  void place(SpanLocation& s, const SpanRequest& r);
  // Stores every queued position, one pass over each file's text.
  void resolve_positions();
  std::vector<PositionWanted> wanted_;

  const Report& report_;
  PathMapper paths_;
  std::vector<FindingView> views_;
  std::unordered_map<const SourceFile*, const json::JsonDoc*> docs_;
  // (input folder, recorded file) -> absolute path found, or "".
  mutable std::map<std::pair<std::string, std::string>, std::string> found_;
  // from_source_ref()'s answer per input index and recorded file.
  struct ShownSource {
    bool found = false;
    std::string path;  // as shown (PathMapper::relative)
    bool under_root = false;
  };
  mutable std::unordered_map<int, std::unordered_map<std::string, ShownSource>>
      source_files_;
};

// Whether a finding at `level` makes the exit code 1 under `fail_on`
// ("error", "warning", "note" or "never").
bool at_or_above(Level level, std::string_view fail_on);

// Appends "PATH:LINE:COL: LEVEL RULE ADDRESS: MESSAGE" ('?' for an unknown
// location, no address part when the finding has no resource): a finding's
// line in the text and JUnit reports. `color` puts the level in ANSI colour.
void append_finding_line(std::string& out, const FindingView& v,
                         bool color = false);

// Percent-encodes a relative path for a URI (keeps unreserved characters
// and '/').
std::string uri_escape_path(std::string_view path);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_REPORT_H_
