#include "analyzer/kinds.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace drcheck {
namespace {

struct KindRow {
  const char* kind;    // Terraform type
  const char* cfn;     // CloudFormation type, or ""
  const char* pulumi;  // Pulumi type token, or ""
};

// Types whose names do not follow the derivation rules below, plus every
// type a rule reads (so the mapping is explicit and tested).
constexpr KindRow kKinds[] = {
    {"aws_vpc", "AWS::EC2::VPC", "aws:ec2/vpc:Vpc"},
    {"aws_subnet", "AWS::EC2::Subnet", "aws:ec2/subnet:Subnet"},
    {"aws_vpc_ipv4_cidr_block_association", "AWS::EC2::VPCCidrBlock",
     "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation"},
    {"aws_vpc_ipv6_cidr_block_association", "",
     "aws:ec2/vpcIpv6CidrBlockAssociation:VpcIpv6CidrBlockAssociation"},
    {"aws_vpc_peering_connection", "AWS::EC2::VPCPeeringConnection",
     "aws:ec2/vpcPeeringConnection:VpcPeeringConnection"},
    {"aws_vpc_peering_connection_accepter", "",
     "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter"},
    {"aws_route", "AWS::EC2::Route", "aws:ec2/route:Route"},
    {"aws_route_table", "AWS::EC2::RouteTable",
     "aws:ec2/routeTable:RouteTable"},
    {"aws_route_table_association", "AWS::EC2::SubnetRouteTableAssociation",
     "aws:ec2/routeTableAssociation:RouteTableAssociation"},
    {"aws_internet_gateway", "AWS::EC2::InternetGateway",
     "aws:ec2/internetGateway:InternetGateway"},
    {"aws_nat_gateway", "AWS::EC2::NatGateway",
     "aws:ec2/natGateway:NatGateway"},
    {"aws_eip", "AWS::EC2::EIP", "aws:ec2/eip:Eip"},
    {"aws_security_group", "AWS::EC2::SecurityGroup",
     "aws:ec2/securityGroup:SecurityGroup"},
    {"aws_instance", "AWS::EC2::Instance", "aws:ec2/instance:Instance"},
    {"aws_ebs_volume", "AWS::EC2::Volume", "aws:ebs/volume:Volume"},
    {"aws_launch_template", "AWS::EC2::LaunchTemplate",
     "aws:ec2/launchTemplate:LaunchTemplate"},
    {"aws_ec2_transit_gateway", "AWS::EC2::TransitGateway",
     "aws:ec2transitgateway/transitGateway:TransitGateway"},
    {"aws_ec2_transit_gateway_vpc_attachment",
     "AWS::EC2::TransitGatewayAttachment",
     "aws:ec2transitgateway/vpcAttachment:VpcAttachment"},
    {"aws_ec2_transit_gateway_peering_attachment",
     "AWS::EC2::TransitGatewayPeeringAttachment",
     "aws:ec2transitgateway/peeringAttachment:PeeringAttachment"},
    {"aws_db_instance", "AWS::RDS::DBInstance", "aws:rds/instance:Instance"},
    {"aws_rds_cluster", "AWS::RDS::DBCluster", "aws:rds/cluster:Cluster"},
    {"aws_rds_cluster_instance", "", "aws:rds/clusterInstance:ClusterInstance"},
    {"aws_rds_global_cluster", "AWS::RDS::GlobalCluster",
     "aws:rds/globalCluster:GlobalCluster"},
    {"aws_db_subnet_group", "AWS::RDS::DBSubnetGroup",
     "aws:rds/subnetGroup:SubnetGroup"},
    {"aws_dynamodb_table", "AWS::DynamoDB::Table", "aws:dynamodb/table:Table"},
    {"aws_dynamodb_global_table", "AWS::DynamoDB::GlobalTable",
     "aws:dynamodb/globalTable:GlobalTable"},
    {"aws_dynamodb_table_replica", "",
     "aws:dynamodb/tableReplica:TableReplica"},
    {"aws_efs_file_system", "AWS::EFS::FileSystem",
     "aws:efs/fileSystem:FileSystem"},
    {"aws_s3_bucket", "AWS::S3::Bucket", "aws:s3/bucket:Bucket"},
    {"aws_s3_bucket", "", "aws:s3/bucketV2:BucketV2"},  // pulumi-aws v6
    {"aws_s3_bucket_versioning", "",
     "aws:s3/bucketVersioningV2:BucketVersioningV2"},
    {"aws_s3_bucket_replication_configuration", "",
     "aws:s3/bucketReplicationConfig:BucketReplicationConfig"},
    {"aws_backup_plan", "AWS::Backup::BackupPlan", "aws:backup/plan:Plan"},
    {"aws_backup_vault", "AWS::Backup::BackupVault", "aws:backup/vault:Vault"},
    {"aws_backup_selection", "AWS::Backup::BackupSelection",
     "aws:backup/selection:Selection"},
    {"aws_route53_zone", "AWS::Route53::HostedZone", "aws:route53/zone:Zone"},
    {"aws_route53_record", "AWS::Route53::RecordSet",
     "aws:route53/record:Record"},
    {"aws_route53_record_set_group", "AWS::Route53::RecordSetGroup", ""},
    {"aws_route53_health_check", "AWS::Route53::HealthCheck",
     "aws:route53/healthCheck:HealthCheck"},
    {"aws_globalaccelerator_accelerator", "AWS::GlobalAccelerator::Accelerator",
     "aws:globalaccelerator/accelerator:Accelerator"},
    {"aws_globalaccelerator_listener", "AWS::GlobalAccelerator::Listener",
     "aws:globalaccelerator/listener:Listener"},
    {"aws_globalaccelerator_endpoint_group",
     "AWS::GlobalAccelerator::EndpointGroup",
     "aws:globalaccelerator/endpointGroup:EndpointGroup"},
    {"aws_lambda_function", "AWS::Lambda::Function",
     "aws:lambda/function:Function"},
    {"aws_iam_role", "AWS::IAM::Role", "aws:iam/role:Role"},
    {"aws_iam_policy", "AWS::IAM::ManagedPolicy", "aws:iam/policy:Policy"},
    {"aws_iam_role_policy", "AWS::IAM::Policy",
     "aws:iam/rolePolicy:RolePolicy"},
    {"aws_kms_key", "AWS::KMS::Key", "aws:kms/key:Key"},
    {"aws_sns_topic", "AWS::SNS::Topic", "aws:sns/topic:Topic"},
    {"aws_sqs_queue", "AWS::SQS::Queue", "aws:sqs/queue:Queue"},
    {"aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer",
     "aws:lb/loadBalancer:LoadBalancer"},
    {"aws_lb_target_group", "AWS::ElasticLoadBalancingV2::TargetGroup",
     "aws:lb/targetGroup:TargetGroup"},
    {"aws_lb_listener", "AWS::ElasticLoadBalancingV2::Listener",
     "aws:lb/listener:Listener"},
    {"aws_cloudfront_distribution", "AWS::CloudFront::Distribution",
     "aws:cloudfront/distribution:Distribution"},
    {"aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm",
     "aws:cloudwatch/metricAlarm:MetricAlarm"},
    {"aws_secretsmanager_secret", "AWS::SecretsManager::Secret",
     "aws:secretsmanager/secret:Secret"},
    {"aws_ssm_parameter", "AWS::SSM::Parameter", "aws:ssm/parameter:Parameter"},
    {"aws_api_gateway_rest_api", "AWS::ApiGateway::RestApi",
     "aws:apigateway/restApi:RestApi"},
    {"aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup",
     "aws:autoscaling/group:Group"},
};

// Kinds whose role is always "global".
const std::unordered_set<std::string_view> kGlobalKinds = {
    "aws_rds_global_cluster",
    "aws_route53_zone",
    "aws_route53_record",
    "aws_route53_record_set_group",
    "aws_route53_health_check",
    "aws_route53_delegation_set",
    "aws_route53_traffic_policy",
    "aws_route53_traffic_policy_instance",
    "aws_globalaccelerator_accelerator",
    "aws_globalaccelerator_listener",
    "aws_globalaccelerator_endpoint_group",
    "aws_globalaccelerator_custom_routing_accelerator",
    "aws_cloudfront_distribution",
    "aws_cloudfront_origin_access_identity",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_function",
    "aws_cloudfront_cache_policy",
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_instance_profile",
    "aws_iam_openid_connect_provider",
    "aws_iam_service_linked_role",
    "aws_organizations_account",
    "aws_organizations_organization",
    "aws_organizations_policy",
};

// Kinds that cannot carry tags even though they are AWS resources.
const std::unordered_set<std::string_view> kUntaggable = {
    "aws_route53_record",
    "aws_route53_record_set_group",
    "aws_route",
    "aws_route_table_association",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_backup_selection",
    "aws_globalaccelerator_listener",
    "aws_globalaccelerator_endpoint_group",
    "aws_vpc_peering_connection_options",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_s3_bucket_replication_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_lambda_permission",
    "aws_cloudwatch_event_target",
    "aws_sns_topic_subscription",
    "aws_sns_topic_policy",
    "aws_dynamodb_table_item",
    "aws_lb_target_group_attachment",
    "aws_lb_listener_rule",
    "aws_security_group_rule",
    "aws_network_acl_rule",
    "aws_api_gateway_resource",
    "aws_api_gateway_method",
    "aws_api_gateway_integration",
    "aws_api_gateway_deployment",
    "aws_api_gateway_base_path_mapping",
    "aws_kms_alias",
    "aws_rds_cluster_role_association",
    "aws_volume_attachment",
    "aws_main_route_table_association",
    "aws_eip_association",
    "aws_iam_policy_document",
    "aws_ec2_vpc_gateway_attachment",
    "aws_vpc_gateway_attachment",
    "aws_secretsmanager_secret_target_attachment",
    "aws_cloudwatch_dashboard",
    "aws_cloudwatch_event_endpoint",
    "aws_cloudwatch_log_stream",
    "aws_s3_bucket_server_side_encryption_configuration_v2",
    "aws_s3_bucket_versioning_v2",
    "aws_s3_bucket_public_access_block_v2",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_acl_v2",
    "aws_s3_bucket_notification",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_cors_configuration",
    "aws_s3_bucket_website_configuration",
};

// Kinds whose taggability is known without the derivation: resources that
// belong to families that mostly carry tags.
bool taggable_family(std::string_view kind) {
  static const char* kPrefixes[] = {
      "aws_vpc",
      "aws_subnet",
      "aws_route_table",
      "aws_internet_gateway",
      "aws_nat_gateway",
      "aws_eip",
      "aws_security_group",
      "aws_instance",
      "aws_ebs_",
      "aws_launch_template",
      "aws_ec2_",
      "aws_db_",
      "aws_rds_",
      "aws_dynamodb_",
      "aws_efs_",
      "aws_s3_bucket",
      "aws_backup_",
      "aws_route53_zone",
      "aws_route53_health_check",
      "aws_globalaccelerator_",
      "aws_lambda_function",
      "aws_iam_",
      "aws_kms_key",
      "aws_sns_topic",
      "aws_sqs_queue",
      "aws_lb",
      "aws_alb",
      "aws_cloudfront_distribution",
      "aws_cloudwatch_",
      "aws_secretsmanager_secret",
      "aws_ssm_parameter",
      "aws_api_gateway_",
      "aws_apigatewayv2_",
      "aws_autoscaling_group",
      "aws_ecs_",
      "aws_eks_",
      "aws_elasticache_",
      "aws_kinesis_",
      "aws_sfn_",
      "aws_ecr_",
      "aws_acm_certificate",
      "aws_wafv2_",
      "aws_network_acl",
      "aws_flow_log",
      "aws_vpc_endpoint",
      "aws_codebuild_",
      "aws_codepipeline",
      "aws_elasticsearch_",
      "aws_opensearch_",
      "aws_msk_",
      "aws_redshift_",
      "aws_glue_",
      "aws_athena_",
      "aws_cognito_",
      "aws_config_",
      "aws_ssm_",
  };
  for (const char* p : kPrefixes) {
    if (kind.substr(0, std::char_traits<char>::length(p)) == p) return true;
  }
  return false;
}

struct Maps {
  std::unordered_map<std::string_view, std::string_view> cfn, pulumi;
  Maps() {
    for (const auto& row : kKinds) {
      if (*row.cfn) cfn.emplace(row.cfn, row.kind);
      if (*row.pulumi) pulumi.emplace(row.pulumi, row.kind);
    }
  }
};

const Maps& maps() {
  static const Maps m;
  return m;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string canonical_kind(Format format, std::string_view type) {
  switch (format) {
    case Format::kCloudFormation: {
      auto it = maps().cfn.find(type);
      if (it != maps().cfn.end()) return std::string(it->second);
      // AWS::Service::TypeName -> aws_service_type_name
      if (type.substr(0, 5) == "AWS::") {
        auto rest = type.substr(5);
        auto sep = rest.find("::");
        if (sep != std::string_view::npos) {
          return "aws_" + lower(rest.substr(0, sep)) + "_" +
                 to_snake(rest.substr(sep + 2));
        }
      }
      return std::string(type);
    }
    case Format::kPulumiState: {
      auto it = maps().pulumi.find(type);
      if (it != maps().pulumi.end()) return std::string(it->second);
      // aws:module/resourceName:ResourceName -> aws_module_resource_name
      if (type.substr(0, 4) == "aws:") {
        auto rest = type.substr(4);
        auto slash = rest.find('/');
        auto colon = rest.rfind(':');
        if (slash != std::string_view::npos &&
            colon != std::string_view::npos && colon > slash) {
          std::string module = lower(rest.substr(0, slash));
          std::string name = to_snake(rest.substr(colon + 1));
          if (module == "ec2") return "aws_" + name;
          return "aws_" + module + "_" + name;
        }
      }
      return std::string(type);
    }
    default:
      return std::string(type);
  }
}

bool is_global_kind(std::string_view kind) {
  return kGlobalKinds.count(kind) > 0 || kind.substr(0, 8) == "aws_iam_";
}

bool is_taggable_kind(std::string_view kind) {
  if (kUntaggable.count(kind)) return false;
  return taggable_family(kind);
}

const std::vector<std::string_view>& name_attributes(std::string_view kind) {
  static const std::unordered_map<std::string_view,
                                  std::vector<std::string_view>>
      kNames = {
          {"aws_s3_bucket", {"bucket", "bucket_name"}},
          {"aws_lambda_function", {"function_name"}},
          {"aws_rds_cluster", {"cluster_identifier", "db_cluster_identifier"}},
          {"aws_db_instance", {"identifier", "db_instance_identifier"}},
          {"aws_rds_cluster_instance",
           {"identifier", "db_instance_identifier"}},
          {"aws_rds_global_cluster", {"global_cluster_identifier"}},
          {"aws_dynamodb_table", {"name", "table_name"}},
          {"aws_dynamodb_global_table", {"table_name", "name"}},
          {"aws_sqs_queue", {"name", "queue_name"}},
          {"aws_sns_topic", {"name", "topic_name"}},
          {"aws_iam_role", {"name", "role_name"}},
          {"aws_iam_policy", {"name", "managed_policy_name", "policy_name"}},
          {"aws_backup_vault", {"name", "backup_vault_name"}},
          {"aws_backup_plan", {"name"}},
          {"aws_lb", {"name"}},
          {"aws_lb_target_group", {"name"}},
          {"aws_secretsmanager_secret", {"name"}},
          {"aws_ssm_parameter", {"name"}},
          {"aws_kms_alias", {"name", "alias_name"}},
          {"aws_cloudwatch_metric_alarm", {"alarm_name"}},
          {"aws_cloudwatch_log_group", {"name", "log_group_name"}},
          {"aws_efs_file_system", {"creation_token"}},
          {"aws_api_gateway_rest_api", {"name"}},
          {"aws_globalaccelerator_accelerator", {"name"}},
          {"aws_route53_health_check", {"reference_name"}},
          {"aws_ecs_cluster", {"name", "cluster_name"}},
          {"aws_autoscaling_group", {"name", "auto_scaling_group_name"}},
          {"aws_launch_template", {"name", "launch_template_name"}},
          {"aws_db_subnet_group", {"name", "db_subnet_group_name"}},
      };
  static const std::vector<std::string_view> kNone;
  auto it = kNames.find(kind);
  return it == kNames.end() ? kNone : it->second;
}

bool is_stateful_kind(std::string_view kind) {
  return kind == "aws_rds_cluster" || kind == "aws_db_instance" ||
         kind == "aws_dynamodb_table" || kind == "aws_efs_file_system" ||
         kind == "aws_ebs_volume";
}

}  // namespace drcheck
