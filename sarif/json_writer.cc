#include "sarif/json_writer.h"

namespace drcheck {

namespace {

using oj = nlohmann::ordered_json;

void put_location(oj& j, const SpanLocation& s, bool with_end) {
  j["file"] = s.valid() ? oj(s.path) : oj(nullptr);
  j["line"] = s.start_line;
  j["column"] = s.start_column;
  if (with_end) {
    j["end_line"] = s.end_line;
    j["end_column"] = s.end_column;
  }
}

oj diagnostic(const Diagnostic& d, const PathMapper& paths) {
  oj j = oj::object();
  j["file"] = d.file.empty() ? std::string() : paths.relative(d.file);
  j["line"] = d.line;
  j["column"] = d.column;
  j["severity"] = d.severity == Severity::kError     ? "error"
                  : d.severity == Severity::kWarning ? "warning"
                                                     : "note";
  j["message"] = d.message;
  return j;
}

}  // namespace

std::string write_json(const Report& report) {
  const Model& model = *report.model;
  ReportView view(report);
  oj out = oj::object();
  out["tool"] = "drcheck";
  out["version"] = DRCHECK_VERSION;
  out["schema_version"] = 1;

  oj run = oj::object();
  if (report.options) run["profile"] = profile_name(report.options->profile);
  run["primary_region"] = model.primary_region;
  run["dr_region"] = model.dr_region;
  run["roles_inferred_from"] = model.roles_inferred_from;
  if (report.options) {
    run["env_suffix"] = report.options->env_suffix;
    run["env_suffix_inferred"] = report.options->env_suffix_inferred;
  }
  out["run"] = run;

  oj summary = oj::object();
  summary["findings"] = view.counted();
  oj by_rule = oj::object();
  for (const auto& [rule, levels] : view.summary()) {
    oj l = oj::object();
    for (const auto& [level, n] : levels) l[level] = n;
    by_rule[rule] = l;
  }
  summary["by_rule"] = by_rule;
  summary["suppressed"] = view.suppressed();
  summary["unchanged"] = view.unchanged();
  summary["absent"] = report.absent.size();
  summary["input_errors"] = model.errors.size();
  out["summary"] = summary;

  oj findings = oj::array();
  for (const FindingView& v : view.findings()) {
    const Finding& f = *v.finding;
    oj j = oj::object();
    j["rule"] = std::string(f.rule_id);
    j["level"] = level_name(f.level);
    j["message"] = f.message;
    j["address"] = v.address;
    put_location(j, v.primary, true);
    j["region"] = v.resource && v.resource->region ? oj(*v.resource->region)
                                                   : oj(nullptr);
    j["role"] = v.resource ? role_name(v.resource->role) : "unknown";
    oj related = oj::array();
    for (const RelatedView& r : v.related) {
      if (r.role == "synthesized in") continue;  // see "synthesized"
      oj rj = oj::object();
      rj["role"] = r.role;
      rj["address"] = r.address;
      put_location(rj, r.location, false);
      related.push_back(rj);
    }
    j["related"] = related;
    if (v.synthesized.valid()) {
      oj s = oj::object();
      put_location(s, v.synthesized, false);
      j["synthesized"] = s;
    }
    j["fingerprint"] = v.fingerprint;
    j["suppressed"] = f.suppressed;
    if (f.suppressed) {
      j["suppression"] = {{"kind", f.suppression_kind},
                          {"justification", f.suppression_justification}};
    }
    if (v.baseline != BaselineState::kNone) {
      j["baseline"] = baseline_state_name(v.baseline);
    }
    findings.push_back(std::move(j));
  }
  out["findings"] = std::move(findings);

  oj absent = oj::array();
  for (const oj& old : report.absent) {
    if (!old.is_object()) continue;
    oj a = oj::object();
    a["rule"] = old.value("ruleId", "");
    const oj* msg = old.contains("message") ? &old["message"] : nullptr;
    a["message"] = msg && msg->is_object() ? msg->value("text", "") : "";
    std::string address, file;
    int line = 0;
    if (old.contains("locations") && old["locations"].is_array() &&
        !old["locations"].empty()) {
      const oj& loc = old["locations"][0];
      if (loc.is_object()) {
        auto ll = loc.find("logicalLocations");
        if (ll != loc.end() && ll->is_array() && !ll->empty() &&
            (*ll)[0].is_object()) {
          address = (*ll)[0].value("fullyQualifiedName", "");
        }
        auto pl = loc.find("physicalLocation");
        if (pl != loc.end() && pl->is_object()) {
          auto al = pl->find("artifactLocation");
          if (al != pl->end() && al->is_object()) file = al->value("uri", "");
          auto rg = pl->find("region");
          if (rg != pl->end() && rg->is_object())
            line = rg->value("startLine", 0);
        }
      }
    }
    a["address"] = address;
    a["file"] = file;
    a["line"] = line;
    std::string fp;
    auto pf = old.find("partialFingerprints");
    if (pf != old.end() && pf->is_object()) fp = pf->value("drcheck/v1", "");
    a["fingerprint"] = fp;
    absent.push_back(std::move(a));
  }
  out["absent"] = std::move(absent);

  oj errors = oj::array();
  for (const auto& d : model.errors)
    errors.push_back(diagnostic(d, view.paths()));
  out["errors"] = std::move(errors);
  oj warnings = oj::array();
  for (const auto& d : model.warnings)
    warnings.push_back(diagnostic(d, view.paths()));
  for (const auto& d : report.notifications) {
    warnings.push_back(diagnostic(d, view.paths()));
  }
  out["warnings"] = std::move(warnings);
  return out.dump(2, ' ', false, oj::error_handler_t::replace) + "\n";
}

}  // namespace drcheck
