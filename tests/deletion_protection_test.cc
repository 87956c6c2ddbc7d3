// DR003 deletion-protection: fixtures in every format and both profiles,
// exact messages, and the setting readers.
#include "rules/deletion_protection.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using testing::case_dirs;
using testing::CaseResult;
using testing::run_case;

TEST(DeletionProtection, FailFixturesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR003", "fail");
  ASSERT_GE(dirs.size(), 8u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR003");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
  }
}

TEST(DeletionProtection, PassFixturesReportNothing) {
  auto dirs = case_dirs("DR003", "pass");
  ASSERT_GE(dirs.size(), 8u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR003");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty()) << *r.reported.begin();
    EXPECT_GE(r.model.resources.size(), 3u);
  }
}

// Messages and facts of every finding on `address`, in report order.
std::vector<std::pair<std::string, std::vector<std::string>>> on(
    const CaseResult& r, const std::string& address) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address) {
      out.emplace_back(f.message, f.facts);
    }
  }
  return out;
}

using Facts = std::vector<std::string>;

TEST(DeletionProtection, ProductionTerraformMessages) {
  CaseResult r = run_case(
      testing::fixture("rules/DR003/fail/tf-plan-production"), "DR003");
  auto orders = on(r, "aws_rds_cluster.fail_orders");
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].first,
            "aws_rds_cluster.fail_orders has deletion_protection = false; the "
            "production profile requires true: deletion protection stops a "
            "destroy or a stray delete call from dropping the database");
  EXPECT_EQ(orders[0].second, (Facts{"deletion_protection", "false"}));
  EXPECT_EQ(orders[1].first,
            "aws_rds_cluster.fail_orders has skip_final_snapshot = true; the "
            "production profile requires false: skipping the final snapshot "
            "leaves nothing to restore from once the database is deleted");
  EXPECT_EQ(orders[1].second, (Facts{"skip_final_snapshot", "true"}));

  // Not set: the provider default applies, the finding sits on the resource.
  auto reporting = on(r, "aws_db_instance.fail_reporting");
  ASSERT_EQ(reporting.size(), 1u);
  EXPECT_EQ(reporting[0].first,
            "aws_db_instance.fail_reporting has deletion_protection (not set; "
            "defaults to false); the production profile requires true: "
            "deletion protection stops a destroy or a stray delete call from "
            "dropping the database");
  EXPECT_EQ(reporting[0].second, (Facts{"deletion_protection", "unset"}));
  for (const auto& f : r.findings) {
    const Resource& res = r.model.resources[static_cast<size_t>(f.resource)];
    if (res.address == "aws_db_instance.fail_reporting") {
      EXPECT_TRUE(f.at.absent());
    } else {
      EXPECT_TRUE(f.at.is_bool()) << f.message;  // the offending value
    }
  }

  auto logs = on(r, "aws_s3_bucket.fail_logs");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].first,
            "aws_s3_bucket.fail_logs has force_destroy = true; the production "
            "profile requires false: force_destroy lets a destroy delete every "
            "object in the bucket");
}

TEST(DeletionProtection, ProductionCloudFormationMessages) {
  CaseResult r =
      run_case(testing::fixture("rules/DR003/fail/cfn-production"), "DR003");
  auto logs = on(r, "OrdersPrimary/FailLogsBucket9A1B2C3D");
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].first,
            "OrdersPrimary/FailLogsBucket9A1B2C3D has DeletionPolicy (not "
            "set; defaults to Delete); the production profile requires "
            "Retain: deleting the stack, or removing the resource from it, "
            "deletes the data");
  EXPECT_EQ(logs[0].second, (Facts{"DeletionPolicy", "unset"}));
  EXPECT_EQ(logs[1].second, (Facts{"UpdateReplacePolicy", "unset"}));

  auto vault = on(r, "OrdersPrimary/FailVault8E9F0A1B");
  ASSERT_EQ(vault.size(), 1u);
  EXPECT_EQ(vault[0].first,
            "OrdersPrimary/FailVault8E9F0A1B has DeletionPolicy Snapshot; the "
            "production profile requires Retain: CloudFormation supports "
            "Snapshot only for RDS, EBS, ElastiCache, Neptune, DocumentDB and "
            "Redshift, not for AWS::Backup::BackupVault");

  auto sessions = on(r, "OrdersPrimary/FailSessions4A5B6C7D");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].first,
            "OrdersPrimary/FailSessions4A5B6C7D has replicas without "
            "DeletionProtectionEnabled = true: us-west-2 (not set; defaults "
            "to false); the production profile requires true on every "
            "replica: deletion protection stops a destroy from dropping the "
            "table");
  EXPECT_EQ(sessions[0].second,
            (Facts{"deletion_protection_enabled", "us-west-2"}));

  // "false" as a string is a CloudFormation boolean.
  auto instance = on(r, "OrdersDr/FailDrInstance8A9B0C1D");
  ASSERT_EQ(instance.size(), 1u);
  EXPECT_EQ(instance[0].second, (Facts{"deletion_protection", "false"}));
  EXPECT_EQ(instance[0].first,
            "OrdersDr/FailDrInstance8A9B0C1D has DeletionProtection = false; "
            "the production profile requires true: deletion protection stops "
            "a destroy or a stray delete call from dropping the database");
}

TEST(DeletionProtection, EphemeralMessages) {
  CaseResult cfn =
      run_case(testing::fixture("rules/DR003/fail/cfn-ephemeral"), "DR003");
  auto key = on(cfn, "OrdersPrimary/FailKey1C2D3E4F");
  ASSERT_EQ(key.size(), 2u);
  EXPECT_EQ(key[0].first,
            "OrdersPrimary/FailKey1C2D3E4F has DeletionPolicy Retain; the "
            "ephemeral profile requires Delete (or Snapshot): a retained "
            "resource outlives its stack and blocks the next deployment that "
            "reuses its names");
  auto bucket = on(cfn, "OrdersPrimary/FailBucket5E6F7A8B");
  ASSERT_EQ(bucket.size(), 1u);
  EXPECT_EQ(bucket[0].first,
            "OrdersPrimary/FailBucket5E6F7A8B has no autoDeleteObjects custom "
            "resource (Custom::S3AutoDeleteObjects); the ephemeral profile "
            "requires one: a bucket that still holds objects cannot be "
            "deleted with its stack");
  // A retained bucket is reported for its policies only.
  EXPECT_EQ(on(cfn, "OrdersPrimary/FailRetainedBucket1A2B3C4D").size(), 2u);

  CaseResult pulumi =
      run_case(testing::fixture("rules/DR003/fail/pulumi-ephemeral"), "DR003");
  auto vpc = on(
      pulumi, "urn:pulumi:pr4821::orders::aws:ec2/vpc:Vpc::fail-protected-vpc");
  ASSERT_EQ(vpc.size(), 1u);
  EXPECT_EQ(vpc[0].first,
            "urn:pulumi:pr4821::orders::aws:ec2/vpc:Vpc::fail-protected-vpc "
            "has protect = true; the ephemeral profile requires every "
            "resource to be destroyable: pulumi destroy refuses protected "
            "resources");
  auto db =
      on(pulumi, "urn:pulumi:pr4821::orders::aws:rds/cluster:Cluster::fail-db");
  ASSERT_EQ(db.size(), 1u);
  EXPECT_EQ(db[0].second, (Facts{"skip_final_snapshot", "false"}));
  EXPECT_EQ(db[0].first,
            "urn:pulumi:pr4821::orders::aws:rds/cluster:Cluster::fail-db has "
            "skipFinalSnapshot = false; the ephemeral profile requires true: "
            "without it, destroy fails unless finalSnapshotIdentifier is set, "
            "and then leaves a snapshot behind");

  CaseResult tfjson =
      run_case(testing::fixture("rules/DR003/fail/tf-json-ephemeral"), "DR003");
  auto state = on(tfjson, "aws_s3_bucket.fail-state");
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].first,
            "aws_s3_bucket.fail-state has lifecycle.prevent_destroy = true; "
            "the ephemeral profile requires every resource to be destroyable: "
            "terraform destroy fails on it");
  auto logs = on(tfjson, "aws_s3_bucket.fail-logs");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].first,
            "aws_s3_bucket.fail-logs has force_destroy (not set; defaults to "
            "false); the ephemeral profile requires true: a bucket that still "
            "holds objects cannot be destroyed");
}

TEST(DeletionProtection, TheProfileDecides) {
  // The production pass fixture is all protection: every protected
  // database, table and bucket fails under the ephemeral profile.
  std::string dir = testing::fixture("rules/DR003/pass/tf-plan-production");
  CaseResult prod = run_case(dir, "DR003");
  EXPECT_TRUE(prod.findings.empty());

  Model& m = prod.model;
  ScanOptions eph;
  eph.profile = Profile::kEphemeral;
  std::vector<Finding> out;
  DeletionProtectionRule().check(m, eph, out);
  std::set<std::string> reported;
  for (const auto& f : out) {
    reported.insert(m.resources[static_cast<size_t>(f.resource)].address);
  }
  EXPECT_EQ(
      reported,
      (std::set<std::string>{
          "aws_db_instance.ledger", "aws_db_instance.ledger_replica",
          "aws_db_instance.reporting_replica", "aws_dynamodb_table.sessions",
          "aws_rds_cluster.analytics", "aws_rds_cluster.orders",
          "aws_rds_cluster.orders_dr", "aws_rds_global_cluster.global",
          "aws_s3_bucket.archive", "aws_s3_bucket.logs"}));
  // analytics' deletion_protection is computed by another resource: only
  // its (defaulted) skip_final_snapshot is judged.
  for (const auto& f : out) {
    if (m.resources[static_cast<size_t>(f.resource)].address ==
        "aws_rds_cluster.analytics") {
      EXPECT_EQ(f.facts, (Facts{"skip_final_snapshot", "false"}));
    }
  }
}

class DeletionSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = json::JsonDoc::parse(SourceFile::from_string(
        "t.json",
        R"({"cfn": {"DeletionProtection": "true", "SkipFinalSnapshot": "no",
                    "ForceDestroy": {"Ref": "Destroy"}, "Other": null,
                    "DBClusterIdentifier": {"Ref": "Cluster"}},
            "plan": {"deletion_protection": false},
            "change": {"change": {"after_unknown": {"skip_final_snapshot": true}}},
            "tf": {"deletion_protection": "${var.protect}"}})"));
    doc_ = std::get<std::shared_ptr<const json::JsonDoc>>(parsed);
  }
  Resource make(Format format, const char* attrs, const char* kind) {
    Resource r;
    r.format = format;
    r.kind = kind;
    r.attributes = doc_->root()[attrs];
    return r;
  }
  std::shared_ptr<const json::JsonDoc> doc_;
};

TEST_F(DeletionSettings, ReadsBooleansStringsAndUnknowns) {
  Resource cfn = make(Format::kCloudFormation, "cfn", "aws_rds_cluster");
  EXPECT_EQ(read_bool_setting(cfn, "deletion_protection").state,
            BoolSetting::kTrue);
  EXPECT_EQ(read_bool_setting(cfn, "skip_final_snapshot").state,
            BoolSetting::kUnknown);
  EXPECT_EQ(read_bool_setting(cfn, "force_destroy").state,
            BoolSetting::kUnknown);
  BoolSetting other = read_bool_setting(cfn, "other");
  EXPECT_EQ(other.state, BoolSetting::kUnset);
  EXPECT_TRUE(other.at.absent());
  EXPECT_EQ(read_bool_setting(cfn, "missing").state, BoolSetting::kUnset);

  Resource plan = make(Format::kTerraformPlan, "plan", "aws_rds_cluster");
  BoolSetting dp = read_bool_setting(plan, "deletion_protection");
  EXPECT_EQ(dp.state, BoolSetting::kFalse);
  EXPECT_EQ(dp.at.key(), "deletion_protection");
  EXPECT_EQ(read_bool_setting(plan, "skip_final_snapshot").state,
            BoolSetting::kUnset);
  json::JValue after_unknown =
      doc_->root()["change"]["change"]["after_unknown"];
  EXPECT_EQ(read_bool_setting(plan, "skip_final_snapshot", after_unknown).state,
            BoolSetting::kUnknown);
  EXPECT_EQ(read_bool_setting(plan, "force_destroy", after_unknown).state,
            BoolSetting::kUnset);

  Resource tf = make(Format::kTerraformJson, "tf", "aws_rds_cluster");
  EXPECT_EQ(read_bool_setting(tf, "deletion_protection").state,
            BoolSetting::kUnknown);
}

TEST_F(DeletionSettings, CloudFormationDefaults) {
  EXPECT_EQ(cfn_default_deletion_policy(
                make(Format::kCloudFormation, "plan", "aws_rds_cluster")),
            "Snapshot");
  EXPECT_EQ(cfn_default_deletion_policy(
                make(Format::kCloudFormation, "plan", "aws_db_instance")),
            "Snapshot");
  // An Aurora instance (DBClusterIdentifier set) is deleted by default.
  EXPECT_EQ(cfn_default_deletion_policy(
                make(Format::kCloudFormation, "cfn", "aws_db_instance")),
            "Delete");
  EXPECT_EQ(cfn_default_deletion_policy(
                make(Format::kCloudFormation, "plan", "aws_s3_bucket")),
            "Delete");
  EXPECT_TRUE(cfn_supports_snapshot("aws_ebs_volume"));
  EXPECT_TRUE(cfn_supports_snapshot("aws_rds_cluster"));
  EXPECT_FALSE(cfn_supports_snapshot("aws_s3_bucket"));
  EXPECT_FALSE(cfn_supports_snapshot("aws_dynamodb_table"));
  EXPECT_FALSE(cfn_supports_snapshot("aws_efs_file_system"));
}

}  // namespace
}  // namespace drcheck
