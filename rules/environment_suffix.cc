#include "rules/environment_suffix.h"

#include <cctype>

namespace drcheck {
namespace {

constexpr std::string_view kPulumiUnknown =
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const RuleMeta kMeta = {
    .id = "DR002",
    .name = "environment-suffix",
    .short_description =
        "User-set resource names contain the environment suffix.",
    .full_description =
        "Every user-set physical name (S3 bucket, Lambda function name, RDS "
        "cluster and instance identifiers, DynamoDB table name, IAM role "
        "name, CloudFormation BucketName, FunctionName, DBClusterIdentifier, "
        "TableName, ...) must contain the environment suffix as a token "
        "delimited by '-', '_', '.', '/' or the ends of the name (app-dev, "
        "app_dev, db-v2-dev). Names that are unique per account or globally "
        "collide when a second environment or a DR rehearsal deploys the "
        "same code, and a restore into the wrong environment becomes "
        "possible. The suffix comes from --env-suffix or the config file; "
        "without one it is inferred as the most common trailing token of the "
        "names. Computed names are skipped.",
    .help_markdown =
        "Build every physical name from the environment suffix:\n\n"
        "```hcl\nresource \"aws_s3_bucket\" \"logs\" {\n  bucket = "
        "\"transaction-logs-${var.environment_suffix}\"\n}\n```\n\n"
        "The suffix may sit anywhere in the name as long as delimiters "
        "surround it (`db-v2-dev`, `api.payments-dev.example.org`); "
        "`devops-api` does not contain `dev`. Set the expected suffix with "
        "`--env-suffix` or `env_suffix` in .drcheck.json. See "
        "docs/rules/DR002.md.",
    .default_level = Level::kWarning,
    .tags = {"dr", "naming"},
    .security_severity = "2.0",
    .precision = "high",
    .cost = 2,
};

bool is_delim(char c) { return c == '-' || c == '_' || c == '.' || c == '/'; }

bool eq_ignore_case(char a, char b) {
  return std::tolower(static_cast<unsigned char>(a)) ==
         std::tolower(static_cast<unsigned char>(b));
}

// Position of the first delimited occurrence of `token`, or npos.
size_t find_token(std::string_view name, std::string_view token,
                  bool ignore_case) {
  if (token.empty() || token.size() > name.size()) {
    return std::string_view::npos;
  }
  for (size_t i = 0; i + token.size() <= name.size(); ++i) {
    if (i > 0 && !is_delim(name[i - 1])) continue;
    size_t end = i + token.size();
    if (end < name.size() && !is_delim(name[end])) continue;
    bool same = true;
    for (size_t j = 0; j < token.size() && same; ++j) {
      same = ignore_case ? eq_ignore_case(name[i + j], token[j])
                         : name[i + j] == token[j];
    }
    if (same) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool has_env_token(std::string_view name, std::string_view token) {
  return find_token(name, token, false) != std::string_view::npos;
}

std::string find_env_token_ignoring_case(std::string_view name,
                                         std::string_view token) {
  size_t at = find_token(name, token, true);
  return at == std::string_view::npos
             ? std::string()
             : std::string(name.substr(at, token.size()));
}

bool is_literal_name(const Resource& r) {
  if (!r.name || r.name->empty()) return false;
  if (r.name_at.present() && !r.name_at.is_string()) return false;
  const std::string& n = *r.name;
  if (n.find("${") != std::string::npos || n == kPulumiUnknown) return false;
  if (r.format == Format::kPulumiState) {
    std::string attribute = r.name_attribute.empty()
                                ? std::string("name")
                                : snake_to_camel(to_snake(r.name_attribute));
    for (json::JValue d : r.envelope["inputs"]["__defaults"].elements()) {
      if (d.str() == attribute) return false;
    }
    size_t sep = r.address.rfind("::");
    std::string_view urn_name =
        sep == std::string::npos ? std::string_view()
                                 : std::string_view(r.address).substr(sep + 2);
    if (!urn_name.empty() && n.size() == urn_name.size() + 8 &&
        n.compare(0, urn_name.size(), urn_name) == 0 &&
        n[urn_name.size()] == '-') {
      bool hex = true;
      for (size_t i = urn_name.size() + 1; i < n.size() && hex; ++i) {
        hex = std::isxdigit(static_cast<unsigned char>(n[i])) &&
              !std::isupper(static_cast<unsigned char>(n[i]));
      }
      if (hex) return false;
    }
  }
  return true;
}

const RuleMeta& EnvironmentSuffixRule::meta() const { return kMeta; }

void EnvironmentSuffixRule::check(const Model& model,
                                  const ScanOptions& options,
                                  std::vector<Finding>& out) const {
  const std::string& suffix = options.env_suffix;
  if (suffix.empty()) return;  // nothing given and nothing to infer from
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (!is_literal_name(r)) continue;
    const std::string& name = *r.name;
    if (has_env_token(name, suffix)) continue;
    Finding f;
    f.level = kMeta.default_level;
    f.resource = static_cast<int>(i);
    f.at = r.name_at;
    // The attribute as the input spells it (BucketName, bucket, bucketName).
    std::string attribute(r.name_at.key());
    if (attribute.empty()) attribute = r.name_attribute;
    if (attribute.empty()) attribute = "name";
    f.message = r.address + " " + attribute + " '" + name +
                "' does not contain the environment suffix '" + suffix +
                "' as a token delimited by '-', '_', '.', '/' or the ends "
                "of the name";
    std::string near = find_env_token_ignoring_case(name, suffix);
    if (!near.empty()) {
      f.message += " (found '" + near + "'; the suffix is case-sensitive)";
    }
    if (options.env_suffix_inferred) {
      f.message +=
          "; the suffix was inferred as the most common trailing token of "
          "resource names (set --env-suffix to choose it)";
    }
    f.facts = {name, suffix};
    out.push_back(std::move(f));
  }
}

}  // namespace drcheck
