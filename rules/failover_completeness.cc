#include "rules/failover_completeness.h"

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
Failover only works when every piece of it exists. DR006 checks:

- Route 53: each failover set (zone + name + type) has exactly one PRIMARY
  and one SECONDARY record; the PRIMARY has a health check (or, for an alias,
  `evaluate_target_health = true`); the health check targets a resource of
  the model (a reference to, or the DNS name / IP of, a load balancer, API,
  distribution, ...) rather than a placeholder such as `example.com`; the
  SECONDARY points to another region than the PRIMARY.
- Aurora global clusters have member clusters in the primary and the dr
  region, all with the same engine and engine version.
- DynamoDB tables meant for DR (a `DR-Role` tag, or a name / tag value with
  the token `global`, `dr`, `replica`) have a replica in the dr region.
- Global Accelerator listeners have endpoint groups with endpoints in at
  least two regions.

Terraform:

```hcl
resource "aws_route53_health_check" "primary" {
  fqdn = aws_lb.primary.dns_name   # not "example.com"
  type = "HTTPS"
  port = 443
  resource_path = "/healthz"
}
resource "aws_route53_record" "api_secondary" {
  zone_id        = aws_route53_zone.main.zone_id
  name           = "api"
  type           = "A"
  set_identifier = "secondary"
  failover_routing_policy { type = "SECONDARY" }
  alias {
    name                   = aws_lb.dr.dns_name
    zone_id                = aws_lb.dr.zone_id
    evaluate_target_health = true
  }
}
resource "aws_globalaccelerator_endpoint_group" "dr" {
  listener_arn          = aws_globalaccelerator_listener.https.id
  endpoint_group_region = "us-west-2"
  endpoint_configuration { endpoint_id = aws_lb.dr.arn }
}
```

CDK: `new route53.CfnHealthCheck(..., { healthCheckConfig: {
fullyQualifiedDomainName: alb.loadBalancerDnsName } })`, `failover:
'SECONDARY'` on the second record set. Pulumi: `fqdn: alb.dnsName`,
`failoverRoutingPolicies: [{ type: "SECONDARY" }]`, `replicas: [{
regionName: "us-west-2" }]`.
)md";

using rule_json::as_list;
using rule_json::cfn_resolve;
using rule_json::cfn_targets;
using rule_json::field;

// References of `r` recorded under one of `paths` or written inside
// `value`; `resolved_only` drops the ones that name nothing in the model.
std::vector<Reference> refs_of(const Model& model, const Resource& r,
                               const json::JValue& value,
                               const std::vector<std::string>& paths) {
  std::vector<Reference> out;
  for (const Reference& ref : r.references) {
    if (rule_json::reference_matches(ref, value, paths)) out.push_back(ref);
  }
  for (int i : cfn_resolve(model, r, value)) {
    Reference ref;
    ref.index = i;
    ref.target = model.resources[static_cast<size_t>(i)].address;
    ref.at = value;
    out.push_back(std::move(ref));
  }
  return out;
}

int first_resolved(const std::vector<Reference>& refs) {
  for (const Reference& r : refs) {
    if (r.index >= 0) return r.index;
  }
  return -1;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Terraform interpolations and Pulumi's unknown-output sentinel are values
// only known at apply time.
bool unknown_text(std::string_view s) {
  return s.find("${") != std::string_view::npos ||
         s == "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
}

std::string known_text(std::string_view s) {
  return unknown_text(s) ? std::string() : std::string(s);
}

const Resource& res(const Model& m, int i) {
  return m.resources[static_cast<size_t>(i)];
}

std::string where(const Resource& r) {
  return r.region ? *r.region : std::string("region unknown");
}

// ---- DNS names and IPs of the model --------------------------------------

// Top-level attributes that hold a host name or an address a health check
// or a record can point at.
constexpr std::string_view kEndpointAttributes[] = {
    "dns_name",
    "domain_name",
    "regional_domain_name",
    "bucket_regional_domain_name",
    "website_endpoint",
    "endpoint",
    "reader_endpoint",
    "address",
    "public_dns",
    "public_ip",
    "private_dns",
    "private_ip",
    "ip_address",
    "cloudfront_domain_name",
    "target_domain_name",
    "regional_target_domain_name",
    "api_endpoint",
    "invoke_url",
    "fqdn",
    "canonical_hosted_zone_dns_name",
    "distribution_domain_name",
    "regional_domain_name_value",
};

// Whether `key`, in snake_case, is one of kEndpointAttributes (compared
// without building the snake_case spelling).
bool is_endpoint_key(std::string_view key) {
  bool has_upper = false;
  for (char c : key) has_upper = has_upper || (c >= 'A' && c <= 'Z');
  for (std::string_view name : kEndpointAttributes) {
    // Without upper-case letters a key is its own snake_case spelling.
    if (has_upper ? snake_equals(key, name) : key == name) return true;
  }
  return false;
}

struct Names {
  std::unordered_map<std::string, int> host;  // normalized host / IP -> res
  std::unordered_map<std::string, int> zone_by_name;
};

std::string record_fqdn(const Model& model, const Names& names,
                        const std::string& name, int zone) {
  std::string n = dr006::normalize_host(name);
  if (zone < 0 || n.empty()) return n;
  std::string z = dr006::normalize_host(res(model, zone).attr("name").str());
  if (z.empty() || n == z || ends_with(n, "." + z)) return n;
  (void)names;
  return n + "." + z;
}

// ---- Route 53 records ----------------------------------------------------

struct Rec {
  int resource = -1;
  json::JValue obj;      // the record's object (attributes or RecordSets[i])
  std::string prefix;    // reference path prefix ("" or "record_sets[i].")
  std::string failover;  // PRIMARY / SECONDARY
  json::JValue failover_at;
  std::string fqdn;  // normalized
  std::string type;
  int zone = -1;
  std::string zone_text;  // literal zone id / name when not in the model
};

std::vector<std::string> paths(const Rec& r,
                               std::initializer_list<std::string_view> names) {
  std::vector<std::string> out;
  for (auto n : names) out.push_back(r.prefix + std::string(n));
  return out;
}

int zone_of(const Model& model, const Names& names, const Resource& rr,
            const json::JValue& obj, const std::string& prefix,
            std::string& text) {
  json::JValue id = field(obj, {"zone_id", "hosted_zone_id"});
  int z = first_resolved(
      refs_of(model, rr, id, {prefix + "zone_id", prefix + "hosted_zone_id"}));
  if (z >= 0) return z;
  if (id.is_string()) {
    std::string s(id.str());
    if (const Resource* zr = model.by_id_or_arn(s)) {
      return static_cast<int>(zr - model.resources.data());
    }
    text = "id:" + s;
    return -1;
  }
  json::JValue name = field(obj, {"hosted_zone_name"});
  if (name.is_string()) {
    std::string n = dr006::normalize_host(name.str());
    auto it = names.zone_by_name.find(n);
    if (it != names.zone_by_name.end()) return it->second;
    text = "name:" + n;
  }
  return -1;
}

Rec read_record(const Model& model, const Names& names, int index,
                const json::JValue& obj, const std::string& prefix,
                const json::JValue& group) {
  const Resource& rr = res(model, index);
  Rec r;
  r.resource = index;
  r.obj = obj;
  r.prefix = prefix;
  json::JValue fo = field(obj, {"failover"});
  if (fo.is_string()) {
    r.failover = upper(fo.str());
    r.failover_at = fo;
  } else {
    json::JValue policy =
        as_list(field(obj,
                      {"failover_routing_policy", "failover_routing_policies"}))
                .empty()
            ? json::JValue()
            : as_list(field(obj, {"failover_routing_policy",
                                  "failover_routing_policies"}))[0];
    json::JValue t = field(policy, {"type"});
    if (t.is_string()) {
      r.failover = upper(t.str());
      r.failover_at = t;
    }
  }
  r.zone = zone_of(model, names, rr, obj, prefix, r.zone_text);
  if (r.zone < 0 && r.zone_text.empty() && group.present()) {
    r.zone = zone_of(model, names, rr, group, "", r.zone_text);
  }
  r.fqdn = record_fqdn(model, names, std::string(field(obj, {"name"}).str()),
                       r.zone);
  r.type = upper(field(obj, {"type"}).str());
  return r;
}

// The model resource a value of the record points to, through a reference
// or by its DNS name / IP; -1 when none.
int target_resource(const Model& model, const Names& names, const Rec& rec,
                    const json::JValue& value,
                    std::initializer_list<std::string_view> attrs) {
  const Resource& rr = res(model, rec.resource);
  int t = first_resolved(refs_of(model, rr, value, paths(rec, attrs)));
  if (t >= 0) return t;
  std::vector<json::JValue> values;
  if (value.is_array()) {
    for (json::JValue e : value.elements()) values.push_back(e);
  } else {
    values.push_back(value);
  }
  for (const json::JValue& v : values) {
    if (!v.is_string()) continue;
    auto it = names.host.find(dr006::normalize_host(v.str()));
    if (it != names.host.end()) return it->second;
  }
  return -1;
}

// Region the record sends traffic to, and what says so; "" when unknowable.
std::string record_region(const Model& model, const Names& names,
                          const Rec& rec, std::string& via) {
  std::vector<json::JValue> aliases =
      as_list(field(rec.obj, {"alias", "aliases", "alias_target"}));
  json::JValue alias_name = aliases.empty()
                                ? json::JValue()
                                : field(aliases[0], {"name", "dns_name"});
  json::JValue records = field(rec.obj, {"records", "resource_records"});
  for (int pass = 0; pass < 2; ++pass) {
    json::JValue v =
        pass == 0 ? (aliases.empty() ? json::JValue() : aliases[0]) : records;
    if (v.absent()) continue;
    int t = pass == 0 ? target_resource(model, names, rec, v,
                                        {"alias", "aliases", "alias_target"})
                      : target_resource(model, names, rec, v,
                                        {"records", "resource_records"});
    if (t < 0 && pass == 0 && alias_name.is_string()) {
      auto it = names.host.find(dr006::normalize_host(alias_name.str()));
      if (it != names.host.end()) t = it->second;
    }
    if (t >= 0) {
      const Resource& tr = res(model, t);
      if (is_global_kind(tr.kind) || !tr.region) return "";
      via = tr.address;
      return *tr.region;
    }
  }
  std::vector<json::JValue> literals;
  if (alias_name.is_string()) literals.push_back(alias_name);
  for (json::JValue e : records.elements()) literals.push_back(e);
  for (const json::JValue& l : literals) {
    if (!l.is_string()) continue;
    std::string region =
        dr006::region_of_aws_host(dr006::normalize_host(l.str()));
    if (!region.empty()) {
      via = std::string(l.str());
      return region;
    }
  }
  json::JValue sid = field(rec.obj, {"set_identifier"});
  std::string region = dr006::region_token(sid.str());
  if (!region.empty())
    via = "set identifier \"" + std::string(sid.str()) + "\"";
  return region;
}

bool has_health_check(const Model& model, const Rec& rec, int& check) {
  const Resource& rr = res(model, rec.resource);
  json::JValue id = field(rec.obj, {"health_check_id"});
  auto refs = refs_of(model, rr, id, paths(rec, {"health_check_id"}));
  check = first_resolved(refs);
  if (check < 0 && id.is_string()) {
    if (const Resource* h = model.by_id_or_arn(id.str())) {
      check = static_cast<int>(h - model.resources.data());
    }
  }
  if (!refs.empty() || (id.is_string() && !id.str().empty()) ||
      id.is_object()) {
    return true;
  }
  // An alias may let Route 53 evaluate the target's health instead.
  std::vector<json::JValue> aliases =
      as_list(field(rec.obj, {"alias", "aliases", "alias_target"}));
  return !aliases.empty() && field(aliases[0], {"evaluate_target_health"})
                                 .boolean()
                                 .value_or(false);
}

// ---- health check targets ------------------------------------------------

struct Target {
  enum Kind { kOk, kSkip, kPlaceholder, kUnknown } kind = kSkip;
  std::string attribute;  // as spelled in the input
  std::string value;
  json::JValue at;
};

Target health_check_target(const Model& model, const Names& names,
                           const Resource& hc) {
  json::JValue cfg = hc.attr("health_check_config");
  std::string prefix = "health_check_config.";
  if (!cfg.is_object()) {
    cfg = hc.attributes;
    prefix.clear();
  }
  std::string type = upper(field(cfg, {"type"}).str());
  if (type == "CALCULATED" || type == "CLOUDWATCH_METRIC" ||
      type == "RECOVERY_CONTROL") {
    return {};
  }
  Target out;
  bool any_ref = false;
  json::JValue fqdn = field(cfg, {"fqdn", "fully_qualified_domain_name"});
  json::JValue ip = field(cfg, {"ip_address"});
  for (int pass = 0; pass < 2; ++pass) {
    json::JValue v = pass == 0 ? fqdn : ip;
    std::vector<std::string> p =
        pass == 0
            ? std::vector<std::string>{prefix + "fqdn",
                                       prefix + "fully_qualified_domain_name"}
            : std::vector<std::string>{prefix + "ip_address"};
    auto refs = refs_of(model, hc, v, p);
    if (first_resolved(refs) >= 0) return {Target::kOk, "", "", v};
    any_ref = any_ref || !refs.empty();
  }
  if (any_ref) return {};  // computed from something outside the model
  for (int pass = 0; pass < 2; ++pass) {
    json::JValue v = pass == 0 ? fqdn : ip;
    if (!v.is_string() || v.str().empty() || unknown_text(v.str())) continue;
    std::string host = dr006::normalize_host(v.str());
    out.at = v;
    out.value = std::string(v.str());
    out.attribute = v.key().empty() ? (pass == 0 ? "fqdn" : "ip_address")
                                    : std::string(v.key());
    if (dr006::is_placeholder_host(host)) {
      out.kind = Target::kPlaceholder;
      return out;
    }
    if (names.host.count(host)) return {Target::kOk, "", "", v};
    out.kind = Target::kUnknown;
  }
  return out;
}

// ---- DynamoDB ------------------------------------------------------------

std::vector<std::string> tokens(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c)) {
      if (!cur.empty()) out.push_back(lower(cur));
      cur.clear();
      continue;
    }
    if (std::isupper(c) && !cur.empty() &&
        std::islower(static_cast<unsigned char>(cur.back()))) {
      out.push_back(lower(cur));
      cur.clear();
    }
    cur += static_cast<char>(c);
  }
  if (!cur.empty()) out.push_back(lower(cur));
  return out;
}

std::string dr_token(std::string_view s) {
  for (const std::string& t : tokens(s)) {
    if (t == "global" || t == "dr" || t == "replica" || t == "replicas" ||
        t == "replicated") {
      return t;
    }
  }
  return "";
}

// The local name of an address (Terraform name, logical id, URN name).
std::string local_name(const std::string& address) {
  std::string a = address;
  if (!a.empty() && a.back() == ']') a = a.substr(0, a.rfind('['));
  auto urn = a.rfind("::");
  if (a.rfind("urn:", 0) == 0 && urn != std::string::npos) {
    return a.substr(urn + 2);
  }
  auto cut = a.find_last_of("./");
  return cut == std::string::npos ? a : a.substr(cut + 1);
}

}  // namespace

namespace dr006 {

std::string normalize_host(std::string_view v) {
  std::string s = lower(v);
  if (auto p = s.find("://"); p != std::string::npos) s = s.substr(p + 3);
  if (auto p = s.find('/'); p != std::string::npos) s = s.substr(0, p);
  // host:port (not IPv6, which has several colons)
  if (std::count(s.begin(), s.end(), ':') == 1) s = s.substr(0, s.find(':'));
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

namespace {
bool parse_ipv4(std::string_view s, int out[4]) {
  int part = 0, value = -1;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      if (value < 0 || part > 3) return false;
      out[part++] = value;
      value = -1;
    } else if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      value = (value < 0 ? 0 : value * 10) + (s[i] - '0');
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part == 4;
}
}  // namespace

bool is_placeholder_host(std::string_view host) {
  int ip[4];
  if (parse_ipv4(host, ip)) {
    return (ip[0] == 192 && ip[1] == 0 && ip[2] == 2) ||
           (ip[0] == 198 && ip[1] == 51 && ip[2] == 100) ||
           (ip[0] == 203 && ip[1] == 0 && ip[2] == 113) || ip[0] == 127 ||
           (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] == 0);
  }
  if (host.find(':') != std::string_view::npos) {  // IPv6
    std::string h = lower(host);
    return h == "::1" || h.rfind("2001:db8:", 0) == 0 || h == "2001:db8::";
  }
  static constexpr std::string_view kNames[] = {
      "example.com", "example.org", "example.net", "example",  "localhost",
      "test",        "invalid",     "local",       "internal", "localdomain"};
  for (std::string_view n : kNames) {
    if (host == n) return true;
    if (host.size() > n.size() && ends_with(host, n) &&
        host[host.size() - n.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

std::string region_of_aws_host(std::string_view host) {
  if (!ends_with(host, ".amazonaws.com") &&
      !ends_with(host, ".amazonaws.com.cn")) {
    return "";
  }
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos
                                                    ? std::string_view::npos
                                                    : dot - start);
    for (std::string_view prefix : {"s3-website-", "s3-website.", "s3-", ""}) {
      if (label.substr(0, prefix.size()) == prefix &&
          looks_like_region(label.substr(prefix.size()))) {
        return std::string(label.substr(prefix.size()));
      }
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return "";
}

std::string region_token(std::string_view text) {
  std::string s = lower(text);
  for (size_t i = 0; i + 9 <= s.size(); ++i) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]))) continue;
    for (size_t len = std::min<size_t>(20, s.size() - i); len >= 9; --len) {
      size_t end = i + len;
      if (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end]))) {
        continue;
      }
      if (looks_like_region(std::string_view(s).substr(i, len))) {
        return s.substr(i, len);
      }
    }
  }
  return "";
}

std::string dr_marker(const Resource& t) {
  if (const Tag* tag = t.tag("DR-Role"); tag && !tag->value.empty()) {
    return "tag DR-Role=" + tag->value;
  }
  std::string name = t.name.value_or("");
  if (name.empty()) {
    for (std::string_view a : {"name", "table_name"}) {
      if (t.attr(a).is_string()) {
        name = std::string(t.attr(a).str());
        break;
      }
    }
  }
  if (std::string tok = dr_token(name); !tok.empty()) {
    return "name \"" + name + "\" has the token \"" + tok + "\"";
  }
  std::string local = local_name(t.address);
  if (std::string tok = dr_token(local); !tok.empty()) {
    return "resource name \"" + local + "\" has the token \"" + tok + "\"";
  }
  for (const auto& [key, tag] : t.tags) {
    if (std::string tok = dr_token(tag.value); !tok.empty()) {
      return "tag " + key + "=" + tag.value + " has the token \"" + tok + "\"";
    }
  }
  return "";
}

}  // namespace dr006

const RuleMeta& FailoverCompletenessRule::meta() const {
  static const RuleMeta m{
      "DR006",
      "failover-completeness",
      "Route 53 failover sets, Aurora global clusters, DynamoDB replicas and "
      "Global Accelerator endpoint groups are complete across both regions.",
      "A failover path that is missing one piece does not fail over. DR006 "
      "checks that every Route 53 failover record set has exactly one "
      "PRIMARY and one SECONDARY, that the PRIMARY is health-checked, that "
      "the health check targets a resource of the model rather than a "
      "placeholder such as example.com, and that PRIMARY and SECONDARY "
      "point to different regions; that Aurora global clusters have member "
      "clusters with equal engine and version in the primary and the dr "
      "region; that DynamoDB tables meant for DR have a replica in the dr "
      "region; and that every Global Accelerator listener has endpoint "
      "groups with endpoints in at least two regions.",
      kHelp,
      Level::kError,
      {"dr", "failover", "route53", "resilience"},
      "8.0",
      "high",
      6,
  };
  return m;
}

namespace {

void check_route53(const Model& model, const Names& names,
                   std::vector<Finding>& out) {
  std::vector<Rec> recs;
  for (int i : model.of_kind("aws_route53_record")) {
    const Resource& r = res(model, i);
    recs.push_back(read_record(model, names, i, r.attributes, "", {}));
  }
  for (int i : model.of_kind("aws_route53_record_set_group")) {
    const Resource& r = res(model, i);
    size_t k = 0;
    for (json::JValue e : r.attr("record_sets").elements()) {
      recs.push_back(read_record(model, names, i, e,
                                 "record_sets[" + std::to_string(k++) + "].",
                                 r.attributes));
    }
  }
  // Failover sets by zone + name + type, in a stable order.
  std::map<std::string, std::vector<size_t>> sets;
  for (size_t k = 0; k < recs.size(); ++k) {
    const Rec& r = recs[k];
    if (r.failover != "PRIMARY" && r.failover != "SECONDARY") continue;
    std::string zone = r.zone >= 0 ? res(model, r.zone).address : r.zone_text;
    sets[zone + '\x1f' + r.fqdn + '\x1f' + r.type].push_back(k);
  }
  std::map<int, std::vector<int>> checks_used;  // health check -> records
  auto label = [&](const Rec& r) {
    return res(model, r.resource).address + " (" + r.fqdn + " " + r.type +
           ", " + r.failover + ")";
  };
  auto by_address = [&](size_t a, size_t b) {
    return res(model, recs[a].resource).address <
           res(model, recs[b].resource).address;
  };
  for (auto& [key, members] : sets) {
    std::vector<size_t> prim, sec;
    for (size_t k : members) {
      (recs[k].failover == "PRIMARY" ? prim : sec).push_back(k);
    }
    std::sort(prim.begin(), prim.end(), by_address);
    std::sort(sec.begin(), sec.end(), by_address);
    const Rec* p = prim.empty() ? nullptr : &recs[prim[0]];
    const Rec* s = sec.empty() ? nullptr : &recs[sec[0]];
    std::string set_name = (p ? p : s)->fqdn + " " + (p ? p : s)->type;
    for (size_t k : members) {
      int hc = -1;
      if (has_health_check(model, recs[k], hc) && hc >= 0) {
        checks_used[hc].push_back(recs[k].resource);
      }
    }
    auto extra = [&](const std::vector<size_t>& list, const char* what) {
      for (size_t x = 1; x < list.size(); ++x) {
        const Rec& r = recs[list[x]];
        Finding f;
        f.resource = r.resource;
        f.at = r.failover_at;
        f.facts = {set_name, std::string("second ") + what};
        f.message = "failover set " + set_name + " has more than one " + what +
                    ": " + label(r) + " and " + label(recs[list[0]]) +
                    "; a failover set holds exactly one PRIMARY and one "
                    "SECONDARY";
        f.related.push_back({recs[list[0]].resource,
                             std::string("first ") + what + " record",
                             {}});
        out.push_back(std::move(f));
      }
    };
    extra(prim, "PRIMARY");
    extra(sec, "SECONDARY");
    if (!p) {
      Finding f;
      f.resource = s->resource;
      f.at = s->failover_at;
      f.facts = {set_name, "no PRIMARY"};
      f.message = "failover set " + set_name + " has a SECONDARY record " +
                  label(*s) +
                  " but no PRIMARY record; Route 53 answers only with the "
                  "secondary";
      out.push_back(std::move(f));
      continue;
    }
    const Resource& pr = res(model, p->resource);
    if (!s) {
      Finding f;
      f.resource = p->resource;
      f.at = p->failover_at;
      f.facts = {set_name, "no SECONDARY"};
      f.message = "failover PRIMARY record " + label(*p) +
                  " has no SECONDARY record in its set (same zone, name and "
                  "type); when the primary fails there is nothing to fail "
                  "over to";
      out.push_back(std::move(f));
    }
    int hc = -1;
    if (!has_health_check(model, *p, hc)) {
      Finding f;
      f.resource = p->resource;
      f.facts = {set_name, "no health check"};
      f.message =
          "failover PRIMARY record " + label(*p) + " has no " +
          spell_attribute(pr.format, "health_check_id") +
          " (nor an alias with evaluate_target_health): Route 53 "
          "never sees the primary fail" +
          (s ? " and never answers with " + res(model, s->resource).address
             : std::string());
      if (s) f.related.push_back({s->resource, "SECONDARY record", {}});
      out.push_back(std::move(f));
    }
    if (!s) continue;
    std::string pvia, svia;
    std::string preg = record_region(model, names, *p, pvia);
    std::string sreg = record_region(model, names, *s, svia);
    if (!preg.empty() && preg == sreg) {
      Finding f;
      f.resource = s->resource;
      f.facts = {set_name, "same region"};
      std::string other = model.dr_region.empty() || model.dr_region == preg
                              ? std::string("another region")
                              : "the dr region " + model.dr_region;
      f.message = "failover SECONDARY record " + label(*s) + " points to " +
                  preg + " (" + svia + "), the same region as PRIMARY record " +
                  pr.address + " (" + pvia +
                  "); the secondary must send traffic to " + other;
      f.related.push_back({p->resource, "PRIMARY record", {}});
      out.push_back(std::move(f));
    }
  }

  // Health checks: placeholders always; targets outside the model when a
  // failover record relies on the check.
  for (int i : model.of_kind("aws_route53_health_check")) {
    const Resource& hc = res(model, i);
    Target t = health_check_target(model, names, hc);
    auto used = checks_used.find(i);
    bool in_failover = used != checks_used.end();
    if (t.kind == Target::kOk || t.kind == Target::kSkip) continue;
    if (t.kind == Target::kUnknown && !in_failover) continue;
    Finding f;
    f.resource = i;
    f.at = t.at;
    std::string users;
    if (in_failover) {
      std::set<int> seen;
      for (int r : used->second) {
        if (!seen.insert(r).second) continue;
        if (!users.empty()) users += ", ";
        users += res(model, r).address;
        f.related.push_back({r, "failover record using the health check", {}});
      }
      users = "; failover of " + users + " depends on it";
    }
    if (t.kind == Target::kPlaceholder) {
      f.facts = {"placeholder", t.value};
      f.message = hc.address + " checks " + t.attribute + " \"" + t.value +
                  "\", a placeholder that is no real endpoint" + users +
                  "; point it at the endpoint resource (e.g. the load "
                  "balancer's DNS name)";
    } else {
      f.facts = {"unknown target", t.value};
      f.message = hc.address + " checks " + t.attribute + " \"" + t.value +
                  "\", which is the DNS name or IP of no resource of this "
                  "model" +
                  users + "; reference the endpoint resource instead";
    }
    out.push_back(std::move(f));
  }
}

void check_global_clusters(const Model& model, std::vector<Finding>& out) {
  const auto& globals = model.of_kind("aws_rds_global_cluster");
  if (globals.empty()) return;
  std::unordered_map<std::string, int> by_identifier;
  for (int g : globals) {
    const Resource& gr = res(model, g);
    for (std::string_view v :
         {gr.attr("global_cluster_identifier").str(), std::string_view(gr.id),
          std::string_view(gr.arn)}) {
      if (!v.empty()) by_identifier.emplace(std::string(v), g);
    }
    if (gr.name) by_identifier.emplace(*gr.name, g);
  }
  std::map<int, std::vector<int>> members;  // global -> clusters
  std::set<Role> maybe_member_roles;
  // Regions of members known only by ARN (outside the model).
  std::map<int, std::vector<std::string>> arn_members;
  for (int c : model.of_kind("aws_rds_cluster")) {
    const Resource& cr = res(model, c);
    json::JValue gci = cr.attr("global_cluster_identifier");
    int g =
        first_resolved(refs_of(model, cr, gci, {"global_cluster_identifier"}));
    if (g < 0 && gci.is_string()) {
      auto it = by_identifier.find(std::string(gci.str()));
      if (it != by_identifier.end()) g = it->second;
    }
    if (g < 0 && gci.is_string()) {
      // CDKTF cross-stack reference: a remote-state output named
      // "cross-stack-output-<type><name><attribute>".
      std::string_view v = gci.str();
      for (int cand : globals) {
        const Resource& gr = res(model, cand);
        std::string token =
            "cross-stack-output-" + gr.type + local_name(gr.address);
        if (v.find(token) != std::string_view::npos) g = cand;
      }
    }
    if (g >= 0 &&
        std::string_view(res(model, g).kind) == "aws_rds_global_cluster") {
      members[g].push_back(c);
    } else if (g < 0 && (gci.is_object() || unknown_text(gci.str()) ||
                         !refs_of(model, cr, gci, {"global_cluster_identifier"})
                              .empty())) {
      // Joins some global cluster we cannot name: it may be a member of
      // any, so its region is never reported as missing.
      maybe_member_roles.insert(cr.region ? cr.role : Role::kUnknown);
    }
  }
  for (int g : globals) {
    const Resource& gr = res(model, g);
    json::JValue src = gr.attr("source_db_cluster_identifier");
    int c = first_resolved(
        refs_of(model, gr, src, {"source_db_cluster_identifier"}));
    if (c < 0 && src.is_string()) {
      if (const Resource* cr = model.by_id_or_arn(src.str())) {
        c = static_cast<int>(cr - model.resources.data());
      } else if (std::string reg = arn_region(src.str()); !reg.empty()) {
        arn_members[g].push_back(reg);
      }
    }
    if (c >= 0 && std::string_view(res(model, c).kind) == "aws_rds_cluster") {
      auto& m = members[g];
      if (std::find(m.begin(), m.end(), c) == m.end()) m.push_back(c);
    }
  }
  for (int g : globals) {
    const Resource& gr = res(model, g);
    std::vector<int> m = members[g];
    std::sort(m.begin(), m.end());
    bool has_primary = false, has_dr = false, has_unknown = false;
    std::string list;
    for (int c : m) {
      const Resource& cr = res(model, c);
      has_primary |= cr.role == Role::kPrimary;
      has_dr |= cr.role == Role::kDr;
      has_unknown |= !cr.region;
      if (!list.empty()) list += ", ";
      list += cr.address + " (" + where(cr) + ")";
    }
    for (const std::string& reg : arn_members[g]) {
      has_primary |= reg == model.primary_region;
      has_dr |= !model.dr_region.empty() && reg == model.dr_region;
      if (!list.empty()) list += ", ";
      list += "a cluster outside the model (" + reg + ")";
    }
    if (list.empty()) list = "none";
    auto missing = [&](const char* role, const std::string& region,
                       const char* how) {
      Finding f;
      f.resource = g;
      f.facts = {std::string("no ") + role + " member"};
      std::string in = region.empty()
                           ? std::string(role) + " region (none is known)"
                           : std::string(role) + " region " + region;
      f.message = gr.address + " has no member cluster in the " + in +
                  " (members: " + list + "); " + how;
      for (int c : m) f.related.push_back({c, "member cluster", {}});
      out.push_back(std::move(f));
    };
    has_unknown |= maybe_member_roles.count(Role::kUnknown) > 0;
    has_primary |= maybe_member_roles.count(Role::kPrimary) > 0;
    has_dr |= maybe_member_roles.count(Role::kDr) > 0;
    if (!has_primary && !has_unknown) {
      missing("primary", model.primary_region,
              "make the primary-region cluster its source "
              "(source_db_cluster_identifier) or a member "
              "(global_cluster_identifier)");
    }
    if (!has_dr && !has_unknown) {
      missing("dr", model.dr_region,
              "a regional cluster in the dr region is not replicated: set its "
              "global_cluster_identifier to this global cluster");
    }
    // Engines: against the global cluster's own, else the first member
    // (primary-region members first).
    std::stable_sort(m.begin(), m.end(), [&](int a, int b) {
      return (res(model, a).role == Role::kPrimary) >
             (res(model, b).role == Role::kPrimary);
    });
    std::string ref_engine = known_text(lower(gr.attr("engine").str()));
    std::string ref_version = known_text(gr.attr("engine_version").str());
    std::string ref_label = "the global cluster specifies";
    int ref_res = -1;
    for (int c : m) {
      const Resource& cr = res(model, c);
      std::string engine = known_text(lower(cr.attr("engine").str()));
      std::string version = known_text(cr.attr("engine_version").str());
      if (ref_engine.empty() && ref_version.empty() && ref_res < 0) {
        ref_engine = engine;
        ref_version = version;
        ref_res = c;
        ref_label = cr.address + " (" + where(cr) + ") runs";
        continue;
      }
      if (ref_engine.empty() && ref_res < 0) {
        ref_engine = engine;  // global cluster set a version only
      }
      bool engine_bad =
          !engine.empty() && !ref_engine.empty() && engine != ref_engine;
      bool version_bad =
          !version.empty() && !ref_version.empty() && version != ref_version;
      if (!engine_bad && !version_bad) continue;
      Finding f;
      f.resource = g;
      // The alert stays on the global cluster (its own engine setting when
      // it has one); the member's value is the related location.
      if (ref_res < 0) {
        f.at = engine_bad ? gr.attr("engine") : gr.attr("engine_version");
      }
      f.facts = {"engine", cr.address};
      auto show = [](const std::string& e, const std::string& v) {
        std::string s = e.empty() ? std::string("(engine unset)") : e;
        return v.empty() ? s : s + " " + v;
      };
      f.message = gr.address + ": member " + cr.address + " (" + where(cr) +
                  ") runs " + show(engine, version) + ", but " + ref_label +
                  " " + show(ref_engine, ref_version) +
                  "; all members of a global cluster must run the same "
                  "engine and version";
      f.related.push_back(
          {c, "member cluster with a different engine",
           engine_bad ? cr.attr("engine") : cr.attr("engine_version")});
      if (ref_res >= 0) {
        f.related.push_back({ref_res, "member cluster it is compared with",
                             engine_bad
                                 ? res(model, ref_res).attr("engine")
                                 : res(model, ref_res).attr("engine_version")});
      }
      out.push_back(std::move(f));
    }
  }
}

void check_dynamodb(const Model& model, std::vector<Finding>& out) {
  // Replica regions by table, from aws_dynamodb_table_replica resources.
  std::map<int, std::vector<int>> replica_resources;
  for (int i : model.of_kind("aws_dynamodb_table_replica")) {
    const Resource& r = res(model, i);
    json::JValue arn = r.attr("global_table_arn");
    int t = first_resolved(refs_of(model, r, arn, {"global_table_arn"}));
    if (t < 0 && arn.is_string()) {
      if (const Resource* tr = model.by_id_or_arn(arn.str())) {
        t = static_cast<int>(tr - model.resources.data());
      }
    }
    if (t >= 0) replica_resources[t].push_back(i);
  }
  for (std::string_view kind :
       {"aws_dynamodb_table", "aws_dynamodb_global_table"}) {
    for (int i : model.of_kind(kind)) {
      const Resource& t = res(model, i);
      if (t.role != Role::kPrimary) continue;
      json::JValue replicas = t.attr("replica");
      if (replicas.absent()) replicas = t.attr("replicas");
      std::vector<std::string> regions;
      for (json::JValue rep : as_list(replicas)) {
        json::JValue reg = field(rep, {"region_name", "region"});
        if (reg.is_string()) regions.emplace_back(reg.str());
      }
      for (int rr : replica_resources[i]) {
        const Resource& rep = res(model, rr);
        if (rep.region) regions.push_back(*rep.region);
      }
      bool has_replicas =
          !as_list(replicas).empty() || !replica_resources[i].empty();
      std::string why = dr006::dr_marker(t);
      if (why.empty() && has_replicas) why = "it declares replicas";
      if (why.empty()) continue;
      const std::string& own = *t.region;
      bool ok = false;
      for (const std::string& reg : regions) {
        ok |= model.dr_region.empty() ? reg != own : reg == model.dr_region;
      }
      if (ok) continue;
      std::string list;
      for (const std::string& reg : regions) {
        if (!list.empty()) list += ", ";
        list += reg;
      }
      Finding f;
      f.resource = i;
      f.at = replicas;
      std::string target = model.dr_region.empty()
                               ? std::string("outside ") + own
                               : "in the dr region " + model.dr_region;
      f.facts = {"no dr replica"};
      f.message = t.address + " (" + own + ") is meant for DR (" + why +
                  ") but has no replica " + target + " (replica regions: " +
                  (list.empty() ? std::string("none") : list) + "); add " +
                  spell_attribute(t.format, t.format == Format::kPulumiState
                                                ? "replicas"
                                                : "replica") +
                  " with region " +
                  (model.dr_region.empty() ? std::string("of the dr region")
                                           : model.dr_region);
      if (t.format == Format::kCloudFormation) {
        f.message = t.address + " (" + own + ") is meant for DR (" + why +
                    ") but has no replica " + target + " (replica regions: " +
                    (list.empty() ? std::string("none") : list) +
                    "); use AWS::DynamoDB::GlobalTable with a Replicas entry "
                    "for " +
                    (model.dr_region.empty() ? std::string("the dr region")
                                             : model.dr_region);
      }
      for (int rr : replica_resources[i]) {
        f.related.push_back({rr, "table replica", {}});
      }
      out.push_back(std::move(f));
    }
  }
}

void check_accelerators(const Model& model, std::vector<Finding>& out) {
  std::map<int, std::vector<int>> groups;  // listener -> endpoint groups
  for (int i : model.of_kind("aws_globalaccelerator_endpoint_group")) {
    const Resource& g = res(model, i);
    json::JValue l = g.attr("listener_arn");
    int li = first_resolved(refs_of(model, g, l, {"listener_arn"}));
    if (li < 0 && l.is_string()) {
      if (const Resource* lr = model.by_id_or_arn(l.str())) {
        li = static_cast<int>(lr - model.resources.data());
      }
    }
    if (li >= 0) groups[li].push_back(i);
  }
  for (int li : model.of_kind("aws_globalaccelerator_listener")) {
    const Resource& l = res(model, li);
    std::set<std::string> regions;
    bool unknown = false;
    std::string detail;
    Finding f;
    for (int gi : groups[li]) {
      const Resource& g = res(model, gi);
      json::JValue reg = g.attr("endpoint_group_region");
      std::string region =
          reg.is_string() ? std::string(reg.str()) : g.region.value_or("");
      json::JValue eps = g.attr("endpoint_configuration");
      if (eps.absent()) eps = g.attr("endpoint_configurations");
      bool has_endpoints = !as_list(eps).empty();
      if (!detail.empty()) detail += ", ";
      detail += g.address + " (" +
                (region.empty() ? std::string("region unknown") : region) +
                (has_endpoints ? "" : ", no endpoints") + ")";
      f.related.push_back({gi,
                           has_endpoints ? "endpoint group"
                                         : "endpoint group without "
                                           "endpoints",
                           {}});
      if (region.empty()) {
        unknown = true;
      } else if (has_endpoints) {
        regions.insert(region);
      }
    }
    if (regions.size() >= 2 || (unknown && regions.size() + 1 >= 2)) continue;
    f.resource = li;
    f.facts = {"endpoint regions"};
    std::string want =
        "expected endpoint groups with endpoints in at least "
        "two regions";
    if (!model.primary_region.empty() && !model.dr_region.empty()) {
      want += " (primary " + model.primary_region + " and dr " +
              model.dr_region + ")";
    }
    if (groups[li].empty()) {
      f.message = l.address +
                  " has no endpoint group: traffic reaching the accelerator "
                  "goes nowhere; " +
                  want;
    } else {
      std::string have;
      for (const auto& r : regions) have += (have.empty() ? "" : ", ") + r;
      f.message =
          l.address + " has endpoints in " +
          (regions.empty() ? std::string("no region") : "only " + have) +
          " (endpoint groups: " + detail + "); " + want;
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

void FailoverCompletenessRule::check(const Model& model, const ScanOptions&,
                                     std::vector<Finding>& out) const {
  Names names;
  for (int z : model.of_kind("aws_route53_zone")) {
    std::string n = dr006::normalize_host(res(model, z).attr("name").str());
    if (!n.empty()) names.zone_by_name.emplace(n, z);
  }
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (std::string_view(r.kind) == "aws_route53_health_check" ||
        !r.attributes.is_object()) {
      continue;
    }
    int idx = static_cast<int>(i);
    if (std::string_view(r.kind) == "aws_route53_record") {
      json::JValue id = r.attr("zone_id");
      int zone =
          first_resolved(refs_of(model, r, id, {"zone_id", "hosted_zone_id"}));
      if (zone < 0) {
        zone = first_resolved(refs_of(model, r, {}, {"hosted_zone_id"}));
      }
      if (zone < 0 && id.is_string()) {
        if (const Resource* zr = model.by_id_or_arn(id.str())) {
          zone = static_cast<int>(zr - model.resources.data());
        }
      }
      std::string fq =
          record_fqdn(model, names, std::string(r.attr("name").str()), zone);
      if (!fq.empty()) names.host.emplace(fq, idx);
      continue;
    }
    for (auto [key, value] : r.attributes.members()) {
      if (!value.is_string() || !is_endpoint_key(key)) continue;
      std::string h = dr006::normalize_host(value.str());
      if (!h.empty()) names.host.emplace(h, idx);
    }
  }
  check_route53(model, names, out);
  check_global_clusters(model, out);
  check_dynamodb(model, out);
  check_accelerators(model, out);
}

}  // namespace drcheck
