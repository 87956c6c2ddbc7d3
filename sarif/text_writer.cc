#include "sarif/text_writer.h"

#include <map>

namespace drcheck {

Location finding_location(const Model& model, const Finding& f) {
  if (f.at.present()) return Location::of(f.at);
  if (f.resource >= 0)
    return model.resources[static_cast<size_t>(f.resource)].at;
  return {};
}

std::string write_text(const Report& report, bool color) {
  const Model& model = *report.model;
  std::string out;
  std::map<std::string, std::map<std::string, int>> summary;  // rule->level->n
  for (const Finding& f : *report.findings) {
    if (f.suppressed) continue;
    Location loc = finding_location(model, f);
    Position p = loc.position();
    const char* level = level_name(f.level);
    std::string file = loc.valid() ? loc.file->path() : "?";
    out += file + ":" + std::to_string(p.line) + ":" +
           std::to_string(p.column) + ": ";
    if (color) {
      out += f.level == Level::kError     ? "\x1b[1;31m"
             : f.level == Level::kWarning ? "\x1b[1;33m"
                                          : "\x1b[1;36m";
    }
    out += level;
    if (color) out += "\x1b[0m";
    out += " " + std::string(f.rule_id) + " ";
    if (f.resource >= 0) {
      out += model.resources[static_cast<size_t>(f.resource)].address + ": ";
    }
    out += f.message + "\n";
    summary[std::string(f.rule_id)][level]++;
  }
  size_t total = 0;
  for (const auto& [rule, levels] : summary) {
    for (const auto& [level, n] : levels) total += static_cast<size_t>(n);
  }
  out += "\n" + std::to_string(total) + " finding" + (total == 1 ? "" : "s") +
         " in " + std::to_string(model.resources.size()) + " resources from " +
         std::to_string(model.inputs.size()) + " inputs";
  if (!model.primary_region.empty()) {
    out += " (primary " + model.primary_region + ", dr " +
           (model.dr_region.empty() ? std::string("?") : model.dr_region) + ")";
  }
  out += "\n";
  for (const auto& [rule, levels] : summary) {
    out += "  " + rule + ":";
    for (const auto& [level, n] : levels) {
      out += " " + std::to_string(n) + " " + level;
    }
    out += "\n";
  }
  if (!model.errors.empty()) {
    out += std::to_string(model.errors.size()) + " input error" +
           (model.errors.size() == 1 ? "" : "s") + " (see above)\n";
  }
  return out;
}

}  // namespace drcheck
