// failover_completeness.h: DR006 failover-completeness.
//
// The pieces that make traffic and data move to the dr region must all be
// there: Route 53 failover sets with one PRIMARY (health-checked, on a real
// target) and one SECONDARY in another region; Aurora global clusters with
// members of one engine and version in the primary and the dr region;
// DynamoDB tables meant for DR with a dr-region replica; Global Accelerator
// listeners with endpoints in two regions. docs/rules/DR006.md has the exact
// semantics and where each finding is reported.
#ifndef DRCHECK_RULES_FAILOVER_COMPLETENESS_H_
#define DRCHECK_RULES_FAILOVER_COMPLETENESS_H_

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace drcheck {

class FailoverCompletenessRule : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

namespace dr006 {

// "HTTPS://Api.Example.com:443/health." -> "api.example.com"; IPs unchanged.
std::string normalize_host(std::string_view value);

// Whether a (normalized) host or IP can never be a real endpoint:
// RFC 2606/6761 names (example.com/.org/.net and their subdomains,
// localhost, *.test, *.invalid, *.example, *.localhost), *.local,
// *.internal, *.localdomain, and the documentation / loopback / unspecified
// addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 127.0.0.0/8,
// 0.0.0.0, 2001:db8::/32, ::1).
bool is_placeholder_host(std::string_view host);

// The region named by an AWS service host name
// ("x.elb.us-east-1.amazonaws.com", "abc.execute-api.eu-west-1.amazonaws.com",
// "b.s3-website-us-west-2.amazonaws.com") or "" (CloudFront, Global
// Accelerator and other hosts carry no region).
std::string region_of_aws_host(std::string_view host);

// The first AWS region name written as a token inside `text`
// ("primary-us-east-1" -> "us-east-1"), or "".
std::string region_token(std::string_view text);

// Why a DynamoDB table counts as meant for DR (see DR006.md), or "" when it
// does not: a DR-Role tag, or a name / tag value with the token "global",
// "dr", "replica", "replicas" or "replicated" (tokens split at
// non-alphanumerics and lower-to-upper case changes).
std::string dr_marker(const Resource& table);

}  // namespace dr006
}  // namespace drcheck

#endif  // DRCHECK_RULES_FAILOVER_COMPLETENESS_H_
