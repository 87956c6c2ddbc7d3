#include "sarif/junit_writer.h"

#include <array>
#include <cstdint>
#include <map>
#include <set>

#include "analyzer/engine.h"

namespace drcheck {

namespace {

// How xml_escape_to() treats each byte: kept, replaced by an entity, or
// dropped (C0 controls XML 1.0 forbids).
enum XmlByte : uint8_t { kKeep, kEntity, kDrop };

constexpr std::array<uint8_t, 256> kXmlByte = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = kDrop;
  for (unsigned char c : {'&', '<', '>', '"', '\'', '\n', '\r', '\t'}) {
    t[c] = kEntity;
  }
  return t;
}();

// Appends the XML escape of `s`; with `raw_newlines`, '\n' stays as is
// (element content keeps newlines readable).
void xml_escape_to(std::string& out, std::string_view s, bool raw_newlines) {
  size_t copied = 0;  // s[0, copied) is done
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const uint8_t kind = kXmlByte[static_cast<unsigned char>(ch)];
    if (kind == kKeep || (ch == '\n' && raw_newlines)) continue;
    out.append(s.data() + copied, i - copied);
    copied = i + 1;
    if (kind == kDrop) continue;
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
      default:  // '\t'
        out += "&#9;";
    }
  }
  out.append(s.data() + copied, s.size() - copied);
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  xml_escape_to(out, s, false);
  return out;
}

namespace {

// Element content keeps newlines readable.
std::string xml_escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  xml_escape_to(out, s, true);
  return out;
}

// Appends the finding as one text line.
void append_finding_line(std::string& out, const FindingView& v) {
  const Finding& f = *v.finding;
  if (v.primary.valid()) {
    out += v.primary.str();
  } else {
    out += '?';
  }
  out += ": ";
  out += level_name(f.level);
  out += ' ';
  out += f.rule_id;
  out += ' ';
  if (!v.address.empty()) {
    out += v.address;
    out += ": ";
  }
  out += f.message;
  if (f.suppressed) {
    out += " [suppressed";
    if (!f.suppression_justification.empty()) {
      out += ": ";
      out += f.suppression_justification;
    }
    out += ']';
  } else if (v.baseline == BaselineState::kUnchanged) {
    out += " [unchanged vs baseline]";
  }
  out += '\n';
}

struct Case {
  std::string_view name;
  std::string_view file;
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
  // Views into `view` and the rules, which outlive this function's maps.
  using Key = std::pair<std::string_view, std::string_view>;
  std::map<std::string_view, std::map<Key, std::vector<const FindingView*>>>
      groups;
  for (const FindingView& v : view.findings()) {
    groups[v.finding->rule_id][{v.address, v.primary.path}].push_back(&v);
  }
  struct Suite {
    std::string id, name;
    bool disabled = false;
  };
  std::vector<Suite> suites;
  std::set<std::string_view> listed;
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
    if (!listed.count(id)) suites.push_back({std::string(id), "", false});
  }

  std::string body;
  // About 440 bytes a finding; pages reserved but never written cost no
  // memory.
  body.reserve(size_t{16} << 10 | (view.findings().size() * size_t{512}));
  auto attr = [&](std::string_view v) { xml_escape_to(body, v, false); };
  auto text = [&](std::string_view v) { xml_escape_to(body, v, true); };
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
        const std::string_view address = key.first;
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
            append_finding_line(c.failure_body, *v);
          } else if (v->counts) {
            append_finding_line(c.out, *v);
          } else {
            append_finding_line(quiet, *v);
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
    body += "  <testsuite name=\"";
    attr(suite_name);
    body += "\" tests=\"";
    body += std::to_string(cases.size());
    body += "\" failures=\"";
    body += std::to_string(failures);
    body += "\" errors=\"0\" skipped=\"";
    body += std::to_string(skipped);
    body += "\">\n";
    for (const Case& c : cases) {
      body += "    <testcase classname=\"";
      attr(s.id);
      body += "\" name=\"";
      attr(c.name);
      body += '"';
      if (!c.file.empty()) {
        body += " file=\"";
        attr(c.file);
        body += '"';
      }
      if (c.line) {
        body += " line=\"";
        body += std::to_string(c.line);
        body += '"';
      }
      if (c.failure_body.empty() && c.skipped.empty() && c.out.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      if (!c.failure_body.empty()) {
        body += "      <failure message=\"";
        attr(c.failure_message);
        body += "\" type=\"";
        body += c.failure_type;
        body += "\">";
        text(c.failure_body);
        body += "</failure>\n";
      }
      if (!c.skipped.empty()) {
        body += "      <skipped message=\"";
        attr(c.skipped);
        body += "\"/>\n";
      }
      if (!c.out.empty()) {
        body += "      <system-out>";
        text(c.out);
        body += "</system-out>\n";
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
              "\" type=\"input\">" + xml_escape_text(shown.str()) +
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
