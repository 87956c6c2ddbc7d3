#include "analyzer/engine.h"

#include <algorithm>
#include <map>

namespace drcheck {

const char* level_name(Level l) {
  switch (l) {
    case Level::kError:
      return "error";
    case Level::kWarning:
      return "warning";
    case Level::kNote:
      return "note";
    case Level::kNone:
      break;
  }
  return "none";
}

bool parse_level(std::string_view s, Level& out) {
  if (s == "error") {
    out = Level::kError;
  } else if (s == "warning") {
    out = Level::kWarning;
  } else if (s == "note") {
    out = Level::kNote;
  } else if (s == "none" || s == "off") {
    out = Level::kNone;
  } else {
    return false;
  }
  return true;
}

std::string RuleMeta::help_uri() const {
  return "https://github.com/drcheck/drcheck/blob/main/docs/rules/" +
         std::string(id) + ".md";
}

Level effective_level(const Rule& rule, const ScanOptions& options) {
  const RuleMeta& m = rule.meta();
  auto it = options.rules.find(std::string(m.id));
  if (it == options.rules.end()) return m.default_level;
  if (it->second.enabled.has_value() && !*it->second.enabled) {
    return Level::kNone;
  }
  Level l = m.default_level;
  if (it->second.level) parse_level(*it->second.level, l);
  return l;
}

namespace {

bool is_delim(char c) { return c == '-' || c == '_' || c == '.' || c == '/'; }

}  // namespace

void infer_env_suffix(const Model& model, ScanOptions& options) {
  if (!options.env_suffix.empty()) return;
  std::map<std::string, int> counts;
  for (const auto& r : model.resources) {
    if (!r.name || r.name->empty()) continue;
    const std::string& n = *r.name;
    size_t end = n.size();
    size_t start = end;
    while (start > 0 && !is_delim(n[start - 1])) --start;
    if (start == 0 || start == end) continue;  // no delimiter: no suffix
    counts[n.substr(start, end - start)]++;
  }
  std::string best;
  int best_n = 0;
  for (const auto& [token, n] : counts) {
    if (n > best_n) {
      best = token;
      best_n = n;
    }
  }
  if (!best.empty()) {
    options.env_suffix = best;
    options.env_suffix_inferred = true;
  }
}

std::vector<Finding> run_rules(
    const Model& model, ScanOptions& options,
    const std::vector<std::unique_ptr<Rule>>& rules) {
  infer_env_suffix(model, options);
  std::vector<Finding> all;
  for (const auto& rule : rules) {
    Level level = effective_level(*rule, options);
    if (level == Level::kNone) continue;
    std::vector<Finding> found;
    rule->check(model, options, found);
    for (auto& f : found) {
      f.rule_id = rule->meta().id;
      // A rule may report a note (e.g. "peer ranges unknown") below its
      // level; an override lowers or raises only the rule's own level.
      if (f.level == rule->meta().default_level || f.level > level) {
        f.level = level;
      }
      all.push_back(std::move(f));
    }
  }
  auto address = [&](const Finding& f) -> const std::string& {
    static const std::string kNone;
    return f.resource >= 0
               ? model.resources[static_cast<size_t>(f.resource)].address
               : kNone;
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const Finding& a, const Finding& b) {
                     if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
                     if (a.resource != b.resource) {
                       const std::string& aa = address(a);
                       const std::string& ba = address(b);
                       if (aa != ba) return aa < ba;
                       return a.resource < b.resource;
                     }
                     if (a.facts != b.facts) return a.facts < b.facts;
                     return a.message < b.message;
                   });
  return all;
}

std::vector<std::string> validate_rule_settings(
    const ScanOptions& options,
    const std::vector<std::unique_ptr<Rule>>& rules) {
  std::vector<std::string> problems;
  for (const auto& [id, setting] : options.rules) {
    bool known = false;
    for (const auto& r : rules) known = known || r->meta().id == id;
    if (!known) problems.push_back("unknown rule id '" + id + "'");
    Level l;
    if (setting.level && !parse_level(*setting.level, l)) {
      problems.push_back("rule " + id + ": unknown level '" + *setting.level +
                         "' (error, warning, note or none)");
    }
  }
  return problems;
}

}  // namespace drcheck
