#include "analyzer/engine.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "analyzer/parallel.h"

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

// What `pulumi preview` writes for a value not known until apply.
constexpr std::string_view kPulumiUnknown =
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A region short code as used in names: use1, usw2, euc1, apse2, cac1.
bool region_code(std::string_view s) {
  static constexpr std::string_view kAreas[] = {"us", "eu", "ap", "sa", "ca",
                                                "me", "af", "il", "mx", "cn"};
  if (s.size() < 4 || s.size() > 5) return false;
  if (s.back() < '0' || s.back() > '9') return false;
  bool area = false;
  for (auto a : kAreas) area = area || s.substr(0, 2) == a;
  if (!area) return false;
  for (char c : s.substr(2, s.size() - 3)) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// The random suffix Pulumi appends to auto-names: 7 lowercase hex digits,
// at least one of them a digit ("dr-alerts-primary-dev-eaa321d").
bool autoname_suffix(std::string_view s) {
  if (s.size() != 7) return false;
  bool digit = false;
  for (char c : s) {
    bool d = c >= '0' && c <= '9';
    if (!d && !(c >= 'a' && c <= 'f')) return false;
    digit = digit || d;
  }
  return digit;
}

// Words that name a deployment's DR role, not its environment.
bool role_word(std::string_view s) {
  return s == "primary" || s == "secondary" || s == "dr" || s == "global" ||
         s == "replica" || s == "standby" || s == "failover";
}

// The environment token of one name: its last delimited token once trailing
// qualifiers that follow the environment in common naming schemes are cut
// off: a region ("logs-dev-us-east-1", "orders-dev-use1"), numbers (an
// account id, an index: "logs-dev-123456789012", "web-dev-01"), DR role
// words ("orders-dev-primary") and Pulumi's random auto-name suffix
// ("alerts-dev-eaa321d"). Of a path, only the last segment counts.
// Empty when less than two tokens remain or the name is computed
// ("${var.env}-logs", Pulumi's unknown sentinel).
std::string env_token(std::string_view n) {
  if (n.find("${") != std::string_view::npos || n == kPulumiUnknown) {
    return {};
  }
  // Paths ("alias/orders-dev", "/aws/lambda/orders-dev", "/app/dev/key"):
  // only the last segment follows the naming convention.
  if (auto slash = n.rfind('/'); slash != std::string_view::npos) {
    n = n.substr(slash + 1);
  }
  std::vector<std::string_view> tokens;
  size_t start = 0;
  for (size_t i = 0; i <= n.size(); ++i) {
    if (i == n.size() || is_delim(n[i])) {
      if (i > start) tokens.push_back(n.substr(start, i - start));
      start = i + 1;
    }
  }
  auto region_at_end = [&](size_t k) {
    if (tokens.size() <= k) return false;
    std::string joined;
    for (size_t i = tokens.size() - k; i < tokens.size(); ++i) {
      if (!joined.empty()) joined += '-';
      joined += tokens[i];
    }
    return looks_like_region(joined);
  };
  for (bool cut = true; cut && tokens.size() > 1;) {
    cut = false;
    for (size_t k : {4, 3}) {  // us-gov-west-1, us-east-1
      if (region_at_end(k)) {
        tokens.resize(tokens.size() - k);
        cut = true;
        break;
      }
    }
    if (!cut && (all_digits(tokens.back()) || region_code(tokens.back()) ||
                 role_word(tokens.back()) || autoname_suffix(tokens.back()))) {
      tokens.pop_back();
      cut = true;
    }
  }
  return tokens.size() > 1 ? std::string(tokens.back()) : std::string();
}

}  // namespace

void infer_env_suffix(const Model& model, ScanOptions& options, unsigned jobs) {
  if (!options.env_suffix.empty()) return;
  // Token counts per chunk of the model, summed after: the same counts,
  // and so the same choice, whatever the job count.
  struct Tally {
    std::map<std::string, int> counts;
    int names = 0;  // literal names, whether or not they end in a token
  };
  constexpr size_t kChunk = 4096;
  const size_t n = model.resources.size();
  std::vector<Tally> tallies(std::max<size_t>(chunk_count(n, kChunk), 1));
  parallel_for_chunks(n, kChunk, jobs, [&](size_t c, size_t begin, size_t end) {
    Tally& t = tallies[c];
    for (size_t i = begin; i < end; ++i) {
      const Resource& r = model.resources[i];
      if (!r.name || r.name->empty()) continue;
      if (r.name_at.present() && !r.name_at.is_string()) continue;
      const std::string& name = *r.name;
      if (name.find("${") != std::string::npos || name == kPulumiUnknown) {
        continue;
      }
      t.names++;
      std::string token = env_token(name);
      if (!token.empty()) t.counts[token]++;
    }
  });
  Tally& all = tallies[0];
  for (size_t s = 1; s < tallies.size(); ++s) {
    all.names += tallies[s].names;
    for (auto& [token, k] : tallies[s].counts) all.counts[token] += k;
  }
  std::string best;
  int best_n = 0;
  for (const auto& [token, k] : all.counts) {
    if (k > best_n) {
      best = token;
      best_n = k;
    }
  }
  // Only a convention is inferred: the token must end most of the literal
  // names (and at least two). Otherwise the most common token of unrelated
  // names ("primary-db", "secondary-db" among "orders", "billing-use1")
  // would make DR002 flag every other name.
  if (best_n >= 2 && 2 * best_n > all.names) {
    options.env_suffix = best;
    options.env_suffix_inferred = true;
  }
}

std::vector<Finding> run_rules(const Model& model, ScanOptions& options,
                               const std::vector<std::unique_ptr<Rule>>& rules,
                               unsigned jobs) {
  infer_env_suffix(model, options, jobs);
  const ScanOptions& settings = options;
  std::vector<Level> levels;
  std::vector<size_t> enabled;
  for (size_t i = 0; i < rules.size(); ++i) {
    levels.push_back(effective_level(*rules[i], settings));
    if (levels[i] != Level::kNone) enabled.push_back(i);
  }
  auto address = [&](const Finding& f) -> const std::string& {
    static const std::string kNone;
    return f.resource >= 0
               ? model.resources[static_cast<size_t>(f.resource)].address
               : kNone;
  };
  // The order of findings within one rule id.
  auto before = [&](const Finding& a, const Finding& b) {
    if (a.resource != b.resource) {
      const std::string& aa = address(a);
      const std::string& ba = address(b);
      if (aa != ba) return aa < ba;
      return a.resource < b.resource;
    }
    if (a.facts != b.facts) return a.facts < b.facts;
    return a.message < b.message;
  };
  // Heaviest rules first (see RuleMeta::cost); each rule's findings go to
  // its own slot, get their level and are sorted there, on its thread.
  std::vector<size_t> order = enabled;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return rules[a]->meta().cost > rules[b]->meta().cost;
  });
  std::vector<std::vector<Finding>> found(rules.size());
  parallel_for(order.size(), jobs, [&](size_t k) {
    const size_t i = order[k];
    const RuleMeta& meta = rules[i]->meta();
    rules[i]->check(model, settings, found[i]);
    for (auto& f : found[i]) {
      f.rule_id = meta.id;
      // A rule may report a note (e.g. "peer ranges unknown") below its
      // level; an override lowers or raises only the rule's own level.
      if (f.level == meta.default_level || f.level > levels[i]) {
        f.level = levels[i];
      }
    }
    std::stable_sort(found[i].begin(), found[i].end(), before);
  });
  // Joined in rule id order: findings sort by rule id, then as above.
  std::vector<size_t> by_id = enabled;
  std::stable_sort(by_id.begin(), by_id.end(), [&](size_t a, size_t b) {
    return rules[a]->meta().id < rules[b]->meta().id;
  });
  std::vector<Finding> all;
  size_t total = 0;
  for (const auto& f : found) total += f.size();
  all.reserve(total);
  bool shared_id = false;
  for (size_t k = 0; k < by_id.size(); ++k) {
    shared_id = shared_id || (k > 0 && rules[by_id[k]]->meta().id ==
                                           rules[by_id[k - 1]]->meta().id);
    for (auto& f : found[by_id[k]]) all.push_back(std::move(f));
  }
  if (shared_id) {
    // Two rules under one id (a plugin reusing one): interleave them.
    std::stable_sort(all.begin(), all.end(),
                     [&](const Finding& a, const Finding& b) {
                       if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
                       return before(a, b);
                     });
  }
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
