// DR006 failover-completeness: fixtures, helpers and messages.
#include "rules/failover_completeness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using testing::case_dirs;
using testing::fixture;
using testing::run_case;

TEST(FailoverCompleteness, FailCasesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR006", "fail");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    auto r = run_case(dir, "DR006");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
  }
}

TEST(FailoverCompleteness, PassCasesReportNothing) {
  auto dirs = case_dirs("DR006", "pass");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    auto r = run_case(dir, "DR006");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty()) << *r.reported.begin();
  }
}

TEST(FailoverCompleteness, NormalizesHosts) {
  EXPECT_EQ(dr006::normalize_host("HTTPS://Api.Example.com:443/health."),
            "api.example.com");
  EXPECT_EQ(dr006::normalize_host("api.orders.tailspin-air.com."),
            "api.orders.tailspin-air.com");
  EXPECT_EQ(dr006::normalize_host("203.0.113.10"), "203.0.113.10");
  EXPECT_EQ(dr006::normalize_host("2001:db8::1"), "2001:db8::1");
}

TEST(FailoverCompleteness, Placeholders) {
  for (const char* h :
       {"example.com", "api-primary.example.com", "example.org",
        "a.b.example.net", "localhost", "db.local", "test.local",
        "dr-payments-dev.test.local", "svc.internal", "x.test", "y.invalid",
        "host.example", "192.0.2.44", "198.51.100.10", "203.0.113.10",
        "127.0.0.1", "0.0.0.0", "2001:db8::1", "::1"}) {
    EXPECT_TRUE(dr006::is_placeholder_host(h)) << h;
  }
  for (const char* h :
       {"api.northwind-traders.io", "myexample.com", "example.com.au",
        "orders-use1-1234.us-east-1.elb.amazonaws.com", "localstack.io",
        "10.0.0.5", "192.0.3.1", "203.0.114.1", "2001:db9::1",
        "d111111abcdef8.cloudfront.net", "testing.io"}) {
    EXPECT_FALSE(dr006::is_placeholder_host(h)) << h;
  }
}

TEST(FailoverCompleteness, RegionsOfAwsHosts) {
  EXPECT_EQ(dr006::region_of_aws_host(
                "orders-usw2-1122334455.us-west-2.elb.amazonaws.com"),
            "us-west-2");
  EXPECT_EQ(dr006::region_of_aws_host(
                "dualstack.web-1.eu-central-1.elb.amazonaws.com"),
            "eu-central-1");
  EXPECT_EQ(
      dr006::region_of_aws_host("abc123.execute-api.ap-south-1.amazonaws.com"),
      "ap-south-1");
  EXPECT_EQ(
      dr006::region_of_aws_host("site.s3-website-us-east-1.amazonaws.com"),
      "us-east-1");
  EXPECT_EQ(
      dr006::region_of_aws_host("site.s3-website.eu-west-3.amazonaws.com"),
      "eu-west-3");
  EXPECT_EQ(dr006::region_of_aws_host("d111111abcdef8.cloudfront.net"), "");
  EXPECT_EQ(dr006::region_of_aws_host("a1b2.awsglobalaccelerator.com"), "");
  EXPECT_EQ(dr006::region_of_aws_host("us-east-1.example.com"), "");
}

TEST(FailoverCompleteness, RegionTokens) {
  EXPECT_EQ(dr006::region_token("primary-us-east-1"), "us-east-1");
  EXPECT_EQ(dr006::region_token("dr_eu-west-2_b"), "eu-west-2");
  EXPECT_EQ(dr006::region_token("us-gov-west-1"), "us-gov-west-1");
  EXPECT_EQ(dr006::region_token("secondary"), "");
  EXPECT_EQ(dr006::region_token("xus-east-1"), "");
}

TEST(FailoverCompleteness, DrMarkers) {
  Resource t;
  t.address = "aws_dynamodb_table.audit";
  t.name = "audit-prod";
  EXPECT_EQ(dr006::dr_marker(t), "");
  t.name = "addresses-prod";  // "dr" only as a token
  EXPECT_EQ(dr006::dr_marker(t), "");
  t.name = "sessions-global-prod";
  EXPECT_EQ(dr006::dr_marker(t),
            "name \"sessions-global-prod\" has the token \"global\"");
  t.name = "OrdersDrTable";
  EXPECT_EQ(dr006::dr_marker(t), "name \"OrdersDrTable\" has the token \"dr\"");
  t.name = "carts";
  t.address = "aws_dynamodb_table.carts_replica";
  EXPECT_EQ(dr006::dr_marker(t),
            "resource name \"carts_replica\" has the token \"replica\"");
  t.address = "aws_dynamodb_table.carts";
  t.tags["Purpose"] = Tag{"dr-replicated", {}, false};
  EXPECT_EQ(dr006::dr_marker(t),
            "tag Purpose=dr-replicated has the token \"dr\"");
  t.tags["DR-Role"] = Tag{"primary", {}, true};
  EXPECT_EQ(dr006::dr_marker(t), "tag DR-Role=primary");
}

const Finding* find(const testing::CaseResult& r, const std::string& address,
                    const std::string& fact) {
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address &&
        std::find(f.facts.begin(), f.facts.end(), fact) != f.facts.end()) {
      return &f;
    }
  }
  return nullptr;
}

std::string related_address(const testing::CaseResult& r, const Related& rel) {
  return r.model.resources[static_cast<size_t>(rel.resource)].address;
}

TEST(FailoverCompleteness, Route53Messages) {
  auto r = run_case(fixture("rules/DR006/fail/tf-plan-route53"), "DR006");
  const Finding* hc =
      find(r, "aws_route53_health_check.fail_api", "placeholder");
  ASSERT_NE(hc, nullptr);
  EXPECT_EQ(hc->message,
            "aws_route53_health_check.fail_api checks fqdn "
            "\"api-primary.example.com\", a placeholder that is no real "
            "endpoint; failover of aws_route53_record.api_primary depends on "
            "it; point it at the endpoint resource (e.g. the load balancer's "
            "DNS name)");
  EXPECT_EQ(hc->at.str(), "api-primary.example.com");
  ASSERT_EQ(hc->related.size(), 1u);
  EXPECT_EQ(related_address(r, hc->related[0]),
            "aws_route53_record.api_primary");

  const Finding* no_hc =
      find(r, "aws_route53_record.fail_www_primary", "no health check");
  ASSERT_NE(no_hc, nullptr);
  EXPECT_EQ(no_hc->message,
            "failover PRIMARY record aws_route53_record.fail_www_primary "
            "(www.payments.northwind-traders.io A, PRIMARY) has no "
            "health_check_id (nor an alias with evaluate_target_health): "
            "Route 53 never sees the primary fail and never answers with "
            "aws_route53_record.www_secondary");

  const Finding* lone =
      find(r, "aws_route53_record.fail_admin_primary", "no SECONDARY");
  ASSERT_NE(lone, nullptr);
  EXPECT_EQ(lone->message,
            "failover PRIMARY record aws_route53_record.fail_admin_primary "
            "(admin.payments.northwind-traders.io A, PRIMARY) has no "
            "SECONDARY record in its set (same zone, name and type); when the "
            "primary fails there is nothing to fail over to");
  EXPECT_EQ(lone->at.str(), "PRIMARY");

  const Finding* same =
      find(r, "aws_route53_record.fail_status_secondary", "same region");
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(
      same->message,
      "failover SECONDARY record aws_route53_record.fail_status_secondary "
      "(status.payments.northwind-traders.io A, SECONDARY) points to "
      "us-east-1 (aws_lb.primary_internal), the same region as PRIMARY "
      "record aws_route53_record.status_primary (aws_lb.primary); the "
      "secondary must send traffic to the dr region us-west-2");
  ASSERT_EQ(same->related.size(), 1u);
  EXPECT_EQ(related_address(r, same->related[0]),
            "aws_route53_record.status_primary");
  EXPECT_EQ(r.findings.size(), 4u);
}

TEST(FailoverCompleteness, CloudFormationRecordsAndPlaceholders) {
  auto r = run_case(fixture("rules/DR006/fail/cfn"), "DR006");
  const Finding* hc = find(r, "OrdersPrimary/FailHealthPrimary", "placeholder");
  ASSERT_NE(hc, nullptr);
  EXPECT_EQ(hc->message,
            "OrdersPrimary/FailHealthPrimary checks FullyQualifiedDomainName "
            "\"api.orders.local\", a placeholder that is no real endpoint; "
            "failover of OrdersPrimary/ApiPrimary depends on it; point it at "
            "the endpoint resource (e.g. the load balancer's DNS name)");
  const Finding* www =
      find(r, "OrdersPrimary/FailWwwPrimary335A5FA4", "no health check");
  ASSERT_NE(www, nullptr);
  EXPECT_NE(www->message.find("has no HealthCheckId"), std::string::npos);
  // ApiSecondary's literal ELB host name places it in us-west-2, so the api
  // set is not reported as one region.
  EXPECT_EQ(r.reported.count("OrdersPrimary/ApiSecondary"), 0u);
}

TEST(FailoverCompleteness, GlobalClusterMessages) {
  auto r = run_case(fixture("rules/DR006/fail/tf-plan-data-tier"), "DR006");
  const Finding* missing =
      find(r, "aws_rds_global_cluster.fail_orders_global", "no dr member");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->message,
            "aws_rds_global_cluster.fail_orders_global has no member cluster "
            "in the dr region us-west-2 (members: "
            "aws_rds_cluster.orders_primary (us-east-1)); a regional cluster "
            "in the dr region is not replicated: set its "
            "global_cluster_identifier to this global cluster");
  ASSERT_EQ(missing->related.size(), 1u);
  EXPECT_EQ(related_address(r, missing->related[0]),
            "aws_rds_cluster.orders_primary");

  const Finding* engine = find(r, "aws_rds_global_cluster.fail_billing_global",
                               "aws_rds_cluster.billing_dr");
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->message,
            "aws_rds_global_cluster.fail_billing_global: member "
            "aws_rds_cluster.billing_dr (us-west-2) runs aurora-postgresql "
            "15.3, but aws_rds_cluster.billing_primary (us-east-1) runs "
            "aurora-postgresql 15.4; all members of a global cluster must run "
            "the same engine and version");
  ASSERT_EQ(engine->related.size(), 2u);
  EXPECT_EQ(engine->related[0].at.str(), "15.3");
  EXPECT_EQ(engine->related[1].at.str(), "15.4");

  auto cfn = run_case(fixture("rules/DR006/fail/cfn"), "DR006");
  const Finding* cfn_engine =
      find(cfn, "OrdersPrimary/FailGlobalCluster", "OrdersDr/SecondaryCluster");
  ASSERT_NE(cfn_engine, nullptr);
  EXPECT_EQ(cfn_engine->message,
            "OrdersPrimary/FailGlobalCluster: member OrdersDr/SecondaryCluster "
            "(us-west-2) runs aurora-postgresql 15.3, but "
            "OrdersPrimary/OrdersA9B65338 (us-east-1) runs aurora-postgresql "
            "15.4; all members of a global cluster must run the same engine "
            "and version");
}

TEST(FailoverCompleteness, DynamoDbMessages) {
  auto r = run_case(fixture("rules/DR006/fail/tf-plan-data-tier"), "DR006");
  const Finding* carts =
      find(r, "aws_dynamodb_table.fail_carts", "no dr replica");
  ASSERT_NE(carts, nullptr);
  EXPECT_EQ(carts->message,
            "aws_dynamodb_table.fail_carts (us-east-1) is meant for DR (tag "
            "DR-Role=primary) but has no replica in the dr region us-west-2 "
            "(replica regions: eu-west-1); add replica with region "
            "us-west-2");
  EXPECT_TRUE(carts->at.is_array());
  const Finding* named =
      find(r, "aws_dynamodb_table.fail_sessions_global", "no dr replica");
  ASSERT_NE(named, nullptr);
  EXPECT_NE(named->message.find("(name \"sessions-global-prod\" has the token "
                                "\"global\")"),
            std::string::npos);
  // A table with neither tag nor name marker is not DR's business; a
  // replica resource in the dr region satisfies the rule.
  EXPECT_EQ(r.reported.count("aws_dynamodb_table.audit"), 0u);
  EXPECT_EQ(r.reported.count("aws_dynamodb_table.inventory"), 0u);

  auto cfn = run_case(fixture("rules/DR006/fail/cfn"), "DR006");
  const Finding* global =
      find(cfn, "OrdersPrimary/FailSessionsGlobal8896A56D", "no dr replica");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ(global->message,
            "OrdersPrimary/FailSessionsGlobal8896A56D (us-east-1) is meant for "
            "DR (tag DR-Role=primary) but has no "
            "replica in the dr region us-west-2 (replica regions: "
            "us-east-1); use AWS::DynamoDB::GlobalTable with a Replicas entry "
            "for us-west-2");
}

TEST(FailoverCompleteness, AcceleratorMessages) {
  auto r = run_case(fixture("rules/DR006/fail/tf-plan-accelerator"), "DR006");
  const Finding* empty =
      find(r, "aws_globalaccelerator_listener.fail_https", "endpoint regions");
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(empty->message,
            "aws_globalaccelerator_listener.fail_https has no endpoint group: "
            "traffic reaching the accelerator goes nowhere; expected endpoint "
            "groups with endpoints in at least two regions (primary us-east-1 "
            "and dr us-west-2)");
  const Finding* one =
      find(r, "aws_globalaccelerator_listener.fail_tcp", "endpoint regions");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->message,
            "aws_globalaccelerator_listener.fail_tcp has endpoints in only "
            "us-east-1 (endpoint groups: "
            "aws_globalaccelerator_endpoint_group.tcp_use1 (us-east-1), "
            "aws_globalaccelerator_endpoint_group.tcp_usw2 (us-west-2, no "
            "endpoints)); expected endpoint groups with endpoints in at least "
            "two regions (primary us-east-1 and dr us-west-2)");
  ASSERT_EQ(one->related.size(), 2u);
  EXPECT_EQ(one->related[1].role, "endpoint group without endpoints");
  EXPECT_EQ(related_address(r, one->related[1]),
            "aws_globalaccelerator_endpoint_group.tcp_usw2");
}

}  // namespace
}  // namespace drcheck
