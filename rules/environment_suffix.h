// environment_suffix.h: DR002 environment-suffix.
//
// Every user-set physical name (Resource::name, which the loaders take from
// kinds.h name_attributes(kind): bucket, function_name, cluster_identifier,
// CloudFormation BucketName, TableName, ...) contains the environment suffix
// (ScanOptions::env_suffix; inferred by the engine when not given) as a
// token delimited by '-', '_', '.', '/' or the ends of the name. Two
// deployments of one stack (dev and prod, or two test runs) otherwise
// collide on globally or regionally unique names, and the DR copy cannot be
// told from the primary. Unknown and computed names are skipped.
//
// One finding per resource: facts {name, suffix}.
#ifndef DRCHECK_RULES_ENVIRONMENT_SUFFIX_H_
#define DRCHECK_RULES_ENVIRONMENT_SUFFIX_H_

#include <string>
#include <string_view>

#include "analyzer/rule.h"

namespace drcheck {

// Whether `name` contains `token` delimited by '-', '_', '.', '/' or the
// ends of the string; case-sensitive. has_env_token("db-v2-dev", "dev") and
// has_env_token("api.payments-dev.example.org", "dev") are true,
// has_env_token("devops-api", "dev") is false. An empty token is never found.
bool has_env_token(std::string_view name, std::string_view token);

// The same search, ignoring ASCII case; returns the token as written in
// `name` ("Dev"), or "" when absent.
std::string find_env_token_ignoring_case(std::string_view name,
                                         std::string_view token);

// Whether a recorded name is a literal the user wrote, so the rule can judge
// it: not a Terraform / CDKTF interpolation ("${var.env}-logs"), not a
// CloudFormation intrinsic (the name's JValue is not a string), not Pulumi's
// unknown sentinel, and not a Pulumi auto-name (the property is listed in
// the state's inputs.__defaults, or the name is the URN name followed by
// '-' and 7 hex digits, e.g. "sessions-3f9c2a1").
bool is_literal_name(const Resource& r);

class EnvironmentSuffixRule : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

}  // namespace drcheck

#endif  // DRCHECK_RULES_ENVIRONMENT_SUFFIX_H_
