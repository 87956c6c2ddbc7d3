#!/usr/bin/env python3
"""Generates a large, realistic `terraform show -json` plan for benchmarks.

    bench/gen_plan.py --resources 20000 --regions 10 -o bench/out/plan.json

The plan has one aliased AWS provider per region (the first is the default),
one child module per region called with `providers = { aws = aws.<alias> }`,
and in each module a mix of resources every rule reads: VPCs (some peered
with overlapping CIDRs), subnets, RDS clusters, DynamoDB tables, S3 buckets,
backup plans/vaults/selections, Lambda functions, Route 53 failover records
and health checks. planned_values, resource_changes and configuration are all
filled the way Terraform writes them, so the loader does its real work.
Output is deterministic for given arguments.
"""
import argparse
import json
import random

REGIONS = [
    "us-east-1", "us-west-2", "us-east-2", "eu-west-1", "eu-central-1",
    "ap-southeast-1", "ap-northeast-1", "eu-north-1", "ca-central-1",
    "sa-east-1", "ap-south-1", "eu-west-2",
]

ACCOUNT = "123456789012"


def tags(region_index, name, rng):
    t = {
        "Name": name,
        "Environment": "prod",
        "Owner": "platform-team",
        "CostCenter": "cc-%04d" % rng.randrange(10000),
    }
    if rng.random() < 0.97:
        t["DR-Role"] = "primary" if region_index == 0 else "dr"
    return t


def make_resource(kind, i, region_index, region, module, rng):
    """Returns (type, name, values, expressions) for one resource."""
    suffix = "prod"
    name = "%s-%d-%s" % (kind.replace("aws_", "").replace("_", "-"), i, suffix)
    arn_base = "arn:aws:%s:%s:%s" % ("svc", region, ACCOUNT)
    v = {}
    expr = {}
    if kind == "aws_vpc":
        second = rng.randrange(0, 40) if rng.random() < 0.5 else i % 250
        v = {
            "cidr_block": "10.%d.0.0/16" % second,
            "enable_dns_hostnames": True,
            "enable_dns_support": True,
            "instance_tenancy": "default",
            "assign_generated_ipv6_cidr_block": False,
            "arn": "arn:aws:ec2:%s:%s:vpc/vpc-%08x" % (region, ACCOUNT, i),
            "id": "vpc-%08x" % i,
        }
        expr = {"cidr_block": {"constant_value": v["cidr_block"]}}
    elif kind == "aws_subnet":
        v = {
            "cidr_block": "10.%d.%d.0/24" % (i % 250, rng.randrange(256)),
            "availability_zone": region + "a",
            "map_public_ip_on_launch": False,
            "vpc_id": "vpc-%08x" % (i - 1),
            "id": "subnet-%08x" % i,
            "arn": "arn:aws:ec2:%s:%s:subnet/subnet-%08x" % (region, ACCOUNT, i),
        }
        expr = {"vpc_id": {"references": ["aws_vpc.r%d.id" % (i - 1),
                                          "aws_vpc.r%d" % (i - 1)]},
                "cidr_block": {"constant_value": v["cidr_block"]}}
    elif kind == "aws_rds_cluster":
        v = {
            "cluster_identifier": name,
            "engine": "aurora-postgresql",
            "engine_version": "15.4",
            "database_name": "app",
            "master_username": "dbadmin",
            "deletion_protection": rng.random() < 0.8,
            "skip_final_snapshot": rng.random() < 0.2,
            "backup_retention_period": 7,
            "preferred_backup_window": "03:00-04:00",
            "storage_encrypted": True,
            "arn": "arn:aws:rds:%s:%s:cluster:%s" % (region, ACCOUNT, name),
            "id": name,
            "serverlessv2_scaling_configuration": [
                {"min_capacity": 0.5, "max_capacity": 4}],
        }
        expr = {"cluster_identifier": {"constant_value": name}}
    elif kind == "aws_dynamodb_table":
        v = {
            "name": name,
            "billing_mode": "PAY_PER_REQUEST",
            "hash_key": "id",
            "range_key": "ts",
            "attribute": [{"name": "id", "type": "S"}, {"name": "ts", "type": "N"}],
            "deletion_protection_enabled": rng.random() < 0.7,
            "point_in_time_recovery": [{"enabled": True}],
            "stream_enabled": True,
            "stream_view_type": "NEW_AND_OLD_IMAGES",
            "replica": [{"region_name": REGIONS[(region_index + 1) % 10]}]
            if rng.random() < 0.5 else [],
            "arn": "arn:aws:dynamodb:%s:%s:table/%s" % (region, ACCOUNT, name),
            "id": name,
        }
        expr = {"name": {"constant_value": name}}
    elif kind == "aws_s3_bucket":
        v = {
            "bucket": name,
            "force_destroy": rng.random() < 0.1,
            "object_lock_enabled": False,
            "arn": "arn:aws:s3:::%s" % name,
            "id": name,
            "bucket_domain_name": name + ".s3.amazonaws.com",
        }
        expr = {"bucket": {"constant_value": name}}
    elif kind == "aws_backup_vault":
        v = {"name": name, "force_destroy": False,
             "arn": "arn:aws:backup:%s:%s:backup-vault:%s" % (region, ACCOUNT, name),
             "id": name}
        expr = {"name": {"constant_value": name}}
    elif kind == "aws_backup_plan":
        dest_region = REGIONS[(region_index + 1) % 10]
        rule = {
            "rule_name": "daily",
            "schedule": "cron(0 3 * * ? *)",
            "target_vault_name": "vault-%d-prod" % (i - 1),
            "start_window": 60,
            "completion_window": 180,
            "lifecycle": [{"delete_after": 35, "cold_storage_after": 0}],
            "copy_action": [{
                "destination_vault_arn": "arn:aws:backup:%s:%s:backup-vault:dr-vault"
                                         % (dest_region, ACCOUNT),
                "lifecycle": [{"delete_after": 35, "cold_storage_after": 0}],
            }] if rng.random() < 0.9 else [],
        }
        v = {"name": name, "rule": [rule],
             "arn": "arn:aws:backup:%s:%s:backup-plan:%08x" % (region, ACCOUNT, i),
             "id": "%08x" % i}
        expr = {"name": {"constant_value": name},
                "rule": [{"target_vault_name": {
                    "references": ["aws_backup_vault.r%d.name" % (i - 1),
                                   "aws_backup_vault.r%d" % (i - 1)]}}]}
    elif kind == "aws_backup_selection":
        v = {"name": name, "iam_role_arn": "arn:aws:iam::%s:role/backup" % ACCOUNT,
             "plan_id": "%08x" % (i - 1),
             "resources": ["arn:aws:rds:%s:%s:cluster:rds-cluster-%d-prod"
                           % (region, ACCOUNT, i - 5)],
             "selection_tag": [], "id": "sel-%08x" % i}
        expr = {"plan_id": {"references": ["aws_backup_plan.r%d.id" % (i - 1),
                                           "aws_backup_plan.r%d" % (i - 1)]}}
    elif kind == "aws_lambda_function":
        v = {
            "function_name": name,
            "runtime": "nodejs20.x",
            "handler": "index.handler",
            "memory_size": 512,
            "timeout": 30,
            "role": "arn:aws:iam::%s:role/lambda-exec" % ACCOUNT,
            "environment": [{"variables": {
                "TABLE": "dynamodb-table-%d-prod" % i,
                "POLICY": json.dumps({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["dynamodb:GetItem"],
                     "Resource": "*"}]})}}],
            "arn": "arn:aws:lambda:%s:%s:function:%s" % (region, ACCOUNT, name),
            "id": name,
        }
        expr = {"function_name": {"constant_value": name}}
    elif kind == "aws_route53_health_check":
        v = {"fqdn": "api-%d.prod.internal.example.org" % i if rng.random() < 0.5
             else "alb-%d.%s.elb.amazonaws.com" % (i, region),
             "port": 443, "type": "HTTPS", "resource_path": "/health",
             "failure_threshold": 3, "request_interval": 30, "id": "hc-%08x" % i}
        expr = {}
    elif kind == "aws_route53_record":
        v = {"zone_id": "Z%010d" % (i // 4), "name": "api%d.example.net" % (i // 2),
             "type": "A", "set_identifier": "r%d" % i,
             "failover_routing_policy": [{"type": "PRIMARY" if i % 2 else "SECONDARY"}],
             "health_check_id": "hc-%08x" % (i - 1),
             "alias": [{"name": "alb-%d.%s.elb.amazonaws.com" % (i, region),
                        "zone_id": "Z35SXDOTRQ7X7K", "evaluate_target_health": True}],
             "id": "Z%010d_api%d_A_r%d" % (i // 4, i // 2, i)}
        expr = {"health_check_id": {"references": [
            "aws_route53_health_check.r%d.id" % (i - 1),
            "aws_route53_health_check.r%d" % (i - 1)]}}
        if (i // 2) % 10:
            # Most records are plain alias records; one pair in ten is a
            # failover pair (some with mistakes, as in real plans).
            for k in ("set_identifier", "failover_routing_policy",
                      "health_check_id"):
                del v[k]
            v["name"] = "www%d-r%d.example.net" % (i, region_index)
            expr = {}
    return kind, "r%d" % i, v, expr


KINDS = [
    "aws_vpc", "aws_subnet", "aws_subnet", "aws_rds_cluster",
    "aws_dynamodb_table", "aws_s3_bucket", "aws_backup_vault",
    "aws_backup_plan", "aws_backup_selection", "aws_lambda_function",
    "aws_route53_health_check", "aws_route53_record",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resources", type=int, default=20000)
    ap.add_argument("--regions", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    regions = REGIONS[: args.regions]
    per_region = max(1, args.resources // len(regions))

    provider_config = {}
    for ri, region in enumerate(regions):
        key = "aws" if ri == 0 else "aws.r%d" % ri
        pc = {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
              "version_constraint": "~> 5.0",
              "expressions": {"region": {"constant_value": region},
                              "default_tags": [{"tags": {"constant_value": {
                                  "ManagedBy": "terraform"}}}]}}
        if ri:
            pc["alias"] = "r%d" % ri
        provider_config[key] = pc

    child_modules, changes, module_calls = [], [], {}
    for ri, region in enumerate(regions):
        mod = "module.region%d" % ri
        resources, conf_resources = [], []
        for j in range(per_region):
            i = ri * per_region + j
            kind = KINDS[j % len(KINDS)]
            typ, name, values, expr = make_resource(kind, j, ri, region, mod, rng)
            address = "%s.%s.%s" % (mod, typ, name)
            if typ.startswith("aws_route53"):
                t = None
            else:
                t = tags(ri, values.get("id", name), rng)
                values["tags"] = t
                values["tags_all"] = dict(t, ManagedBy="terraform")
            resources.append({
                "address": address, "mode": "managed", "type": typ, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "schema_version": 0, "values": values,
                "sensitive_values": {"tags": {}, "tags_all": {}}})
            changes.append({
                "address": address, "module_address": mod, "mode": "managed",
                "type": typ, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": None,
                           "after": values, "after_unknown": {"id": True, "arn": True},
                           "before_sensitive": False,
                           "after_sensitive": {"tags": {}, "tags_all": {}}}})
            conf_resources.append({
                "address": "%s.%s" % (typ, name), "mode": "managed", "type": typ,
                "name": name, "provider_config_key": "aws" if ri == 0 else "aws.r%d" % ri,
                "expressions": expr, "schema_version": 0})
            del i
        child_modules.append({"address": mod, "resources": resources})
        module_calls["region%d" % ri] = {
            "source": "./modules/region",
            "module": {"resources": conf_resources},
        }

    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "variables": {"env": {"value": "prod"}},
        "planned_values": {"root_module": {"child_modules": child_modules}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": provider_config,
            "root_module": {"module_calls": module_calls},
        },
        "timestamp": "2026-11-26T10:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    with open(args.output, "w") as f:
        json.dump(plan, f, indent=2)


if __name__ == "__main__":
    main()
