// deletion_protection.h: DR003 deletion-protection.
//
// Profile production (default): the data a DR plan depends on cannot be
// deleted by a stray destroy or a replacement —
//   - aws_rds_cluster, aws_db_instance, aws_rds_global_cluster:
//     deletion_protection true;
//   - aws_rds_cluster, aws_db_instance (not a read replica):
//   skip_final_snapshot
//     not true (Terraform / Pulumi; CloudFormation has no such property, its
//     DeletionPolicy plays that role);
//   - aws_dynamodb_table: deletion_protection_enabled true (CloudFormation
//     DeletionProtectionEnabled; AWS::DynamoDB::GlobalTable: on every
//     replica);
//   - aws_s3_bucket: force_destroy not true;
//   - CloudFormation stateful resources (RDS DBCluster and DBInstance outside
//     a cluster, DynamoDB Table and GlobalTable, EFS FileSystem, S3 Bucket,
//     EC2 Volume, Backup vault): DeletionPolicy and UpdateReplacePolicy of
//     Retain or Snapshot (Snapshot only where CloudFormation supports it).
// Profile ephemeral: the reverse — everything can be destroyed: no deletion
// protection, skip_final_snapshot true, force_destroy true on buckets (CDK:
// autoDeleteObjects), no Retain policies, no Pulumi protect / retainOnDelete,
// no Terraform lifecycle.prevent_destroy.
//
// Defaults assumed when an attribute is not set (Terraform AWS provider,
// which the Pulumi AWS provider bridges, and CloudFormation):
// deletion_protection false, deletion_protection_enabled false,
// skip_final_snapshot false, force_destroy false; DeletionPolicy Delete
// except Snapshot for AWS::RDS::DBCluster and for AWS::RDS::DBInstance
// without DBClusterIdentifier; UpdateReplacePolicy Delete.
//
// One finding per resource and setting: facts {setting, observed value}.
#ifndef DRCHECK_RULES_DELETION_PROTECTION_H_
#define DRCHECK_RULES_DELETION_PROTECTION_H_

#include <string>
#include <string_view>

#include "analyzer/rule.h"

namespace drcheck {

// A boolean setting as written on a resource.
struct BoolSetting {
  enum State { kUnset, kTrue, kFalse, kUnknown };
  State state = kUnset;  // kUnset: absent or null (the default applies)
  json::JValue at;       // the value, when written
};
// Reads `snake` from the resource: JSON true/false, or the strings "true" /
// "false" (CloudFormation accepts both); anything else written there (an
// intrinsic function, "${var.x}") is kUnknown, and so is an absent value
// that `after_unknown` (a plan's resource_changes[].change.after_unknown
// for this resource) marks as known only after apply.
BoolSetting read_bool_setting(const Resource& r, std::string_view snake,
                              const json::JValue& after_unknown = {});

// CloudFormation's DeletionPolicy when none is written: "Snapshot" for
// AWS::RDS::DBCluster and AWS::RDS::DBInstance without DBClusterIdentifier,
// "Delete" otherwise.
std::string cfn_default_deletion_policy(const Resource& r);

// Whether CloudFormation accepts the Snapshot policy for the resource's type
// (among the kinds DR003 checks: RDS clusters and instances, EBS volumes).
bool cfn_supports_snapshot(std::string_view kind);

class DeletionProtectionRule : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

}  // namespace drcheck

#endif  // DRCHECK_RULES_DELETION_PROTECTION_H_
