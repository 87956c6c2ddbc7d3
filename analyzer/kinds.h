// kinds.h: one canonical kind per AWS resource type, whatever the format.
//
// The canonical kind is the Terraform AWS provider's type name:
// aws_rds_cluster, AWS::RDS::DBCluster and aws:rds/cluster:Cluster are all
// "aws_rds_cluster". Types with no Terraform twin get a derived name
// (AWS::DynamoDB::GlobalTable -> "aws_dynamodb_global_table"). Non-AWS types
// keep their native name.
#ifndef DRCHECK_ANALYZER_KINDS_H_
#define DRCHECK_ANALYZER_KINDS_H_

#include <string>
#include <string_view>
#include <vector>

#include "analyzer/model.h"

namespace drcheck {

std::string canonical_kind(Format format, std::string_view native_type);

// Route 53, Global Accelerator, IAM, CloudFront, Organizations, WAF global,
// aws_rds_global_cluster: the role of such a resource is "global".
bool is_global_kind(std::string_view kind);

// Whether the kind accepts tags (DR001 checks only these).
bool is_taggable_kind(std::string_view kind);

// The snake_case attributes that hold a user-set physical name for the kind,
// in order of preference (bucket, function_name, cluster_identifier, ...).
const std::vector<std::string_view>& name_attributes(std::string_view kind);

// Stateful kinds DR005 expects in a cross-region backup selection.
bool is_stateful_kind(std::string_view kind);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_KINDS_H_
