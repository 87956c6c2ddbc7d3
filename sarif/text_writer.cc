#include "sarif/text_writer.h"

#include "sarif/chunks.h"

namespace drcheck {

namespace {

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Appends the finding's line and its related locations' lines.
void append_finding_lines(std::string& out, const FindingView& v, bool color) {
  append_finding_line(out, v, color);
  out += '\n';
  for (const RelatedView& r : v.related) {
    out += "  ";
    if (r.location.valid()) {
      r.location.append_to(out);
    } else {
      out += '?';
    }
    out += ": note: ";
    out += r.message;
    out += '\n';
  }
}

}  // namespace

void write_text(const Report& report, bool color, ReportSink& sink) {
  const Model& model = *report.model;
  ReportView view(report);
  const auto& views = view.findings();
  render_in_chunks(views.size(), report.jobs, report.chunk_items, sink,
                   [&](size_t begin, size_t end, std::string& chunk) {
                     for (size_t i = begin; i < end; ++i) {
                       if (views[i].counts)
                         append_finding_lines(chunk, views[i], color);
                     }
                   });
  std::string out;
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
  sink.write(out);
}

std::string write_text(const Report& report, bool color) {
  return write_to_string(
      [&](ReportSink& sink) { write_text(report, color, sink); });
}

}  // namespace drcheck
