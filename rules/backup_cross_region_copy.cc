#include "rules/backup_cross_region_copy.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <set>
#include <unordered_map>

#include "analyzer/kinds.h"
#include "rules/rule_json.h"

namespace drcheck {

namespace {

constexpr std::string_view kHelp = R"md(
Every AWS Backup plan rule needs a copy action to a backup vault in another
region, and every stateful resource of the primary region (RDS/Aurora
cluster, RDS instance outside a cluster, DynamoDB table, EFS file system, EBS
volume) must be selected by a backup selection of such a plan. Otherwise the
recovery points live only in the region that just failed.

Terraform:

```hcl
resource "aws_backup_plan" "daily" {
  name = "orders-daily"
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.primary.name
    schedule          = "cron(0 5 * * ? *)"
    copy_action {
      destination_vault_arn = aws_backup_vault.dr.arn # vault in the dr region
    }
  }
}
resource "aws_backup_selection" "db" {
  name         = "orders-db"
  plan_id      = aws_backup_plan.daily.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [aws_rds_cluster.orders.arn]
}
```

CDK: `plan.addRule(new BackupPlanRule({ copyActions: [{ destinationBackupVault:
drVault }] }))` and `plan.addSelection('Db', { resources:
[BackupResource.fromRdsDatabaseCluster(cluster)] })`. Pulumi: `rules: [{
copyActions: [{ destinationVaultArn: drVault.arn }] }]` and an
`aws.backup.Selection` naming the resource ARNs or a selection tag.
)md";

using rule_json::as_list;
using rule_json::cfn_resolve;
using rule_json::cfn_targets;
using rule_json::field;

// The resolved resources `r` references under one of `paths`, or from
// inside `value` (loaders that record where a reference was written).
std::vector<int> refs_to(const Model& model, const Resource& r,
                         const json::JValue& value,
                         const std::vector<std::string>& paths) {
  std::vector<int> out = cfn_resolve(model, r, value);
  for (const Reference& ref : r.references) {
    if (ref.index < 0) continue;
    if (rule_json::reference_matches(ref, value, paths) &&
        std::find(out.begin(), out.end(), ref.index) == out.end()) {
      out.push_back(ref.index);
    }
  }
  return out;
}

const std::string& region_or(const Resource& r, const std::string& unknown) {
  return r.region ? *r.region : unknown;
}

// A string a CloudFormation intrinsic (Fn::Sub, Fn::Join) or a plain string
// evaluates to, with "{}" for the parts known only at deploy time.
// AWS::Region is the resource's own region. Terraform interpolations
// ("${...}") are unknown.
struct Text {
  std::string text;
  bool templated = false;
};

std::optional<Text> literal_text(const json::JValue& v,
                                 const std::string& own_region) {
  if (v.is_string()) {
    std::string s(v.str());
    if (s.find("${") != std::string::npos) return std::nullopt;
    return Text{s, false};
  }
  auto pseudo = [&](std::string_view name) -> std::string {
    if (name == "AWS::Region" && !own_region.empty()) return own_region;
    if (name == "AWS::Partition") return "aws";
    return "{}";
  };
  if (json::JValue sub = v["Fn::Sub"]; sub.present()) {
    json::JValue tmpl = sub.is_array() ? sub.at(0) : sub;
    if (!tmpl.is_string()) return std::nullopt;
    std::string_view s = tmpl.str();
    std::string out;
    for (size_t i = 0; i < s.size();) {
      if (s.compare(i, 2, "${") == 0) {
        size_t close = s.find('}', i);
        if (close == std::string_view::npos) return std::nullopt;
        out += pseudo(s.substr(i + 2, close - i - 2));
        i = close + 1;
      } else {
        out += s[i++];
      }
    }
    return Text{out, true};
  }
  if (json::JValue join = v["Fn::Join"]; join.is_array()) {
    std::string_view delim = join.at(0).str();
    std::string out;
    bool first = true;
    for (json::JValue part : join.at(1).elements()) {
      if (!first) out += delim;
      first = false;
      if (part.is_string()) {
        out += part.str();
      } else if (part["Ref"].is_string()) {
        out += pseudo(part["Ref"].str());
      } else {
        out += "{}";
      }
    }
    return Text{out, true};
  }
  return std::nullopt;
}

// CDKTF cross-stack references read output "cross-stack-output-<type><name>
// <attribute>" of the data source "cross-stack-reference-input-<stack>".
// Keys: "<stack>\x1f<type><name>" and, for any stack, "<type><name>".
using CrossStack = std::unordered_map<std::string, int>;

std::string local_name(const std::string& address) {
  std::string a = address;
  if (!a.empty() && a.back() == ']') a = a.substr(0, a.rfind('['));
  auto dot = a.rfind('.');
  return dot == std::string::npos ? a : a.substr(dot + 1);
}

CrossStack cross_stack_index(const Model& model) {
  CrossStack out;
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (r.format != Format::kTerraformJson) continue;
    std::string key = r.type + local_name(r.address);
    out.emplace(r.stack + '\x1f' + key, static_cast<int>(i));
    out.emplace(key, static_cast<int>(i));
  }
  return out;
}

// The resource a CDKTF cross-stack interpolation names, or -1.
int cross_stack_target(const CrossStack& index, std::string_view s) {
  constexpr std::string_view kInput = "cross-stack-reference-input-";
  constexpr std::string_view kOutput = "cross-stack-output-";
  size_t at = s.find(kOutput);
  if (at == std::string_view::npos) return -1;
  std::string stack;
  if (size_t in = s.find(kInput); in != std::string_view::npos) {
    std::string_view rest = s.substr(in + kInput.size());
    stack = std::string(rest.substr(0, rest.find('.'))) + '\x1f';
  }
  std::string_view rest = s.substr(at + kOutput.size());
  rest = rest.substr(0, rest.find('}'));
  for (const std::string& scope : {stack, std::string()}) {
    for (size_t len = rest.size(); len > 0; --len) {
      auto it = index.find(scope + std::string(rest.substr(0, len)));
      if (it != index.end()) return it->second;
    }
  }
  return -1;
}

// ---- copy destinations ---------------------------------------------------

struct Dest {
  enum Kind { kUnknown, kResolved, kMalformed } kind = kUnknown;
  std::string text;    // address of the vault, or the ARN / value as written
  std::string region;  // empty when unknown
  int resource = -1;
  json::JValue at;
};

struct VaultIndex {
  std::map<std::string, int> by_region_name;  // region \x1f name
};

Dest resolve_dest(const Model& model, const Resource& plan,
                  const json::JValue& value, const VaultIndex& vaults,
                  const CrossStack& cross,
                  const std::vector<std::string>& paths) {
  Dest d;
  d.at = value;
  auto from_resource = [&](int idx) {
    const Resource& v = model.resources[static_cast<size_t>(idx)];
    d.kind = Dest::kResolved;
    d.resource = idx;
    d.text = v.address;
    d.region = v.region.value_or("");
  };
  std::vector<int> refs = refs_to(model, plan, value, paths);
  if (!refs.empty()) {
    from_resource(refs.front());
    return d;
  }
  if (int x = cross_stack_target(cross, value.str()); x >= 0) {
    from_resource(x);
    return d;
  }
  std::string own = plan.region.value_or("");
  std::optional<Text> t = literal_text(value, own);
  if (!t) return d;  // absent, computed, or an expression we cannot read
  if (!t->templated) {
    if (const Resource* v = model.by_id_or_arn(t->text)) {
      from_resource(static_cast<int>(v - model.resources.data()));
      return d;
    }
  }
  d.text = t->text;
  std::optional<dr005::VaultArn> arn =
      dr005::parse_vault_arn(t->text, t->templated);
  if (!arn) {
    // An intrinsic that does not build a vault ARN we can read is unknown;
    // a literal that is not one is wrong.
    d.kind = t->templated ? Dest::kUnknown : Dest::kMalformed;
    return d;
  }
  d.kind = Dest::kResolved;
  d.region = arn->region;
  auto it = vaults.by_region_name.find(arn->region + '\x1f' + arn->name);
  if (it != vaults.by_region_name.end()) d.resource = it->second;
  return d;
}

std::string other_region(const Model& model, const std::string& region) {
  if (!model.dr_region.empty() && model.dr_region != region) {
    return "the dr region " + model.dr_region;
  }
  if (!model.primary_region.empty() && model.primary_region != region) {
    return "the primary region " + model.primary_region;
  }
  return "another region";
}

// ---- selections ----------------------------------------------------------

struct TagCond {
  std::string key;
  std::string value;
  bool like = false;
  bool negate = false;
  bool matches(const Resource& r) const {
    const Tag* t = r.tag(key);
    bool hit =
        t && (like ? dr005::glob_match(value, t->value) : t->value == value);
    return negate ? !hit : hit;
  }
};

struct Selection {
  int index = -1;
  int plan = -1;  // -1: the plan is not in the model
  bool all = false;
  std::vector<std::string> patterns;  // ARN globs and ARNs not in the model
  std::vector<int> refs;
  std::vector<TagCond> any_tags;    // selection_tag / ListOfTags: OR
  std::vector<TagCond> conditions;  // condition / Conditions: AND
  std::vector<int> excluded;
  std::vector<std::string> not_patterns;
  bool has_include() const {
    return all || !patterns.empty() || !refs.empty() || !any_tags.empty();
  }
  // Checked for every resource (not reachable through an index).
  bool general() const {
    if (all || !patterns.empty()) return true;
    for (const auto& t : any_tags) {
      if (t.like || t.negate) return true;
    }
    return !has_include() && !conditions.empty();
  }
};

std::string tag_key(std::string_view key) {
  constexpr std::string_view kPrefix = "aws:ResourceTag/";
  if (key.substr(0, kPrefix.size()) == kPrefix)
    key.remove_prefix(kPrefix.size());
  return std::string(key);
}

bool arn_glob_matches(const std::vector<std::string>& patterns,
                      const Resource& r) {
  for (const auto& p : patterns) {
    if ((!r.arn.empty() && dr005::glob_match(p, r.arn)) ||
        (!r.id.empty() && p == r.id)) {
      return true;
    }
  }
  return false;
}

bool selects(const Selection& s, const Resource& r, int idx) {
  bool in = s.all ||
            std::find(s.refs.begin(), s.refs.end(), idx) != s.refs.end() ||
            arn_glob_matches(s.patterns, r);
  for (const auto& t : s.any_tags) {
    if (in) break;
    in = t.matches(r);
  }
  // A selection with conditions only selects everything they match.
  bool conditions_only = !s.has_include() && !s.conditions.empty();
  if (!in && !conditions_only) return false;
  if (std::find(s.excluded.begin(), s.excluded.end(), idx) !=
          s.excluded.end() ||
      arn_glob_matches(s.not_patterns, r)) {
    return false;
  }
  for (const auto& c : s.conditions) {
    if (!c.matches(r)) return false;
  }
  return true;
}

void read_resource_list(const Model& model, const Resource& sel,
                        const json::JValue& list,
                        const std::vector<std::string>& paths, bool& all,
                        std::vector<std::string>& patterns,
                        std::vector<int>& refs, const CrossStack& cross) {
  refs = refs_to(model, sel, list, paths);
  for (json::JValue e : list.elements()) {
    if (!e.is_string()) continue;
    std::string s(e.str());
    if (s == "*") {
      all = true;
    } else if (s.find("${") != std::string::npos) {
      int x = cross_stack_target(cross, s);
      if (x >= 0 && std::find(refs.begin(), refs.end(), x) == refs.end()) {
        refs.push_back(x);
      }
    } else if (const Resource* r = model.by_id_or_arn(s)) {
      int idx = static_cast<int>(r - model.resources.data());
      if (std::find(refs.begin(), refs.end(), idx) == refs.end()) {
        refs.push_back(idx);
      }
    } else {
      patterns.push_back(s);
    }
  }
}

Selection read_selection(const Model& model, int index,
                         const CrossStack& cross) {
  const Resource& s = model.resources[static_cast<size_t>(index)];
  Selection out;
  out.index = index;
  json::JValue body = s.attr("backup_selection");
  bool cfn_body = body.is_object();
  if (!cfn_body) body = s.attributes;
  std::string prefix = cfn_body ? "backup_selection." : "";

  json::JValue plan_id = s.attr("plan_id");
  if (plan_id.absent()) plan_id = s.attr("backup_plan_id");
  std::vector<int> plans =
      refs_to(model, s, plan_id, {"plan_id", "backup_plan_id"});
  if (!plans.empty()) {
    out.plan = plans.front();
  } else if (plan_id.is_string()) {
    if (const Resource* p = model.by_id_or_arn(plan_id.str())) {
      out.plan = static_cast<int>(p - model.resources.data());
    } else {
      out.plan = cross_stack_target(cross, plan_id.str());
    }
  }

  read_resource_list(model, s, field(body, {"resources"}),
                     {prefix + "resources"}, out.all, out.patterns, out.refs,
                     cross);
  bool none_all = false;
  read_resource_list(model, s, field(body, {"not_resources"}),
                     {prefix + "not_resources"}, none_all, out.not_patterns,
                     out.excluded, cross);

  for (json::JValue t : as_list(
           field(body, {"selection_tag", "selection_tags", "list_of_tags"}))) {
    TagCond c;
    c.key = tag_key(field(t, {"key", "condition_key"}).str());
    c.value = std::string(field(t, {"value", "condition_value"}).str());
    std::string type(field(t, {"type", "condition_type"}).str());
    std::transform(type.begin(), type.end(), type.begin(), ::toupper);
    if (c.key.empty() || (!type.empty() && type != "STRINGEQUALS")) continue;
    out.any_tags.push_back(std::move(c));
  }
  for (json::JValue cond : as_list(field(body, {"condition", "conditions"}))) {
    struct Op {
      std::string_view name;
      bool like, negate;
    };
    constexpr Op kOps[] = {{"string_equals", false, false},
                           {"string_like", true, false},
                           {"string_not_equals", false, true},
                           {"string_not_like", true, true}};
    for (const Op& op : kOps) {
      for (json::JValue kv : as_list(field(cond, {op.name}))) {
        TagCond c;
        c.key = tag_key(field(kv, {"key", "condition_key"}).str());
        c.value = std::string(field(kv, {"value", "condition_value"}).str());
        c.like = op.like;
        c.negate = op.negate;
        if (!c.key.empty()) out.conditions.push_back(std::move(c));
      }
    }
  }
  return out;
}

// An RDS instance that belongs to a cluster is backed up with its cluster.
bool in_cluster(const Resource& r) {
  if (std::string_view(r.kind) != "aws_db_instance") return false;
  json::JValue c = r.attr("db_cluster_identifier");
  if ((c.is_string() && !c.str().empty()) || c.is_object()) return true;
  return r.ref("db_cluster_identifier") != nullptr;
}

std::string quoted_rule(const std::string& name, size_t index) {
  return name.empty() ? "#" + std::to_string(index + 1) : "\"" + name + "\"";
}

}  // namespace

namespace dr005 {

std::optional<VaultArn> parse_vault_arn(std::string_view s, bool templated) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    size_t c = s.find(':', start);
    if (c == std::string_view::npos) return std::nullopt;
    parts.push_back(s.substr(start, c - start));
    start = c + 1;
  }
  std::string_view name = s.substr(start);
  if (parts[0] != "arn") return std::nullopt;
  if (parts[1] != "aws" && parts[1] != "aws-cn" && parts[1] != "aws-us-gov" &&
      !(templated && parts[1] == "{}")) {
    return std::nullopt;
  }
  if (parts[2] != "backup" || parts[5] != "backup-vault") return std::nullopt;
  if (!looks_like_region(parts[3])) return std::nullopt;
  std::string_view account = parts[4];
  bool account_ok = account.size() == 12 &&
                    std::all_of(account.begin(), account.end(), [](char c) {
                      return std::isdigit(static_cast<unsigned char>(c));
                    });
  if (!account_ok && !(templated && account == "{}")) return std::nullopt;
  // Vault names: 2-50 of [A-Za-z0-9_-]; "{}" stands for a deploy-time part.
  std::string plain(name);
  if (templated) {
    for (size_t p; (p = plain.find("{}")) != std::string::npos;) {
      plain.replace(p, 2, "x");
    }
  }
  if (plain.size() < 1 || plain.size() > 50) return std::nullopt;
  for (char c : plain) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_')) {
      return std::nullopt;
    }
  }
  return VaultArn{std::string(parts[3]), std::string(account),
                  std::string(name)};
}

bool glob_match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace dr005

const RuleMeta& BackupCrossRegionCopyRule::meta() const {
  static const RuleMeta m{
      "DR005",
      "backup-cross-region-copy",
      "Every AWS Backup plan rule copies to a vault in another region, and "
      "every stateful primary-region resource is selected by such a plan.",
      "A backup that lives only in the primary region is lost with that "
      "region. DR005 checks that every AWS Backup plan rule has a copy "
      "action whose destination vault (a vault of the model or a "
      "well-formed backup vault ARN) lies in another region than the plan, "
      "and that every stateful resource of the primary region (RDS/Aurora "
      "cluster, RDS instance outside a cluster, DynamoDB table, EFS file "
      "system, EBS volume) is selected — by ARN, reference or tag — by a "
      "backup selection of a plan that copies cross-region. Aurora cluster "
      "instances are covered by their cluster.",
      kHelp,
      Level::kError,
      {"dr", "backup", "resilience"},
      "7.0",
      "high",
      8,
  };
  return m;
}

void BackupCrossRegionCopyRule::check(const Model& model, const ScanOptions&,
                                      std::vector<Finding>& out) const {
  static const std::string kUnknown = "region unknown";
  CrossStack cross = cross_stack_index(model);
  VaultIndex vaults;
  for (int i : model.of_kind("aws_backup_vault")) {
    const Resource& v = model.resources[static_cast<size_t>(i)];
    std::string name = v.name.value_or("");
    if (name.empty()) name = std::string(v.attr("name").str());
    if (name.empty()) name = std::string(v.attr("backup_vault_name").str());
    if (v.region && !name.empty()) {
      vaults.by_region_name.emplace(*v.region + '\x1f' + name, i);
    }
  }

  // Plans: check each rule; remember which plans copy cross-region.
  std::unordered_map<int, bool> plan_copies;
  for (int pi : model.of_kind("aws_backup_plan")) {
    const Resource& p = model.resources[static_cast<size_t>(pi)];
    json::JValue rules = p.attr("rule");
    std::string rule_path = "rule", copy_path = "copy_action",
                dest_path = "destination_vault_arn";
    if (!rules.is_array() && !rules.is_object()) {
      rules = p.attr("rules");
      rule_path = "rules";
      copy_path = "copy_actions";
    }
    if (!rules.is_array()) {
      rules = field(p.attr("backup_plan"), {"backup_plan_rule"});
      rule_path = "backup_plan.backup_plan_rule";
      copy_path = "copy_actions";
      dest_path = "destination_backup_vault_arn";
    }
    std::vector<json::JValue> rule_list = as_list(rules);
    if (rule_list.empty()) {
      plan_copies[pi] = true;  // rules unknown: nothing to judge
      continue;
    }
    bool copies = false;
    const std::string& plan_region = region_or(p, kUnknown);
    for (size_t i = 0; i < rule_list.size(); ++i) {
      json::JValue rule = rule_list[i];
      std::string name(field(rule, {"rule_name"}).str());
      std::vector<json::JValue> actions =
          as_list(field(rule, {"copy_action", "copy_actions"}));
      std::vector<Dest> dests;
      for (size_t j = 0; j < actions.size(); ++j) {
        std::string base = rule_path + "[" + std::to_string(i) + "]." +
                           copy_path + "[" + std::to_string(j) + "]";
        json::JValue value =
            field(actions[j],
                  {"destination_vault_arn", "destination_backup_vault_arn"});
        Dest d = resolve_dest(model, p, value, vaults, cross,
                              {base + "." + dest_path});
        if (d.at.absent()) d.at = actions[j];
        dests.push_back(std::move(d));
      }
      const Dest* malformed = nullptr;
      const Dest* same = nullptr;
      bool cross = false, unknown = false;
      for (const Dest& d : dests) {
        if (d.kind == Dest::kMalformed) {
          if (!malformed) malformed = &d;
        } else if (d.kind == Dest::kUnknown || d.region.empty() || !p.region) {
          unknown = true;
        } else if (d.region != *p.region) {
          cross = true;
        } else if (!same) {
          same = &d;
        }
      }
      if (cross || (unknown && !malformed)) copies = true;
      std::string head = "backup plan rule " + quoted_rule(name, i) + " of " +
                         p.address + " (" + plan_region + ")";
      Finding f;
      f.resource = pi;
      f.facts = {name.empty() ? "#" + std::to_string(i + 1) : name};
      if (malformed) {
        f.at = malformed->at;
        f.message = head + ": copy destination \"" + malformed->text +
                    "\" is neither a backup vault of the model nor a backup "
                    "vault ARN (arn:aws:backup:REGION:ACCOUNT:backup-vault:"
                    "NAME); its recovery points are not copied to " +
                    other_region(model, plan_region);
      } else if (cross || unknown) {
        continue;
      } else if (dests.empty()) {
        f.at = rule;
        f.message = head + " has no " + spell_attribute(p.format, copy_path) +
                    ": its recovery points stay in " + plan_region +
                    "; add a copy action to a backup vault in " +
                    other_region(model, plan_region);
      } else {
        f.at = same->at;
        f.message = head + " copies only to " + same->text + " (" +
                    same->region +
                    "), the plan's own region; the copy must "
                    "go to a backup vault in " +
                    other_region(model, plan_region);
        if (same->resource >= 0) {
          f.related.push_back({same->resource, "destination vault", {}});
        }
      }
      out.push_back(std::move(f));
    }
    plan_copies[pi] = copies;
  }

  // Selections, indexed by what they name.
  std::vector<Selection> sels;
  for (int si : model.of_kind("aws_backup_selection")) {
    sels.push_back(read_selection(model, si, cross));
  }
  std::unordered_map<int, std::vector<size_t>> by_resource;
  std::map<std::string, std::vector<size_t>> by_tag;  // key \x1f value
  std::vector<size_t> general;
  for (size_t k = 0; k < sels.size(); ++k) {
    const Selection& s = sels[k];
    for (int r : s.refs) by_resource[r].push_back(k);
    for (const auto& t : s.any_tags) {
      if (!t.like && !t.negate) by_tag[t.key + '\x1f' + t.value].push_back(k);
    }
    if (s.general()) general.push_back(k);
  }
  auto copies = [&](const Selection& s) {
    if (s.plan < 0) return true;  // plan outside the model: cannot judge
    auto it = plan_copies.find(s.plan);
    return it == plan_copies.end() || it->second;
  };

  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (r.role != Role::kPrimary || !is_stateful_kind(r.kind) ||
        in_cluster(r)) {
      continue;
    }
    int idx = static_cast<int>(i);
    std::set<size_t> candidates(general.begin(), general.end());
    if (auto it = by_resource.find(idx); it != by_resource.end()) {
      candidates.insert(it->second.begin(), it->second.end());
    }
    for (const auto& [key, tag] : r.tags) {
      auto it = by_tag.find(key + '\x1f' + tag.value);
      if (it != by_tag.end()) {
        candidates.insert(it->second.begin(), it->second.end());
      }
    }
    bool covered = false;
    std::vector<const Selection*> without_copy;
    for (size_t k : candidates) {
      const Selection& s = sels[k];
      if (!selects(s, r, idx)) continue;
      if (copies(s)) {
        covered = true;
        break;
      }
      without_copy.push_back(&s);
    }
    if (covered) continue;
    Finding f;
    f.resource = idx;
    std::string head = r.address + " (" + *r.region + ", primary region)";
    std::string fix =
        "; select it (by ARN, reference or tag) in a backup selection of a "
        "plan that copies to a vault in " +
        other_region(model, *r.region);
    if (without_copy.empty()) {
      f.facts = {"not selected"};
      f.message = head + " is selected by no AWS Backup selection" + fix;
    } else {
      f.facts = {"selected without cross-region copy"};
      std::string by;
      for (const Selection* s : without_copy) {
        const Resource& sr = model.resources[static_cast<size_t>(s->index)];
        const Resource& pr = model.resources[static_cast<size_t>(s->plan)];
        if (!by.empty()) by += ", ";
        by += pr.address + " (" + region_or(pr, kUnknown) + ", via " +
              sr.address + ")";
        f.related.push_back({s->index, "backup selection", {}});
        f.related.push_back(
            {s->plan, "backup plan without cross-region copy", {}});
      }
      f.message = head + " is backed up only by " + by +
                  ", which copies to no other region" + fix;
    }
    out.push_back(std::move(f));
  }
}

}  // namespace drcheck
