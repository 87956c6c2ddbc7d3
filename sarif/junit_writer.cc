#include "sarif/junit_writer.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <set>

#include "analyzer/engine.h"
#include "sarif/chunks.h"

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

// Appends the finding as one text line, with its suppression.
void append_case_line(std::string& out, const FindingView& v) {
  const Finding& f = *v.finding;
  append_finding_line(out, v);
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

// One test case to render: a group of findings (one rule, address and file)
// or a suite's placeholder when it has none.
struct CaseTask {
  size_t suite = 0;
  const std::vector<const FindingView*>* list = nullptr;  // null: placeholder
  std::string_view address;
  bool first = false, last = false;  // in its suite
};

struct Suite {
  std::string id, name;
  bool disabled = false;
  size_t tests = 0, failures = 0, skipped = 0;
};

// The case for a group of findings.
Case group_case(std::string_view address,
                const std::vector<const FindingView*>& list,
                const std::string& fail_on) {
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
      append_case_line(c.failure_body, *v);
    } else if (v->counts) {
      append_case_line(c.out, *v);
    } else {
      append_case_line(quiet, *v);
    }
  }
  bool any_counting = !c.failure_body.empty() || !c.out.empty();
  if (!any_counting) {
    c.skipped = list.front()->finding->suppressed ? "suppressed"
                                                  : "unchanged vs baseline";
  }
  c.out += quiet;
  return c;
}

void append_number(std::string& out, size_t n) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

void append_suite_start(std::string& out, const Suite& s) {
  out += "  <testsuite name=\"";
  xml_escape_to(out, s.name.empty() ? s.id : s.id + " " + s.name, false);
  out += "\" tests=\"";
  append_number(out, s.tests);
  out += "\" failures=\"";
  append_number(out, s.failures);
  out += "\" errors=\"0\" skipped=\"";
  append_number(out, s.skipped);
  out += "\">\n";
}

void append_case(std::string& out, std::string_view suite_id, const Case& c) {
  auto attr = [&](std::string_view v) { xml_escape_to(out, v, false); };
  auto text = [&](std::string_view v) { xml_escape_to(out, v, true); };
  out += "    <testcase classname=\"";
  attr(suite_id);
  out += "\" name=\"";
  attr(c.name);
  out += '"';
  if (!c.file.empty()) {
    out += " file=\"";
    attr(c.file);
    out += '"';
  }
  if (c.line) {
    out += " line=\"";
    append_number(out, c.line);
    out += '"';
  }
  if (c.failure_body.empty() && c.skipped.empty() && c.out.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (!c.failure_body.empty()) {
    out += "      <failure message=\"";
    attr(c.failure_message);
    out += "\" type=\"";
    out += c.failure_type;
    out += "\">";
    text(c.failure_body);
    out += "</failure>\n";
  }
  if (!c.skipped.empty()) {
    out += "      <skipped message=\"";
    attr(c.skipped);
    out += "\"/>\n";
  }
  if (!c.out.empty()) {
    out += "      <system-out>";
    text(c.out);
    out += "</system-out>\n";
  }
  out += "    </testcase>\n";
}

}  // namespace

void write_junit(const Report& report, ReportSink& sink) {
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

  // The cases in order, and each suite's counts (the headers come first).
  std::vector<CaseTask> tasks;
  tasks.reserve(view.findings().size() + suites.size());
  size_t total_tests = 0, total_failures = 0, total_skipped = 0;
  for (size_t si = 0; si < suites.size(); ++si) {
    Suite& s = suites[si];
    const size_t first = tasks.size();
    auto git = groups.find(s.id);
    if (git == groups.end()) {
      tasks.push_back({si, nullptr, {}});
      s.skipped += s.disabled;
    } else {
      for (const auto& [key, list] : git->second) {
        tasks.push_back({si, &list, key.first});
        bool failure = false, counting = false;
        for (const FindingView* v : list) {
          counting = counting || v->counts;
          failure =
              failure || (v->counts && at_or_above(v->finding->level, fail_on));
        }
        s.failures += failure;
        s.skipped += !counting;
      }
    }
    s.tests = tasks.size() - first;
    tasks[first].first = true;
    tasks.back().last = true;
    total_tests += s.tests;
    total_failures += s.failures;
    total_skipped += s.skipped;
  }
  size_t errors = model.errors.size();
  total_tests += errors;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"drcheck\" tests=\"" + std::to_string(total_tests) +
         "\" failures=\"" + std::to_string(total_failures) + "\" errors=\"" +
         std::to_string(errors) + "\" skipped=\"" +
         std::to_string(total_skipped) + "\">\n";
  sink.write(out);
  out.clear();

  render_in_chunks(tasks.size(), report.jobs, report.chunk_items, sink,
                   [&](size_t begin, size_t end, std::string& chunk) {
                     for (size_t i = begin; i < end; ++i) {
                       const CaseTask& t = tasks[i];
                       const Suite& s = suites[t.suite];
                       if (t.first) append_suite_start(chunk, s);
                       Case c;
                       if (t.list) {
                         c = group_case(t.address, *t.list, fail_on);
                       } else {
                         c.name = s.disabled ? "rule disabled" : "no findings";
                         if (s.disabled)
                           c.skipped = "disabled by configuration";
                       }
                       append_case(chunk, s.id, c);
                       if (t.last) chunk += "  </testsuite>\n";
                     }
                   });

  if (errors) {
    out += "  <testsuite name=\"drcheck inputs\" tests=\"" +
           std::to_string(errors) + "\" failures=\"0\" errors=\"" +
           std::to_string(errors) + "\" skipped=\"0\">\n";
    for (const auto& d : model.errors) {
      std::string file = view.paths().relative(d.file);
      out += "    <testcase classname=\"inputs\" name=\"" + xml_escape(file) +
             "\" file=\"" + xml_escape(file) + "\"";
      if (d.line) out += " line=\"" + std::to_string(d.line) + "\"";
      Diagnostic shown = d;
      shown.file = file;
      out += ">\n      <error message=\"" + xml_escape(d.message) +
             "\" type=\"input\">" + xml_escape_text(shown.str()) +
             "</error>\n    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  sink.write(out);
}

std::string write_junit(const Report& report) {
  return write_to_string([&](ReportSink& sink) { write_junit(report, sink); });
}

}  // namespace drcheck
