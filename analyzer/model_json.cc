#include "analyzer/model_json.h"

namespace drcheck {

nlohmann::ordered_json diagnostic_to_json(const Diagnostic& d) {
  nlohmann::ordered_json j;
  j["file"] = d.file;
  j["line"] = d.line;
  j["column"] = d.column;
  j["severity"] = d.severity == Severity::kError     ? "error"
                  : d.severity == Severity::kWarning ? "warning"
                                                     : "note";
  j["message"] = d.message;
  return j;
}

nlohmann::ordered_json model_to_json(const Model& model) {
  using nlohmann::ordered_json;
  ordered_json out;
  ordered_json resources = ordered_json::array();
  for (const auto& r : model.resources) {
    ordered_json j;
    j["address"] = r.address;
    j["type"] = r.type;
    j["kind"] = r.kind;
    j["region"] = r.region ? ordered_json(*r.region) : ordered_json(nullptr);
    j["region_source"] = r.region_source;
    j["role"] = role_name(r.role);
    ordered_json tags = ordered_json::object();
    for (const auto& [k, t] : r.tags) tags[k] = t.value;
    j["tags"] = tags;
    j["name"] = r.name ? ordered_json(*r.name) : ordered_json(nullptr);
    const Input* in =
        r.input >= 0 ? &model.inputs[static_cast<size_t>(r.input)] : nullptr;
    Position p = r.at.position();
    j["file"] = r.at.valid() ? r.at.file->path() : (in ? in->file : "");
    j["line"] = p.line;
    j["column"] = p.column;
    ordered_json refs = ordered_json::array();
    for (const auto& ref : r.references) {
      ordered_json rj;
      rj["attribute"] = ref.attribute;
      rj["target"] = ref.target;
      rj["resolved"] =
          ref.index >= 0
              ? ordered_json(
                    model.resources[static_cast<size_t>(ref.index)].address)
              : ordered_json(nullptr);
      refs.push_back(rj);
    }
    j["references"] = refs;
    if (!r.construct_path.empty()) j["construct_path"] = r.construct_path;
    if (r.source_ref) {
      j["source"] = {{"file", r.source_ref->file},
                     {"line", r.source_ref->line},
                     {"column", r.source_ref->column}};
    }
    if (!r.stack.empty()) j["stack"] = r.stack;
    resources.push_back(std::move(j));
  }
  out["resources"] = std::move(resources);
  ordered_json inputs = ordered_json::array();
  for (const auto& in : model.inputs) {
    ordered_json j;
    j["file"] = in.file;
    j["format"] = format_name(in.format);
    j["resources"] = in.resources;
    if (!in.stack.empty()) j["stack"] = in.stack;
    inputs.push_back(std::move(j));
  }
  out["inputs"] = std::move(inputs);
  ordered_json errors = ordered_json::array();
  for (const auto& d : model.errors) errors.push_back(diagnostic_to_json(d));
  out["errors"] = std::move(errors);
  ordered_json warnings = ordered_json::array();
  for (const auto& d : model.warnings)
    warnings.push_back(diagnostic_to_json(d));
  out["warnings"] = std::move(warnings);
  out["roles"] = {{"primary", model.primary_region},
                  {"dr", model.dr_region},
                  {"inferred_from", model.roles_inferred_from}};
  return out;
}

std::string model_to_text(const Model& model) {
  std::string out;
  for (const auto& in : model.inputs) {
    out += "input " + in.file + " (" + format_name(in.format) + ", " +
           std::to_string(in.resources) + " resources)\n";
  }
  out += "roles: primary=" +
         (model.primary_region.empty() ? "?" : model.primary_region) +
         " dr=" + (model.dr_region.empty() ? "?" : model.dr_region) + " (" +
         model.roles_inferred_from + ")\n";
  for (const auto& r : model.resources) {
    Position p = r.at.position();
    out += (r.at.valid() ? r.at.file->path() : std::string("?")) + ":" +
           std::to_string(p.line) + ":" + std::to_string(p.column) + ": " +
           r.address + " [" + r.kind + "] region=" +
           (r.region ? *r.region : "null (" + r.region_source + ")") +
           " role=" + role_name(r.role);
    if (r.name) out += " name=" + *r.name;
    out += '\n';
  }
  for (const auto& d : model.errors) out += d.str() + '\n';
  return out;
}

}  // namespace drcheck
