#include "sarif/text_writer.h"

namespace drcheck {

namespace {

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string write_text(const Report& report, bool color) {
  const Model& model = *report.model;
  ReportView view(report);
  std::string out;
  for (const FindingView& v : view.findings()) {
    if (!v.counts) continue;
    const Finding& f = *v.finding;
    out += v.primary.valid() ? v.primary.str() : std::string("?");
    out += ": ";
    if (color) {
      out += f.level == Level::kError     ? "\x1b[1;31m"
             : f.level == Level::kWarning ? "\x1b[1;33m"
                                          : "\x1b[1;36m";
    }
    out += level_name(f.level);
    if (color) out += "\x1b[0m";
    out += " " + std::string(f.rule_id) + " ";
    if (!v.address.empty()) out += v.address + ": ";
    out += f.message + "\n";
    for (const RelatedView& r : v.related) {
      out += "  " + (r.location.valid() ? r.location.str() : std::string("?")) +
             ": note: " + r.message + "\n";
    }
  }
  auto summary = view.summary();
  size_t total = view.counted();
  out += "\n" + plural(total, "finding") + " in " +
         plural(model.resources.size(), "resource") + " from " +
         plural(model.inputs.size(), "input");
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
  std::vector<std::string> extra;
  if (size_t s = view.suppressed())
    extra.push_back(std::to_string(s) + " suppressed");
  if (!report.baseline.empty()) {
    extra.push_back(std::to_string(view.unchanged()) +
                    " unchanged vs baseline");
    extra.push_back(std::to_string(report.absent.size()) +
                    " fixed since baseline");
  }
  if (!extra.empty()) {
    for (size_t i = 0; i < extra.size(); ++i) {
      out += (i ? ", " : "") + extra[i];
    }
    out += "\n";
  }
  if (!report.notifications.empty()) {
    out +=
        plural(report.notifications.size(), "warning") + " about the scan:\n";
    for (const auto& d : report.notifications) {
      Diagnostic shown = d;
      if (!shown.file.empty()) shown.file = view.paths().relative(d.file);
      out += "  " + shown.str() + "\n";
    }
  }
  if (!model.errors.empty()) {
    out += plural(model.errors.size(), "input error") + " (see above)\n";
  }
  return out;
}

}  // namespace drcheck
