#include "sarif/json_writer.h"

#include "sarif/chunks.h"
#include "sarif/json_out.h"

namespace drcheck {

namespace {

using oj = nlohmann::ordered_json;

void put_location(JsonOut& o, const SpanLocation& s, bool with_end) {
  o.key("file");
  if (s.valid()) {
    o.string(s.path);
  } else {
    o.null();
  }
  o.key("line").number(s.start_line);
  o.key("column").number(s.start_column);
  if (with_end) {
    o.key("end_line").number(s.end_line);
    o.key("end_column").number(s.end_column);
  }
}

void diagnostic(JsonOut& o, const Diagnostic& d, const PathMapper& paths) {
  o.begin_object();
  o.key("file").string(d.file.empty() ? std::string() : paths.relative(d.file));
  o.key("line").number(d.line);
  o.key("column").number(d.column);
  o.key("severity")
      .string(d.severity == Severity::kError     ? "error"
              : d.severity == Severity::kWarning ? "warning"
                                                 : "note");
  o.key("message").string(d.message);
  o.end_object();
}

void finding(JsonOut& o, const FindingView& v) {
  const Finding& f = *v.finding;
  o.begin_object();
  o.key("rule").string(f.rule_id);
  o.key("level").string(level_name(f.level));
  o.key("message").string(f.message);
  o.key("address").string(v.address);
  put_location(o, v.primary, true);
  o.key("region");
  if (v.resource && v.resource->region) {
    o.string(*v.resource->region);
  } else {
    o.null();
  }
  o.key("role").string(v.resource ? role_name(v.resource->role) : "unknown");
  o.key("related").begin_array();
  for (const RelatedView& r : v.related) {
    if (r.role == "synthesized in") continue;  // see "synthesized"
    o.begin_object();
    o.key("role").string(r.role);
    o.key("address").string(r.address);
    put_location(o, r.location, false);
    o.end_object();
  }
  o.end_array();
  if (v.synthesized.valid()) {
    o.key("synthesized").begin_object();
    put_location(o, v.synthesized, false);
    o.end_object();
  }
  o.key("fingerprint").string(v.fingerprint);
  o.key("suppressed").boolean(f.suppressed);
  if (f.suppressed) {
    o.key("suppression").begin_object();
    o.key("kind").string(f.suppression_kind);
    o.key("justification").string(f.suppression_justification);
    o.end_object();
  }
  if (v.baseline != BaselineState::kNone) {
    o.key("baseline").string(baseline_state_name(v.baseline));
  }
  o.end_object();
}

void absent_result(JsonOut& o, const oj& old) {
  o.begin_object();
  o.key("rule").string(old.value("ruleId", ""));
  const oj* msg = old.contains("message") ? &old["message"] : nullptr;
  o.key("message").string(msg && msg->is_object() ? msg->value("text", "")
                                                  : "");
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
  o.key("address").string(address);
  o.key("file").string(file);
  o.key("line").number(line);
  std::string fp;
  auto pf = old.find("partialFingerprints");
  if (pf != old.end() && pf->is_object()) fp = pf->value("drcheck/v1", "");
  o.key("fingerprint").string(fp);
  o.end_object();
}

}  // namespace

void write_json(const Report& report, ReportSink& out) {
  const Model& model = *report.model;
  ReportView view(report);
  // The parts around the findings; the findings render in chunks of their
  // own.
  std::string text;
  text.reserve(size_t{64} << 10);
  JsonOut o(text);
  o.begin_object();
  o.key("tool").string("drcheck");
  o.key("version").string(DRCHECK_VERSION);
  o.key("schema_version").number(1);

  o.key("run").begin_object();
  if (report.options) {
    o.key("profile").string(profile_name(report.options->profile));
  }
  o.key("primary_region").string(model.primary_region);
  o.key("dr_region").string(model.dr_region);
  o.key("roles_inferred_from").string(model.roles_inferred_from);
  if (report.options) {
    o.key("env_suffix").string(report.options->env_suffix);
    o.key("env_suffix_inferred").boolean(report.options->env_suffix_inferred);
  }
  o.end_object();

  o.key("summary").begin_object();
  o.key("findings").number(view.counted());
  o.key("by_rule").begin_object();
  for (const auto& [rule, levels] : view.summary()) {
    o.key(rule).begin_object();
    for (const auto& [level, n] : levels) o.key(level).number(n);
    o.end_object();
  }
  o.end_object();
  o.key("suppressed").number(view.suppressed());
  o.key("unchanged").number(view.unchanged());
  o.key("absent").number(report.absent.size());
  o.key("input_errors").number(model.errors.size());
  o.end_object();

  o.key("findings").begin_array();
  out.write(text);
  text.clear();
  const auto& views = view.findings();
  const size_t depth = o.depth();
  render_in_chunks(views.size(), report.jobs, report.chunk_items, out,
                   [&](size_t begin, size_t end, std::string& chunk) {
                     JsonOut c(chunk, depth, begin > 0);
                     for (size_t i = begin; i < end; ++i) finding(c, views[i]);
                   });
  o.filled(!views.empty()).end_array();

  o.key("absent").begin_array();
  for (const oj& old : report.absent) {
    if (old.is_object()) absent_result(o, old);
  }
  o.end_array();

  o.key("errors").begin_array();
  for (const auto& d : model.errors) diagnostic(o, d, view.paths());
  o.end_array();
  o.key("warnings").begin_array();
  for (const auto& d : model.warnings) diagnostic(o, d, view.paths());
  for (const auto& d : report.notifications) diagnostic(o, d, view.paths());
  o.end_array();
  o.end_object();
  text += '\n';
  out.write(text);
}

std::string write_json(const Report& report) {
  return write_to_string([&](ReportSink& sink) { write_json(report, sink); });
}

}  // namespace drcheck
