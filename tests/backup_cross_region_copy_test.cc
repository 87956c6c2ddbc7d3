// DR005 backup-cross-region-copy: fixtures, helpers and messages.
#include "rules/backup_cross_region_copy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using testing::case_dirs;
using testing::fixture;
using testing::run_case;

TEST(BackupCrossRegionCopy, FailCasesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR005", "fail");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    auto r = run_case(dir, "DR005");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
  }
}

TEST(BackupCrossRegionCopy, PassCasesReportNothing) {
  auto dirs = case_dirs("DR005", "pass");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    auto r = run_case(dir, "DR005");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty()) << *r.reported.begin();
  }
}

TEST(BackupCrossRegionCopy, ParsesVaultArns) {
  auto a = dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:123456789012:backup-vault:orders-dr");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->region, "us-west-2");
  EXPECT_EQ(a->account, "123456789012");
  EXPECT_EQ(a->name, "orders-dr");
  auto gov = dr005::parse_vault_arn(
      "arn:aws-us-gov:backup:us-gov-west-1:123456789012:backup-vault:v_1");
  ASSERT_TRUE(gov);
  EXPECT_EQ(gov->region, "us-gov-west-1");

  EXPECT_FALSE(dr005::parse_vault_arn("orders-dr"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:123456789012:backup-plan:orders"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:1234:backup-vault:orders-dr"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:uswest2:123456789012:backup-vault:orders-dr"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:123456789012:backup-vault:"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:123456789012:backup-vault:bad name"));
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:s3:us-west-2:123456789012:backup-vault:orders"));

  // Deploy-time parts (CloudFormation Fn::Sub / Fn::Join) are accepted in
  // the account and the name, never in the region.
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:{}:backup-vault:orders-dr"));
  auto t = dr005::parse_vault_arn(
      "arn:aws:backup:us-west-2:{}:backup-vault:orders-{}", true);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->region, "us-west-2");
  EXPECT_FALSE(dr005::parse_vault_arn(
      "arn:aws:backup:{}:{}:backup-vault:orders-dr", true));
}

TEST(BackupCrossRegionCopy, GlobMatch) {
  EXPECT_TRUE(dr005::glob_match(
      "arn:aws:dynamodb:us-east-1:123456789012:table/*",
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders-prod"));
  EXPECT_FALSE(dr005::glob_match(
      "arn:aws:dynamodb:us-east-1:123456789012:table/*",
      "arn:aws:dynamodb:us-west-2:123456789012:table/orders-prod"));
  EXPECT_TRUE(dr005::glob_match("arn:aws:rds:*:*:cluster:*",
                                "arn:aws:rds:us-east-1:1:cluster:orders"));
  EXPECT_TRUE(dr005::glob_match("prod-?", "prod-a"));
  EXPECT_FALSE(dr005::glob_match("prod-?", "prod-ab"));
  EXPECT_TRUE(dr005::glob_match("*", ""));
  EXPECT_FALSE(dr005::glob_match("a*b", "acbd"));
  EXPECT_TRUE(dr005::glob_match("a*b*", "acbd"));
}

// The finding on `address` whose first fact is `fact`.
const Finding* find(const testing::CaseResult& r, const std::string& address,
                    const std::string& fact) {
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address &&
        !f.facts.empty() && f.facts[0] == fact) {
      return &f;
    }
  }
  return nullptr;
}

std::string related_address(const testing::CaseResult& r, const Related& rel) {
  return r.model.resources[static_cast<size_t>(rel.resource)].address;
}

TEST(BackupCrossRegionCopy, PlanRuleMessages) {
  auto r = run_case(fixture("rules/DR005/fail/tf-plan-no-copy"), "DR005");
  const Finding* none = find(r, "aws_backup_plan.fail_daily", "daily");
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->message,
            "backup plan rule \"daily\" of aws_backup_plan.fail_daily "
            "(us-east-1) has no copy_action: its recovery points stay in "
            "us-east-1; add a copy action to a backup vault in the dr region "
            "us-west-2");
  EXPECT_EQ(none->level, Level::kError);
  // `at` is the rule block itself.
  EXPECT_EQ(none->at["rule_name"].str(), "daily");

  const Finding* same = find(r, "aws_backup_plan.fail_daily", "weekly");
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->message,
            "backup plan rule \"weekly\" of aws_backup_plan.fail_daily "
            "(us-east-1) copies only to aws_backup_vault.primary (us-east-1), "
            "the plan's own region; the copy must go to a backup vault in the "
            "dr region us-west-2");
  ASSERT_EQ(same->related.size(), 1u);
  EXPECT_EQ(related_address(r, same->related[0]), "aws_backup_vault.primary");
  EXPECT_EQ(same->related[0].role, "destination vault");

  auto lit =
      run_case(fixture("rules/DR005/fail/tf-plan-state-literals"), "DR005");
  const Finding* bad = find(lit, "aws_backup_plan.fail_weekly", "monthly");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->message,
            "backup plan rule \"monthly\" of aws_backup_plan.fail_weekly "
            "(us-east-1): copy destination \"orders-dr\" is neither a backup "
            "vault of the model nor a backup vault ARN "
            "(arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME); its recovery "
            "points are not copied to the dr region us-west-2");
  EXPECT_EQ(bad->at.str(), "orders-dr");
  const Finding* literal = find(lit, "aws_backup_plan.fail_weekly", "weekly");
  ASSERT_NE(literal, nullptr);
  EXPECT_EQ(literal->at.str(),
            "arn:aws:backup:us-east-1:123456789012:backup-vault:orders-local");
  EXPECT_EQ(literal->facts, std::vector<std::string>{"weekly"});

  // CloudFormation: Fn::Sub with ${AWS::Region} is the plan's own region.
  auto cfn = run_case(fixture("rules/DR005/fail/cfn"), "DR005");
  const Finding* sub = find(cfn, "OrdersPrimary/FailPlanDAF4E53A", "Weekly");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->message,
            "backup plan rule \"Weekly\" of OrdersPrimary/FailPlanDAF4E53A "
            "(us-east-1) copies only to "
            "arn:aws:backup:us-east-1:{}:backup-vault:orders-primary "
            "(us-east-1), the plan's own region; the copy must go to a backup "
            "vault in the dr region us-west-2");
  const Finding* none_cfn =
      find(cfn, "OrdersPrimary/FailPlanDAF4E53A", "Daily");
  ASSERT_NE(none_cfn, nullptr);
  EXPECT_NE(none_cfn->message.find("has no CopyActions"), std::string::npos);
}

TEST(BackupCrossRegionCopy, UncoveredResourceMessages) {
  auto r = run_case(fixture("rules/DR005/fail/tf-plan-no-copy"), "DR005");
  const Finding* unselected =
      find(r, "aws_dynamodb_table.fail_sessions", "not selected");
  ASSERT_NE(unselected, nullptr);
  EXPECT_EQ(unselected->message,
            "aws_dynamodb_table.fail_sessions (us-east-1, primary region) is "
            "selected by no AWS Backup selection; select it (by ARN, "
            "reference or tag) in a backup selection of a plan that copies to "
            "a vault in the dr region us-west-2");
  EXPECT_TRUE(unselected->related.empty());

  const Finding* tagged = find(r, "aws_efs_file_system.fail_shared",
                               "selected without cross-region copy");
  ASSERT_NE(tagged, nullptr);
  EXPECT_EQ(tagged->message,
            "aws_efs_file_system.fail_shared (us-east-1, primary region) is "
            "backed up only by aws_backup_plan.fail_daily (us-east-1, via "
            "aws_backup_selection.tagged), which copies to no other region; "
            "select it (by ARN, reference or tag) in a backup selection of a "
            "plan that copies to a vault in the dr region us-west-2");
  ASSERT_EQ(tagged->related.size(), 2u);
  EXPECT_EQ(related_address(r, tagged->related[0]),
            "aws_backup_selection.tagged");
  EXPECT_EQ(related_address(r, tagged->related[1]),
            "aws_backup_plan.fail_daily");
  EXPECT_EQ(tagged->related[1].role, "backup plan without cross-region copy");

  // not_resources removes a table a wildcard selected.
  auto lit =
      run_case(fixture("rules/DR005/fail/tf-plan-state-literals"), "DR005");
  EXPECT_NE(find(lit, "aws_dynamodb_table.fail_audit", "not selected"),
            nullptr);
  EXPECT_EQ(find(lit, "aws_dynamodb_table.orders", "not selected"), nullptr);
}

TEST(BackupCrossRegionCopy, ClusterInstancesAreCoveredByTheirCluster) {
  auto r =
      run_case(fixture("rules/DR005/fail/tf-plan-state-literals"), "DR005");
  EXPECT_EQ(r.reported.count("aws_db_instance.orders_writer"), 0u);
  EXPECT_EQ(r.reported.count("aws_db_instance.fail_legacy"), 1u);
  auto cfn = run_case(fixture("rules/DR005/fail/cfn"), "DR005");
  EXPECT_EQ(cfn.reported.count("OrdersPrimary/OrdersWriterDCFD903C"), 0u);
  // Resources of the dr region need no selection.
  auto p = run_case(fixture("rules/DR005/fail/pulumi"), "DR005");
  for (const auto& a : p.reported) {
    EXPECT_EQ(a.find("sessions-table-dr"), std::string::npos) << a;
  }
}

}  // namespace
}  // namespace drcheck
