#include "sarif/sarif_writer.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "sarif/baseline.h"

namespace drcheck {

namespace {

using oj = nlohmann::ordered_json;

constexpr const char* kSrcRoot = "%SRCROOT%";

oj artifact_location(const std::string& path, bool under_root) {
  oj a = oj::object();
  SpanLocation s;
  s.path = path;
  s.under_root = under_root;
  a["uri"] = sarif_uri(s);
  // An absolute file:// uri (a path on another root) needs no base.
  if (a["uri"].get_ref<const std::string&>().rfind("file://", 0) != 0) {
    a["uriBaseId"] = kSrcRoot;
  }
  return a;
}

oj region(const SpanLocation& s) {
  oj r = oj::object();
  r["startLine"] = s.start_line;
  if (s.start_column) r["startColumn"] = s.start_column;
  if (s.end_line && s.end_column) {
    r["endLine"] = s.end_line;
    r["endColumn"] = s.end_column;
  }
  return r;
}

oj physical(const SpanLocation& s) {
  oj p = oj::object();
  p["artifactLocation"] = artifact_location(s.path, s.under_root);
  if (s.start_line) p["region"] = region(s);
  return p;
}

oj logical(const std::string& address) {
  oj l = oj::object();
  l["fullyQualifiedName"] = address;
  l["kind"] = "resource";
  oj a = oj::array();
  a.push_back(std::move(l));
  return a;
}

oj message(const std::string& text) {
  oj m = oj::object();
  m["text"] = text;
  return m;
}

oj rule_descriptor(const RuleMeta& m) {
  oj r = oj::object();
  r["id"] = std::string(m.id);
  r["name"] = std::string(m.name);
  r["shortDescription"] = message(std::string(m.short_description));
  r["fullDescription"] = message(std::string(m.full_description));
  oj help = oj::object();
  help["text"] = std::string(m.help_markdown);
  help["markdown"] = std::string(m.help_markdown);
  r["help"] = help;
  r["helpUri"] = m.help_uri();
  r["defaultConfiguration"] = {{"level", level_name(m.default_level)}};
  oj props = oj::object();
  oj tags = oj::array();
  bool has_security = false;
  for (auto t : m.tags) {
    tags.push_back(std::string(t));
    has_security = has_security || t == "security";
  }
  // GitHub reads security-severity only on rules tagged "security".
  if (!m.security_severity.empty() && !has_security) tags.push_back("security");
  props["tags"] = tags;
  if (!m.security_severity.empty()) {
    props["security-severity"] = std::string(m.security_severity);
  }
  if (!m.precision.empty()) props["precision"] = std::string(m.precision);
  r["properties"] = props;
  return r;
}

oj notification(const Diagnostic& d, const PathMapper& paths) {
  oj n = oj::object();
  n["level"] = d.severity == Severity::kError     ? "error"
               : d.severity == Severity::kWarning ? "warning"
                                                  : "note";
  n["message"] = message(d.message);
  if (!d.file.empty()) {
    SpanLocation s;
    s.path = paths.relative(d.file, &s.under_root);
    s.start_line = d.line;
    s.start_column = d.line ? d.column : 0;
    oj loc = oj::object();
    loc["physicalLocation"] = physical(s);
    n["locations"] = oj::array({loc});
  }
  return n;
}

oj result_for(const FindingView& v, const ReportView& view) {
  const Finding& f = *v.finding;
  oj r = oj::object();
  r["ruleId"] = std::string(f.rule_id);
  int index = view.rule_index(f.rule_id);
  if (index >= 0) r["ruleIndex"] = index;
  r["level"] = level_name(f.level);
  std::string text = f.message;
  if (text.empty()) {
    const RuleMeta* m = view.rule(f.rule_id);
    text = m ? std::string(m->short_description) : std::string(f.rule_id);
  }
  r["message"] = message(text);
  oj loc = oj::object();
  if (v.primary.valid()) loc["physicalLocation"] = physical(v.primary);
  if (!v.address.empty()) loc["logicalLocations"] = logical(v.address);
  r["locations"] = oj::array();
  r["locations"].push_back(std::move(loc));
  if (!v.related.empty()) {
    oj related = oj::array();
    int id = 1;
    for (const RelatedView& rv : v.related) {
      if (related.size() == kSarifMaxRelated) break;
      oj rl = oj::object();
      rl["id"] = id++;
      if (rv.location.valid()) rl["physicalLocation"] = physical(rv.location);
      if (!rv.address.empty()) rl["logicalLocations"] = logical(rv.address);
      rl["message"] = message(rv.message);
      related.push_back(std::move(rl));
    }
    r["relatedLocations"] = std::move(related);
  }
  r["partialFingerprints"] = {{kFingerprintKey, v.fingerprint}};
  if (v.baseline != BaselineState::kNone) {
    r["baselineState"] = baseline_state_name(v.baseline);
  }
  if (f.suppressed) {
    oj s = oj::object();
    s["kind"] = f.suppression_kind.empty() ? "external" : f.suppression_kind;
    s["status"] = "accepted";
    if (!f.suppression_justification.empty()) {
      s["justification"] = f.suppression_justification;
    }
    r["suppressions"] = oj::array();
    r["suppressions"].push_back(std::move(s));
  }
  oj props = oj::object();
  if (v.resource) {
    if (v.resource->region) props["region"] = *v.resource->region;
    props["role"] = role_name(v.resource->role);
  }
  if (v.related.size() > kSarifMaxRelated) {
    props["relatedLocationsDropped"] = v.related.size() - kSarifMaxRelated;
  }
  if (!props.empty()) r["properties"] = std::move(props);
  return r;
}

// An old result re-emitted as "absent": same keys in the same order, the
// rule index refreshed against the current rules.
oj absent_result(const oj& old, const ReportView& view) {
  oj r = oj::object();
  std::string rule_id = old.value("ruleId", "");
  int index = view.rule_index(rule_id);
  bool placed_state = false;
  for (auto it = old.begin(); it != old.end(); ++it) {
    if (it.key() == "ruleIndex") {
      if (index >= 0) r["ruleIndex"] = index;
    } else if (it.key() == "baselineState") {
      r["baselineState"] = "absent";
      placed_state = true;
    } else {
      r[it.key()] = it.value();
    }
    if (it.key() == "ruleId" && index >= 0 && !old.contains("ruleIndex")) {
      r["ruleIndex"] = index;
    }
  }
  if (!placed_state) r["baselineState"] = "absent";
  return r;
}

int level_rank(std::string_view level) {
  Level l = Level::kWarning;  // SARIF's default level
  parse_level(level, l);
  return static_cast<int>(l);
}

}  // namespace

oj sarif_json(const Report& report, size_t max_results) {
  const Model& model = *report.model;
  const ScanOptions* options = report.options;
  ReportView view(report);
  const PathMapper& paths = view.paths();

  oj driver = oj::object();
  driver["name"] = "drcheck";
  driver["version"] = DRCHECK_VERSION;
  driver["semanticVersion"] = DRCHECK_VERSION;
  driver["informationUri"] = kInformationUri;
  oj rules = oj::array();
  if (report.rules) {
    for (const auto& rule : *report.rules) {
      rules.push_back(rule_descriptor(rule->meta()));
    }
  }
  driver["rules"] = rules;

  // Results, ranked for the size limit: counting findings first, then
  // suppressed or unchanged ones, then absent ones; by level within each.
  // Only the kept ones are built.
  const auto& views = view.findings();
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
  oj result_list = oj::array();
  for (size_t i = 0; i < total; ++i) {
    if (!keep[i]) continue;
    result_list.push_back(i < views.size()
                              ? result_for(views[i], view)
                              : absent_result(*absent[i - views.size()], view));
  }

  oj notifications = oj::array();
  for (const auto& d : model.errors)
    notifications.push_back(notification(d, paths));
  for (const auto& d : model.warnings) {
    notifications.push_back(notification(d, paths));
  }
  for (const auto& d : report.notifications) {
    notifications.push_back(notification(d, paths));
  }
  if (dropped) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.message = std::to_string(dropped) + " result" +
                (dropped == 1 ? " was" : "s were") +
                " dropped to stay within GitHub's limit of " +
                std::to_string(max_results) +
                " results per run (the least severe go first); use "
                "--format json or text for all of them";
    notifications.push_back(notification(d, paths));
  }
  oj invocation = oj::object();
  invocation["executionSuccessful"] = model.errors.empty();
  invocation["toolExecutionNotifications"] = notifications;

  // Artifacts: every input, and every other file a result points into.
  std::map<std::string, std::pair<bool, bool>>
      artifacts;  // path -> (input, under)
  for (const auto& in : model.inputs) {
    bool under = false;
    std::string p = paths.relative(in.file, &under);
    artifacts[p] = {true, under};
  }
  for (const FindingView& v : view.findings()) {
    if (v.primary.valid()) {
      artifacts.emplace(v.primary.path,
                        std::make_pair(false, v.primary.under_root));
    }
  }
  oj artifact_list = oj::array();
  for (const auto& [path, flags] : artifacts) {
    oj a = oj::object();
    a["location"] = artifact_location(path, flags.second);
    if (flags.first) a["roles"] = oj::array({"analysisTarget"});
    artifact_list.push_back(a);
  }

  oj run = oj::object();
  run["tool"] = {{"driver", driver}};
  run["invocations"] = oj::array({invocation});
  oj base = oj::object();
  base[kSrcRoot] = {{"uri", paths.root_uri()}};
  run["originalUriBaseIds"] = base;
  run["artifacts"] = artifact_list;
  run["results"] = std::move(result_list);
  run["columnKind"] = "unicodeCodePoints";
  oj props = oj::object();
  if (options) props["profile"] = profile_name(options->profile);
  props["primaryRegion"] = model.primary_region;
  props["drRegion"] = model.dr_region;
  props["rolesInferredFrom"] = model.roles_inferred_from;
  if (options) {
    props["envSuffix"] = options->env_suffix;
    props["envSuffixInferred"] = options->env_suffix_inferred;
  }
  run["properties"] = props;

  oj log = oj::object();
  log["$schema"] = kSarifSchemaUri;
  log["version"] = "2.1.0";
  log["runs"] = oj::array({run});
  return log;
}

std::string write_sarif(const Report& report) {
  return sarif_json(report).dump(
             2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

}  // namespace drcheck
