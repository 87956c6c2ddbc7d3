#include "sarif/junit_writer.h"

#include <map>
#include <set>

#include "analyzer/engine.h"

namespace drcheck {

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        if (c >= 0x20) out += ch;  // other C0 controls are not XML
    }
  }
  return out;
}

namespace {

// Element content keeps newlines readable.
std::string xml_text(std::string_view s) {
  std::string out = xml_escape(s);
  std::string result;
  result.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (out.compare(i, 5, "&#10;") == 0) {
      result += '\n';
      i += 4;
    } else {
      result += out[i];
    }
  }
  return result;
}

std::string finding_line(const FindingView& v) {
  const Finding& f = *v.finding;
  std::string line = v.primary.valid() ? v.primary.str() : std::string("?");
  line += ": " + std::string(level_name(f.level)) + " " +
          std::string(f.rule_id) + " ";
  if (!v.address.empty()) line += v.address + ": ";
  line += f.message;
  if (f.suppressed) {
    line += " [suppressed";
    if (!f.suppression_justification.empty()) {
      line += ": " + f.suppression_justification;
    }
    line += "]";
  } else if (v.baseline == BaselineState::kUnchanged) {
    line += " [unchanged vs baseline]";
  }
  return line + "\n";
}

struct Case {
  std::string name;
  std::string file;
  uint32_t line = 0;
  std::string failure_message, failure_type, failure_body, out, skipped;
};

}  // namespace

std::string write_junit(const Report& report) {
  const Model& model = *report.model;
  ReportView view(report);
  const std::string fail_on =
      report.options ? report.options->fail_on : std::string("error");

  // rule id -> (address, file) -> findings. The engine sorts findings by
  // rule and address, so this keeps report order.
  using Key = std::pair<std::string, std::string>;
  std::map<std::string, std::map<Key, std::vector<const FindingView*>>> groups;
  for (const FindingView& v : view.findings()) {
    groups[std::string(v.finding->rule_id)][{v.address, v.primary.path}]
        .push_back(&v);
  }
  struct Suite {
    std::string id, name;
    bool disabled = false;
  };
  std::vector<Suite> suites;
  std::set<std::string> listed;
  if (report.rules) {
    for (const auto& rule : *report.rules) {
      const RuleMeta& m = rule->meta();
      bool disabled = report.options &&
                      effective_level(*rule, *report.options) == Level::kNone;
      suites.push_back({std::string(m.id), std::string(m.name), disabled});
      listed.emplace(m.id);
    }
  }
  for (const auto& [id, unused] : groups) {
    if (!listed.count(id)) suites.push_back({id, "", false});
  }

  std::string body;
  size_t total_tests = 0, total_failures = 0, total_skipped = 0;
  for (const Suite& s : suites) {
    std::vector<Case> cases;
    auto git = groups.find(s.id);
    if (git == groups.end()) {
      Case c;
      c.name = s.disabled ? "rule disabled" : "no findings";
      if (s.disabled) c.skipped = "disabled by configuration";
      cases.push_back(c);
    } else {
      for (const auto& [key, list] : git->second) {
        const std::string& address = key.first;
        Case c;
        c.name = address.empty() ? "(no resource)" : address;
        c.file = list.front()->primary.path;
        c.line = list.front()->primary.start_line;
        std::string quiet;
        for (const FindingView* v : list) {
          const Finding& f = *v->finding;
          if (v->counts && at_or_above(f.level, fail_on)) {
            if (c.failure_message.empty()) {
              c.failure_message = f.message;
              c.failure_type = level_name(f.level);
            }
            c.failure_body += finding_line(*v);
          } else if (v->counts) {
            c.out += finding_line(*v);
          } else {
            quiet += finding_line(*v);
          }
        }
        bool any_counting = !c.failure_body.empty() || !c.out.empty();
        if (!any_counting) {
          c.skipped = list.front()->finding->suppressed
                          ? "suppressed"
                          : "unchanged vs baseline";
        }
        c.out += quiet;
        cases.push_back(std::move(c));
      }
    }
    size_t failures = 0, skipped = 0;
    for (const Case& c : cases) {
      failures += !c.failure_body.empty();
      skipped += !c.skipped.empty();
    }
    total_tests += cases.size();
    total_failures += failures;
    total_skipped += skipped;
    std::string suite_name = s.name.empty() ? s.id : s.id + " " + s.name;
    body += "  <testsuite name=\"" + xml_escape(suite_name) + "\" tests=\"" +
            std::to_string(cases.size()) + "\" failures=\"" +
            std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
            std::to_string(skipped) + "\">\n";
    for (const Case& c : cases) {
      body += "    <testcase classname=\"" + xml_escape(s.id) + "\" name=\"" +
              xml_escape(c.name) + "\"";
      if (!c.file.empty()) body += " file=\"" + xml_escape(c.file) + "\"";
      if (c.line) body += " line=\"" + std::to_string(c.line) + "\"";
      if (c.failure_body.empty() && c.skipped.empty() && c.out.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      if (!c.failure_body.empty()) {
        body += "      <failure message=\"" + xml_escape(c.failure_message) +
                "\" type=\"" + c.failure_type + "\">" +
                xml_text(c.failure_body) + "</failure>\n";
      }
      if (!c.skipped.empty()) {
        body += "      <skipped message=\"" + xml_escape(c.skipped) + "\"/>\n";
      }
      if (!c.out.empty()) {
        body += "      <system-out>" + xml_text(c.out) + "</system-out>\n";
      }
      body += "    </testcase>\n";
    }
    body += "  </testsuite>\n";
  }
  size_t errors = model.errors.size();
  if (errors) {
    body += "  <testsuite name=\"drcheck inputs\" tests=\"" +
            std::to_string(errors) + "\" failures=\"0\" errors=\"" +
            std::to_string(errors) + "\" skipped=\"0\">\n";
    for (const auto& d : model.errors) {
      std::string file = view.paths().relative(d.file);
      body += "    <testcase classname=\"inputs\" name=\"" + xml_escape(file) +
              "\" file=\"" + xml_escape(file) + "\"";
      if (d.line) body += " line=\"" + std::to_string(d.line) + "\"";
      Diagnostic shown = d;
      shown.file = file;
      body += ">\n      <error message=\"" + xml_escape(d.message) +
              "\" type=\"input\">" + xml_text(shown.str()) +
              "</error>\n    </testcase>\n";
    }
    body += "  </testsuite>\n";
    total_tests += errors;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"drcheck\" tests=\"" + std::to_string(total_tests) +
         "\" failures=\"" + std::to_string(total_failures) + "\" errors=\"" +
         std::to_string(errors) + "\" skipped=\"" +
         std::to_string(total_skipped) + "\">\n";
  out += body;
  out += "</testsuites>\n";
  return out;
}

}  // namespace drcheck
