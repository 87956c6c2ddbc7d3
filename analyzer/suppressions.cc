#include "analyzer/suppressions.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <set>

#include "analyzer/json.h"
#include "analyzer/parallel.h"

namespace drcheck {

bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int y = std::atoi(std::string(s.substr(0, 4)).c_str());
  int m = std::atoi(std::string(s.substr(5, 2)).c_str());
  int d = std::atoi(std::string(s.substr(8, 2)).c_str());
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

std::string today_utc() {
  std::time_t now = std::time(nullptr);
  if (const char* sde = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(sde, &end, 10);
    if (end != sde && *end == '\0' && v >= 0) now = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

namespace {

bool fail(Diagnostic& error, const json::JValue& at, const std::string& msg) {
  if (at.present()) {
    Position p = at.position();
    error.file = at.source()->path();
    error.line = p.line;
    error.column = p.column;
  }
  error.message = msg;
  return false;
}

std::string upper_trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void split_ids(std::string_view s, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find_first_of(",; ", start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string id = upper_trim(s.substr(start, comma - start));
    if (!id.empty()) out.push_back(id);
    start = comma + 1;
  }
}

// A list of ids: ["DR002", "DR005"] or "DR002,DR005".
std::vector<std::string> ids_of(const json::JValue& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    split_ids(v.str(), out);
  } else if (v.is_array()) {
    for (json::JValue e : v.elements()) {
      if (e.is_string()) split_ids(e.str(), out);
    }
  }
  return out;
}

}  // namespace

bool load_suppressions(const std::string& path,
                       std::vector<SuppressionEntry>& out, Diagnostic& error) {
  error = Diagnostic{};
  error.file = path;
  auto doc = json::parse_file(path, uint64_t{64} << 20, error);
  if (!doc) return false;
  json::JValue root = doc->root();
  if (!root.is_object()) {
    return fail(error, root,
                "a suppressions file must be an object like "
                "{\"suppressions\": [...]}");
  }
  for (auto [key, v] : root.members()) {
    if (key != "suppressions" && key != "$schema") {
      return fail(error, v,
                  "unknown key \"" + std::string(key) +
                      "\" in a suppressions file (known: suppressions)");
    }
  }
  json::JValue list = root["suppressions"];
  if (!list.is_array()) {
    return fail(error, list.present() ? list : root,
                "\"suppressions\" must be an array of entries");
  }
  for (json::JValue e : list.elements()) {
    if (!e.is_object()) {
      return fail(error, e,
                  "a suppression must be an object with rule, address, "
                  "justification and optionally expires");
    }
    SuppressionEntry s;
    Position p = e.position();
    s.file = path;
    s.line = p.line;
    s.column = p.column;
    s.rule = "*";
    s.address = "*";
    for (auto [key, v] : e.members()) {
      std::string* target = key == "rule"            ? &s.rule
                            : key == "address"       ? &s.address
                            : key == "justification" ? &s.justification
                            : key == "expires"       ? &s.expires
                                                     : nullptr;
      if (!target) {
        return fail(error, v,
                    "unknown key \"" + std::string(key) +
                        "\" in a suppression (known: rule, address, "
                        "justification, expires)");
      }
      if (!v.is_string() || v.str().empty()) {
        return fail(error, v,
                    "\"" + std::string(key) + "\" must be a non-empty string");
      }
      *target = std::string(v.str());
    }
    if (!e["rule"].present() && !e["address"].present()) {
      return fail(error, e,
                  "a suppression needs \"rule\" or \"address\" (both are "
                  "globs; a bare entry would suppress everything)");
    }
    bool blank = true;
    for (char c : s.justification)
      blank = blank && std::isspace(static_cast<unsigned char>(c));
    if (blank) {
      return fail(error, e,
                  "a suppression needs a \"justification\" saying why the "
                  "finding is accepted");
    }
    if (!s.expires.empty() && !valid_date(s.expires)) {
      return fail(error, e["expires"],
                  "\"expires\" must be a date written YYYY-MM-DD, not \"" +
                      s.expires + "\"");
    }
    out.push_back(std::move(s));
  }
  return true;
}

std::vector<InSourceSkip> in_source_skips(const Resource& r) {
  std::vector<InSourceSkip> out;
  if (const Tag* t = r.tag("drcheck:skip")) {
    InSourceSkip s;
    split_ids(t->value, s.rules);
    const Tag* j = r.tag("drcheck:justification");
    s.justification = j && !j->value.empty()
                          ? j->value
                          : "tag drcheck:skip=" + t->value + " on " + r.address;
    s.at = t->at;
    out.push_back(std::move(s));
  }
  // The markers of the other two kinds exist only in their own formats.
  json::JValue cfn = r.format == Format::kCloudFormation
                         ? r.envelope["Metadata"]["drcheck"]
                         : json::JValue();
  if (cfn["skip"].present()) {
    InSourceSkip s;
    s.rules = ids_of(cfn["skip"]);
    s.justification = cfn["justification"].is_string()
                          ? std::string(cfn["justification"].str())
                          : "Metadata.drcheck.skip on " + r.address;
    s.at = cfn["skip"];
    out.push_back(std::move(s));
  }
  json::JValue meta =
      r.format == Format::kTerraformJson ? r.envelope["//"] : json::JValue();
  if (meta["drcheck_skip"].present()) {
    InSourceSkip s;
    s.rules = ids_of(meta["drcheck_skip"]);
    s.justification = meta["drcheck_justification"].is_string()
                          ? std::string(meta["drcheck_justification"].str())
                          : "// drcheck_skip on " + r.address;
    s.at = meta["drcheck_skip"];
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Diagnostic> apply_suppressions(
    const Model& model, const std::vector<SuppressionEntry>& entries,
    const std::vector<std::string>& known_rules, std::string_view today,
    std::vector<Finding>& findings, unsigned jobs) {
  std::vector<Diagnostic> warnings;
  std::set<std::string> known(known_rules.begin(), known_rules.end());

  // In-source markers, per resource, checked once each (in blocks, on the
  // jobs).
  std::vector<std::vector<InSourceSkip>> skips(model.resources.size());
  parallel_for_chunks(skips.size(), 1024, jobs,
                      [&](size_t, size_t begin, size_t end) {
                        for (size_t i = begin; i < end; ++i) {
                          skips[i] = in_source_skips(model.resources[i]);
                        }
                      });
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    for (const InSourceSkip& s : skips[i]) {
      for (const std::string& id : s.rules) {
        if (known.count(id)) continue;
        Diagnostic d;
        d.severity = Severity::kWarning;
        const Location loc = s.at.present() ? Location::of(s.at) : r.at;
        if (loc.valid()) {
          Position p = loc.position();
          d.file = loc.file->path();
          d.line = p.line;
          d.column = p.column;
        }
        d.message = "in-source suppression on " + r.address +
                    " names unknown rule \"" + id + "\"";
        warnings.push_back(std::move(d));
      }
    }
  }

  std::vector<bool> expired(entries.size(), false);
  for (size_t i = 0; i < entries.size(); ++i) {
    const SuppressionEntry& e = entries[i];
    if (e.expires.empty() || e.expires >= today) continue;
    expired[i] = true;
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.file = e.file;
    d.line = e.line;
    d.column = e.column;
    d.message =
        "suppression of rule " + e.rule + " for " + e.address + " expired on " +
        e.expires +
        "; its findings count again (justification was: " + e.justification +
        ")";
    warnings.push_back(std::move(d));
  }

  for (Finding& f : findings) {
    if (f.suppressed) continue;
    const Resource* r = f.resource >= 0 && static_cast<size_t>(f.resource) <
                                               model.resources.size()
                            ? &model.resources[static_cast<size_t>(f.resource)]
                            : nullptr;
    if (r) {
      for (const InSourceSkip& s : skips[static_cast<size_t>(f.resource)]) {
        for (const std::string& id : s.rules) {
          if (id == f.rule_id) {
            f.suppressed = true;
            f.suppression_kind = "inSource";
            f.suppression_justification = s.justification;
          }
        }
        if (f.suppressed) break;
      }
    }
    if (f.suppressed) continue;
    const std::string& address = r ? r->address : std::string();
    for (size_t i = 0; i < entries.size(); ++i) {
      const SuppressionEntry& e = entries[i];
      if (expired[i]) continue;
      if (glob_match(e.rule, f.rule_id) && glob_match(e.address, address)) {
        f.suppressed = true;
        f.suppression_kind = "external";
        f.suppression_justification = e.justification;
        break;
      }
    }
  }
  return warnings;
}

}  // namespace drcheck
