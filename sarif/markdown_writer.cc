#include "sarif/markdown_writer.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "analyzer/engine.h"

namespace drcheck {

std::string markdown_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '|':
      case '~':
      case '#':
        out += '\\';
        out += c;
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
        out += "<br>";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

std::string code(std::string_view s) {
  if (s.empty()) return "";
  if (s.find('`') != std::string_view::npos ||
      s.find('|') != std::string_view::npos ||
      s.find('\n') != std::string_view::npos) {
    return markdown_escape(s);
  }
  return "`" + std::string(s) + "`";
}

std::string link(const Report& report, const SpanLocation& s) {
  if (!s.valid()) return "";
  std::string label = markdown_escape(s.path);
  if (s.start_line) label += ":" + std::to_string(s.start_line);
  if (!s.under_root) return label;  // nothing to link to
  std::string target = report.link_base + uri_escape_path(s.path);
  if (s.start_line) {
    target += "#L" + std::to_string(s.start_line);
    if (s.end_line > s.start_line) target += "-L" + std::to_string(s.end_line);
  }
  return "[" + label + "](" + target + ")";
}

// Characters markdown_escape() keeps at least (it drops only '\r').
size_t escaped_at_least(std::string_view s) {
  return s.size() - static_cast<size_t>(std::count(s.begin(), s.end(), '\r'));
}

// A lower bound of the size of a finding's table row (see table() in
// write_markdown()).
size_t row_size_at_least(const FindingView& v, bool suppressed_table) {
  const Finding& f = *v.finding;
  size_t n = std::string_view("| ").size() +
             4 * std::string_view(" | ").size() +
             std::string_view(" |\n").size();
  n += std::string_view(level_name(f.level)).size();
  n += escaped_at_least(f.rule_id) + escaped_at_least(v.address);
  if (v.primary.valid()) n += escaped_at_least(v.primary.path);
  n += escaped_at_least(f.message);
  if (suppressed_table) {
    n += std::string_view(" | : ").size() + f.suppression_kind.size() +
         escaped_at_least(f.suppression_justification);
  }
  return n;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string write_markdown(const Report& report, size_t max_chars) {
  const Model& model = *report.model;
  ReportView view(report);
  auto summary = view.summary();
  size_t total = view.counted();
  std::string out;
  out += "## drcheck: " +
         (total ? plural(total, "finding") : std::string("no findings")) +
         "\n\n";

  std::map<std::string, size_t> by_level;
  for (const auto& [rule, levels] : summary) {
    for (const auto& [level, n] : levels)
      by_level[level] += static_cast<size_t>(n);
  }
  std::string line = plural(model.resources.size(), "resource") + " from " +
                     plural(model.inputs.size(), "input");
  if (!model.primary_region.empty()) {
    line += ", primary `" + model.primary_region + "`, dr `" +
            (model.dr_region.empty() ? std::string("?") : model.dr_region) +
            "`";
  }
  if (size_t s = view.suppressed())
    line += ", " + std::to_string(s) + " suppressed";
  if (!report.baseline.empty()) {
    line += ", " + std::to_string(view.unchanged()) +
            " unchanged vs baseline, " + std::to_string(report.absent.size()) +
            " fixed since baseline";
  }
  if (!model.errors.empty()) {
    line += ", **" + plural(model.errors.size(), "input error") + "**";
  }
  out += line + ".\n\n";

  // Summary by rule and level.
  std::map<std::string, size_t> suppressed_by_rule;
  for (const FindingView& v : view.findings()) {
    if (v.finding->suppressed)
      suppressed_by_rule[std::string(v.finding->rule_id)]++;
  }
  out += "| Rule | Name | Error | Warning | Note | Suppressed |\n";
  out += "|---|---|---:|---:|---:|---:|\n";
  auto count = [&](const std::string& rule, const char* level) {
    auto it = summary.find(rule);
    if (it == summary.end()) return 0;
    auto jt = it->second.find(level);
    return jt == it->second.end() ? 0 : jt->second;
  };
  std::vector<std::pair<std::string, std::string>> rows;
  std::map<std::string, bool> disabled;
  if (report.rules) {
    for (const auto& rule : *report.rules) {
      rows.emplace_back(std::string(rule->meta().id),
                        std::string(rule->meta().name));
      disabled[std::string(rule->meta().id)] =
          report.options &&
          effective_level(*rule, *report.options) == Level::kNone;
    }
  }
  for (const auto& [rule, levels] : summary) {
    if (!disabled.count(rule)) rows.emplace_back(rule, "");
  }
  for (const auto& [id, name] : rows) {
    out += "| " + markdown_escape(id) + " | " + markdown_escape(name);
    if (disabled[id]) {
      out += " (disabled) | | | | |\n";
      continue;
    }
    out += " | " + std::to_string(count(id, "error")) + " | " +
           std::to_string(count(id, "warning")) + " | " +
           std::to_string(count(id, "note")) + " | " +
           std::to_string(suppressed_by_rule[id]) + " |\n";
  }
  out += "| **Total** | | " + std::to_string(by_level["error"]) + " | " +
         std::to_string(by_level["warning"]) + " | " +
         std::to_string(by_level["note"]) + " | " +
         std::to_string(view.suppressed()) + " |\n";

  // Input errors come before the long tables so a size cut never hides
  // them.
  if (!model.errors.empty()) {
    out += "\n### Input errors\n\n";
    for (const auto& d : model.errors) {
      Diagnostic shown = d;
      shown.file = view.paths().relative(d.file);
      out += "- " + markdown_escape(shown.str()) + "\n";
    }
  }
  if (!report.notifications.empty()) {
    out += "\n### Warnings\n\n";
    for (const auto& d : report.notifications) {
      Diagnostic shown = d;
      if (!shown.file.empty()) shown.file = view.paths().relative(d.file);
      out += "- " + markdown_escape(shown.str()) + "\n";
    }
  }

  auto table = [&](bool suppressed_table) {
    std::string t;
    size_t left = 0;
    for (const FindingView& v : view.findings()) {
      const Finding& f = *v.finding;
      if (suppressed_table ? !f.suppressed : !v.counts) continue;
      // Once the table is nearly full most rows cannot fit: skip those
      // without rendering them.
      if (out.size() + t.size() + row_size_at_least(v, suppressed_table) >
          max_chars) {
        ++left;
        continue;
      }
      std::string row = "| " + std::string(level_name(f.level)) + " | " +
                        markdown_escape(f.rule_id) + " | " + code(v.address) +
                        " | " + link(report, v.primary) + " | " +
                        markdown_escape(f.message);
      if (suppressed_table) {
        row += " | " + std::string(f.suppression_kind) + ": " +
               markdown_escape(f.suppression_justification);
      }
      row += " |\n";
      if (out.size() + t.size() + row.size() > max_chars) {
        ++left;
        continue;
      }
      t += row;
    }
    if (left) {
      t += "\n" + plural(left, "more finding") +
           " not shown (size limit); see the SARIF or JSON report.\n";
    }
    return t;
  };
  if (total) {
    out += "\n### Findings\n\n";
    out += "| Level | Rule | Resource | Location | Message |\n";
    out += "|---|---|---|---|---|\n";
    out += table(false);
  }
  if (view.suppressed()) {
    out += "\n<details><summary>" +
           plural(view.suppressed(), "suppressed finding") + "</summary>\n\n";
    out += "| Level | Rule | Resource | Location | Message | Justification |\n";
    out += "|---|---|---|---|---|---|\n";
    out += table(true);
    out += "\n</details>\n";
  }
  return out;
}

}  // namespace drcheck
