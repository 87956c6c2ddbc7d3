#include "rules/required_tags.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>
#include <vector>

#include "analyzer/kinds.h"

namespace drcheck {
namespace {

constexpr std::string_view kDrRole = "DR-Role";
// What `pulumi preview` writes for a value not known until apply.
constexpr std::string_view kPulumiUnknown =
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const RuleMeta kMeta = {
    .id = "DR001",
    .name = "required-tags",
    .short_description =
        "Taggable resources carry the required tags, and DR-Role matches "
        "the resource's region.",
    .full_description =
        "Every taggable resource must carry every required tag key (by "
        "default Environment and DR-Role) with a non-empty value. Effective "
        "tags include provider default tags (Terraform default_tags and plan "
        "tags_all, Pulumi provider defaultTags). DR-Role must match the "
        "allowed pattern (default ^(primary|dr|global)$) and agree with the "
        "region role of the resource: primary in the primary region, dr in "
        "the DR region, global for global services. Failover runbooks, cost "
        "reports and backup selections find resources by these tags; a "
        "missing or wrong tag leaves a resource out of the recovery plan.",
    .help_markdown =
        "Add the missing tags to the resource, or once for all resources of "
        "a region through provider default tags:\n\n"
        "```hcl\nprovider \"aws\" {\n  alias  = \"dr\"\n  region = "
        "\"us-west-2\"\n  default_tags {\n    tags = { Environment = "
        "\"prod\", DR-Role = \"dr\" }\n  }\n}\n```\n\n"
        "Tag keys are case-sensitive: `environment` does not satisfy "
        "`Environment`. Global resources (IAM, Route 53, CloudFront, Global "
        "Accelerator) take `DR-Role = \"global\"`. See docs/rules/DR001.md.",
    .default_level = Level::kError,
    .tags = {"dr", "tagging", "governance"},
    .security_severity = "4.0",
    .precision = "very-high",
    .cost = 4,
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The tags object as written on the resource, for Finding::at: `tags`
// (Terraform, Pulumi) / `Tags` (CloudFormation); else a type-specific tag
// property (`HostedZoneTags`, `BackupVaultTags`); else the plan's
// `tags_all` (provider default tags only). Absent when none is written.
json::JValue tags_value(const Resource& r) {
  json::JValue t = r.attr("tags");
  if (t.present() && !t.is_null()) return t;
  if (r.attributes.is_object()) {
    for (auto [key, value] : r.attributes.members()) {
      if (value.is_null()) continue;
      std::string k = to_snake(key);
      if (k.size() > 5 && k.compare(k.size() - 5, 5, "_tags") == 0) {
        return value;
      }
    }
  }
  t = r.attr("tags_all");
  if (t.present() && !t.is_null()) return t;
  return {};
}

// The region role a DR-Role value names ("primary", "dr", "global",
// case-insensitively); kUnknown for any other value a custom pattern allows.
Role role_named(std::string_view value) {
  std::string v = lower(value);
  if (v == "primary") return Role::kPrimary;
  if (v == "dr") return Role::kDr;
  if (v == "global") return Role::kGlobal;
  return Role::kUnknown;
}

std::string where(const Resource& r, const Model& model) {
  switch (r.role) {
    case Role::kPrimary:
      return "is in " + model.primary_region + ", the primary region";
    case Role::kDr:
      return "is in " + model.dr_region + ", the DR region";
    case Role::kGlobal:
      return "is a global resource (" + r.kind + ")";
    case Role::kUnknown:
      break;
  }
  return "has an unknown region role";
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

}  // namespace

bool valid_dr_role_pattern(const std::string& pattern, std::string* error) {
  RE2::Options o;
  o.set_log_errors(false);
  RE2 re(pattern, o);
  if (re.ok()) return true;
  if (error)
    *error = "invalid DR-Role pattern '" + pattern + "': " + re.error();
  return false;
}

TagValueKind classify_tag_value(const Tag& tag) {
  if (!tag.value.empty()) {
    if (tag.value.find("${") != std::string::npos ||
        tag.value == kPulumiUnknown) {
      return TagValueKind::kUnknown;
    }
    return TagValueKind::kLiteral;
  }
  // An empty value: known empty only when the input wrote an empty string
  // or null there; absent (computed) or any other JSON type (an intrinsic
  // function object, a list) means the loader could not read it.
  if (tag.at.is_null()) return TagValueKind::kEmpty;
  if (tag.at.is_string()) {
    return tag.at.str().empty() ? TagValueKind::kEmpty : TagValueKind::kUnknown;
  }
  return TagValueKind::kUnknown;
}

const RuleMeta& RequiredTagsRule::meta() const { return kMeta; }

void RequiredTagsRule::check(const Model& model, const ScanOptions& options,
                             std::vector<Finding>& out) const {
  // Compiled once per run; an invalid pattern (the CLI rejects it before a
  // scan) disables only the pattern check.
  std::unique_ptr<RE2> pattern;
  if (!options.dr_role_pattern.empty()) {
    RE2::Options o;
    o.set_log_errors(false);
    pattern = std::make_unique<RE2>(options.dr_role_pattern, o);
    if (!pattern->ok()) pattern.reset();
  }
  // Required keys in a stable order, without duplicates.
  std::vector<std::string> required = options.required_tags;
  std::sort(required.begin(), required.end());
  required.erase(std::unique(required.begin(), required.end()), required.end());
  bool require_dr_role =
      std::find(required.begin(), required.end(), kDrRole) != required.end();

  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (!r.taggable && !is_taggable_kind(r.kind)) continue;
    int index = static_cast<int>(i);

    // Required keys that are absent or empty.
    std::vector<std::string> missing;  // facts: the keys
    std::vector<std::string> details;  // message parts
    const Tag* role_tag = nullptr;     // DR-Role, when required and present
    for (const auto& key : required) {
      if (key.empty()) continue;
      const Tag* t = r.tag(key);
      if (key == kDrRole) role_tag = t;
      if (t) {
        if (classify_tag_value(*t) == TagValueKind::kEmpty) {
          missing.push_back(key);
          details.push_back(key + " (set but empty)");
        }
        continue;
      }
      missing.push_back(key);
      std::string found;
      std::string lk = lower(key);
      for (const auto& [k, tag] : r.tags) {
        if (lower(k) == lk) {
          found = k;
          break;
        }
      }
      details.push_back(found.empty() ? key
                                      : key + " (found '" + found +
                                            "'; tag keys are case-sensitive)");
    }
    if (!missing.empty()) {
      Finding f;
      f.level = kMeta.default_level;
      f.resource = index;
      f.at = tags_value(r);
      std::string present;
      for (const auto& [k, tag] : r.tags) {
        if (!present.empty()) present += ", ";
        present += k;
      }
      f.message =
          r.address + " is missing required tag" +
          (missing.size() > 1 ? "s " : " ") + join(details, ", ") +
          (present.empty() ? "; it has no tags" : "; its tags: " + present);
      f.facts.push_back("missing");
      f.facts.insert(f.facts.end(), missing.begin(), missing.end());
      out.push_back(std::move(f));
    }

    // DR-Role: value and agreement with the region role.
    if (!require_dr_role) continue;
    if (!role_tag || classify_tag_value(*role_tag) != TagValueKind::kLiteral) {
      continue;
    }
    const std::string& value = role_tag->value;
    std::string origin =
        role_tag->from_default ? " (from provider default tags)" : "";
    // Search semantics: the pattern's own anchors decide (the default is
    // anchored at both ends).
    if (pattern && !RE2::PartialMatch(value, *pattern)) {
      Finding f;
      f.level = kMeta.default_level;
      f.resource = index;
      f.at = role_tag->at;
      f.message = r.address + " has DR-Role '" + value + "'" + origin +
                  ", which does not match the allowed pattern " +
                  options.dr_role_pattern;
      std::string lv = lower(value);
      if (lv != value && RE2::PartialMatch(lv, *pattern)) {
        f.message += " (values are case-sensitive)";
      }
      f.facts = {"dr-role-value", value};
      out.push_back(std::move(f));
      continue;
    }
    Role named = role_named(value);
    if (named == Role::kUnknown || r.role == Role::kUnknown ||
        named == r.role) {
      continue;
    }
    Finding f;
    f.level = kMeta.default_level;
    f.resource = index;
    f.at = role_tag->at;
    f.message = r.address + " has DR-Role '" + value + "'" + origin + " but " +
                where(r, model) + "; expected DR-Role '" + role_name(r.role) +
                "'";
    f.facts = {"dr-role-region", value, role_name(r.role)};
    out.push_back(std::move(f));
  }
}

}  // namespace drcheck
