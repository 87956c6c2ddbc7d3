#include "sarif/sarif_writer.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>

#include "sarif/baseline.h"
#include "sarif/chunks.h"
#include "sarif/json_out.h"

namespace drcheck {

namespace {

using oj = nlohmann::ordered_json;

constexpr const char* kSrcRoot = "%SRCROOT%";

void artifact_location(JsonOut& o, std::string_view path, bool under_root) {
  std::string uri = sarif_uri(path, under_root);
  o.begin_object();
  o.key("uri").string(uri);
  // An absolute file:// uri (a path on another root) needs no base.
  if (uri.rfind("file://", 0) != 0) o.key("uriBaseId").string(kSrcRoot);
  o.end_object();
}

void region(JsonOut& o, const SpanLocation& s) {
  o.begin_object();
  o.key("startLine").number(s.start_line);
  if (s.start_column) o.key("startColumn").number(s.start_column);
  if (s.end_line && s.end_column) {
    o.key("endLine").number(s.end_line);
    o.key("endColumn").number(s.end_column);
  }
  o.end_object();
}

void physical(JsonOut& o, const SpanLocation& s) {
  o.begin_object();
  o.key("artifactLocation");
  artifact_location(o, s.path, s.under_root);
  if (s.start_line) {
    o.key("region");
    region(o, s);
  }
  o.end_object();
}

void logical(JsonOut& o, std::string_view address) {
  o.begin_array().begin_object();
  o.key("fullyQualifiedName").string(address);
  o.key("kind").string("resource");
  o.end_object().end_array();
}

// The members of a SARIF location: where (when known) and which resource.
void location_members(JsonOut& o, const SpanLocation& s,
                      std::string_view address) {
  if (s.valid()) {
    o.key("physicalLocation");
    physical(o, s);
  }
  if (!address.empty()) {
    o.key("logicalLocations");
    logical(o, address);
  }
}

void message(JsonOut& o, std::string_view text) {
  o.begin_object().key("text").string(text).end_object();
}

void rule_descriptor(JsonOut& o, const RuleMeta& m) {
  o.begin_object();
  o.key("id").string(m.id);
  o.key("name").string(m.name);
  o.key("shortDescription");
  message(o, m.short_description);
  o.key("fullDescription");
  message(o, m.full_description);
  o.key("help").begin_object();
  o.key("text").string(m.help_markdown);
  o.key("markdown").string(m.help_markdown);
  o.end_object();
  o.key("helpUri").string(m.help_uri());
  o.key("defaultConfiguration").begin_object();
  o.key("level").string(level_name(m.default_level));
  o.end_object();
  o.key("properties").begin_object();
  o.key("tags").begin_array();
  bool has_security = false;
  for (auto t : m.tags) {
    o.string(t);
    has_security = has_security || t == "security";
  }
  // GitHub reads security-severity only on rules tagged "security".
  if (!m.security_severity.empty() && !has_security) o.string("security");
  o.end_array();
  if (!m.security_severity.empty()) {
    o.key("security-severity").string(m.security_severity);
  }
  if (!m.precision.empty()) o.key("precision").string(m.precision);
  o.end_object();
  o.end_object();
}

void notification(JsonOut& o, const Diagnostic& d, const PathMapper& paths) {
  o.begin_object();
  o.key("level").string(d.severity == Severity::kError     ? "error"
                        : d.severity == Severity::kWarning ? "warning"
                                                           : "note");
  o.key("message");
  message(o, d.message);
  if (!d.file.empty()) {
    SpanLocation s;
    s.path = paths.relative(d.file, &s.under_root);
    s.start_line = d.line;
    s.start_column = d.line ? d.column : 0;
    o.key("locations").begin_array().begin_object();
    o.key("physicalLocation");
    physical(o, s);
    o.end_object().end_array();
  }
  o.end_object();
}

void result_for(JsonOut& o, const FindingView& v, const ReportView& view) {
  const Finding& f = *v.finding;
  o.begin_object();
  o.key("ruleId").string(f.rule_id);
  int index = view.rule_index(f.rule_id);
  if (index >= 0) o.key("ruleIndex").number(index);
  o.key("level").string(level_name(f.level));
  o.key("message");
  if (!f.message.empty()) {
    message(o, f.message);
  } else {
    const RuleMeta* m = view.rule(f.rule_id);
    message(o, m ? m->short_description : f.rule_id);
  }
  o.key("locations").begin_array().begin_object();
  location_members(o, v.primary, v.address);
  o.end_object().end_array();
  if (!v.related.empty()) {
    o.key("relatedLocations").begin_array();
    int id = 1;
    for (const RelatedView& rv : v.related) {
      if (static_cast<size_t>(id) > kSarifMaxRelated) break;
      o.begin_object();
      o.key("id").number(id++);
      location_members(o, rv.location, rv.address);
      o.key("message");
      message(o, rv.message);
      o.end_object();
    }
    o.end_array();
  }
  o.key("partialFingerprints").begin_object();
  o.key(kFingerprintKey).string(v.fingerprint);
  o.end_object();
  if (v.baseline != BaselineState::kNone) {
    o.key("baselineState").string(baseline_state_name(v.baseline));
  }
  if (f.suppressed) {
    o.key("suppressions").begin_array().begin_object();
    o.key("kind").string(f.suppression_kind.empty() ? "external"
                                                    : f.suppression_kind);
    o.key("status").string("accepted");
    if (!f.suppression_justification.empty()) {
      o.key("justification").string(f.suppression_justification);
    }
    o.end_object().end_array();
  }
  const bool region = v.resource && v.resource->region;
  const bool dropped = v.related.size() > kSarifMaxRelated;
  if (v.resource || dropped) {
    o.key("properties").begin_object();
    if (region) o.key("region").string(*v.resource->region);
    if (v.resource) o.key("role").string(role_name(v.resource->role));
    if (dropped) {
      o.key("relatedLocationsDropped")
          .number(v.related.size() - kSarifMaxRelated);
    }
    o.end_object();
  }
  o.end_object();
}

// An old result re-emitted as "absent": same keys in the same order, the
// rule index refreshed against the current rules.
void absent_result(JsonOut& o, const oj& old, const ReportView& view) {
  std::string rule_id = old.value("ruleId", "");
  int index = view.rule_index(rule_id);
  const bool had_index = old.contains("ruleIndex");
  bool placed_state = false;
  o.begin_object();
  for (auto it = old.begin(); it != old.end(); ++it) {
    if (it.key() == "ruleIndex") {
      if (index >= 0) o.key("ruleIndex").number(index);
    } else if (it.key() == "baselineState") {
      o.key("baselineState").string("absent");
      placed_state = true;
    } else {
      o.key(it.key()).value(it.value());
    }
    if (it.key() == "ruleId" && index >= 0 && !had_index) {
      o.key("ruleIndex").number(index);
    }
  }
  if (!placed_state) o.key("baselineState").string("absent");
  o.end_object();
}

int level_rank(std::string_view level) {
  Level l = Level::kWarning;  // SARIF's default level
  parse_level(level, l);
  return static_cast<int>(l);
}

}  // namespace

void write_sarif(const Report& report, size_t max_results, ReportSink& out) {
  const Model& model = *report.model;
  const ScanOptions* options = report.options;
  ReportView view(report);
  const PathMapper& paths = view.paths();
  const auto& views = view.findings();

  // Results, ranked for the size limit: counting findings first, then
  // suppressed or unchanged ones, then absent ones; by level within each.
  // Only the kept ones are written.
  std::vector<const oj*> absent;
  for (const oj& old : report.absent) {
    if (old.is_object()) absent.push_back(&old);
  }
  const size_t total = views.size() + absent.size();
  std::vector<int> rank(total);
  for (size_t i = 0; i < views.size(); ++i) {
    rank[i] =
        (views[i].counts ? 20 : 10) + static_cast<int>(views[i].finding->level);
  }
  for (size_t i = 0; i < absent.size(); ++i) {
    rank[views.size() + i] =
        level_rank(absent[i]->value("level", std::string("warning")));
  }
  std::vector<bool> keep(total, true);
  size_t dropped = 0;
  if (total > max_results) {
    std::vector<size_t> order(total);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return rank[a] > rank[b]; });
    for (size_t i = max_results; i < total; ++i) keep[order[i]] = false;
    dropped = total - max_results;
  }

  // The parts before and after the results; the results render in chunks
  // of their own.
  std::string text;
  text.reserve(size_t{64} << 10);
  JsonOut o(text);
  o.begin_object();
  o.key("$schema").string(kSarifSchemaUri);
  o.key("version").string("2.1.0");
  o.key("runs").begin_array().begin_object();

  o.key("tool").begin_object().key("driver").begin_object();
  o.key("name").string("drcheck");
  o.key("version").string(DRCHECK_VERSION);
  o.key("semanticVersion").string(DRCHECK_VERSION);
  o.key("informationUri").string(kInformationUri);
  o.key("rules").begin_array();
  if (report.rules) {
    for (const auto& rule : *report.rules) rule_descriptor(o, rule->meta());
  }
  o.end_array();
  o.end_object().end_object();

  o.key("invocations").begin_array().begin_object();
  o.key("executionSuccessful").boolean(model.errors.empty());
  o.key("toolExecutionNotifications").begin_array();
  for (const auto& d : model.errors) notification(o, d, paths);
  for (const auto& d : model.warnings) notification(o, d, paths);
  for (const auto& d : report.notifications) notification(o, d, paths);
  if (dropped) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.message = std::to_string(dropped) + " result" +
                (dropped == 1 ? " was" : "s were") +
                " dropped to stay within GitHub's limit of " +
                std::to_string(max_results) +
                " results per run (the least severe go first); use "
                "--format json or text for all of them";
    notification(o, d, paths);
  }
  o.end_array();
  o.end_object().end_array();

  o.key("originalUriBaseIds").begin_object();
  o.key(kSrcRoot).begin_object().key("uri").string(paths.root_uri());
  o.end_object().end_object();

  // Artifacts: every input, and every other file a result points into.
  std::map<std::string, std::pair<bool, bool>>
      artifacts;  // path -> (input, under)
  for (const auto& in : model.inputs) {
    bool under = false;
    std::string p = paths.relative(in.file, &under);
    artifacts[p] = {true, under};
  }
  const std::string* last = nullptr;  // neighbours mostly share a file
  for (const FindingView& v : views) {
    if (v.primary.valid() && !(last && *last == v.primary.path)) {
      artifacts.emplace(v.primary.path,
                        std::make_pair(false, v.primary.under_root));
      last = &v.primary.path;
    }
  }
  o.key("artifacts").begin_array();
  for (const auto& [path, flags] : artifacts) {
    o.begin_object();
    o.key("location");
    artifact_location(o, path, flags.second);
    if (flags.first)
      o.key("roles").begin_array().string("analysisTarget").end_array();
    o.end_object();
  }
  o.end_array();

  o.key("results").begin_array();
  out.write(text);
  text.clear();
  std::vector<uint32_t> kept;  // indices into views, then absent
  kept.reserve(total - dropped);
  for (size_t i = 0; i < total; ++i) {
    if (keep[i]) kept.push_back(static_cast<uint32_t>(i));
  }
  const size_t depth = o.depth();
  render_in_chunks(kept.size(), report.jobs, report.chunk_items, out,
                   [&](size_t begin, size_t end, std::string& chunk) {
                     JsonOut c(chunk, depth, begin > 0);
                     for (size_t k = begin; k < end; ++k) {
                       const size_t i = kept[k];
                       if (i < views.size()) {
                         result_for(c, views[i], view);
                       } else {
                         absent_result(c, *absent[i - views.size()], view);
                       }
                     }
                   });
  o.filled(!kept.empty()).end_array();
  o.key("columnKind").string("unicodeCodePoints");

  o.key("properties").begin_object();
  if (options) o.key("profile").string(profile_name(options->profile));
  o.key("primaryRegion").string(model.primary_region);
  o.key("drRegion").string(model.dr_region);
  o.key("rolesInferredFrom").string(model.roles_inferred_from);
  if (options) {
    o.key("envSuffix").string(options->env_suffix);
    o.key("envSuffixInferred").boolean(options->env_suffix_inferred);
  }
  o.end_object();

  o.end_object().end_array();
  o.end_object();
  text += '\n';
  out.write(text);
}

std::string write_sarif(const Report& report, size_t max_results) {
  return write_to_string(
      [&](ReportSink& sink) { write_sarif(report, max_results, sink); });
}

std::string write_sarif(const Report& report) {
  return write_sarif(report, kSarifMaxResults);
}

oj sarif_json(const Report& report, size_t max_results) {
  return oj::parse(write_sarif(report, max_results));
}

}  // namespace drcheck
