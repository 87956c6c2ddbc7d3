#!/usr/bin/env python3
"""Generates Pulumi state (`pulumi stack export`) for benchmarks.

    bench/gen_pulumi.py --resources 20000 -o bench/out/pulumi.json
    bench/gen_pulumi.py --resources 400 --stacks 200 -o bench/out/stacks/

With --stacks N, writes N separate stack files into the output folder (the
"200 separate stacks" parallel-scan benchmark). Two explicit AWS providers
(primary and dr region) plus the default provider; VPCs, subnets, Aurora
clusters, DynamoDB tables, S3 buckets, backup plans, Route 53 records.
Deterministic for given arguments.
"""
import argparse
import json
import os
import random

ACCOUNT = "123456789012"
TYPES = [
    ("aws:ec2/vpc:Vpc", "vpc"),
    ("aws:ec2/subnet:Subnet", "subnet"),
    ("aws:rds/cluster:Cluster", "db"),
    ("aws:dynamodb/table:Table", "table"),
    ("aws:s3/bucket:Bucket", "bucket"),
    ("aws:backup/vault:Vault", "vault"),
    ("aws:backup/plan:Plan", "plan"),
    ("aws:lambda/function:Function", "fn"),
]


def stack(n, stack_name, rng):
    project = "dr"
    base = "urn:pulumi:%s::%s::" % (stack_name, project)
    res = [{"urn": base + "pulumi:pulumi:Stack::%s-%s" % (project, stack_name),
            "custom": False, "type": "pulumi:pulumi:Stack"}]
    providers = []
    for role, region in (("primary", "us-east-1"), ("dr", "us-west-2")):
        urn = base + "pulumi:providers:aws::%s" % role
        pid = "%08x-0000-4000-8000-%012x" % (rng.randrange(1 << 32), len(providers))
        providers.append((urn + "::" + pid, region, role))
        res.append({"urn": urn, "custom": True, "id": pid,
                    "type": "pulumi:providers:aws",
                    "inputs": {"region": region, "version": "6.52.0",
                               "defaultTags": json.dumps({"tags": {"ManagedBy": "pulumi"}})},
                    "outputs": {"region": region, "version": "6.52.0"}})
    for i in range(n):
        typ, short = TYPES[i % len(TYPES)]
        prov, region, role = providers[(i // len(TYPES)) % 2]
        name = "%s-%d-%s" % (short, i, "prod")
        inputs = {"tags": {"Environment": "prod", "DR-Role": role, "Name": name}}
        outputs = dict(inputs)
        arn = "arn:aws:%s:%s:%s:%s/%s" % (short, region, ACCOUNT, short, name)
        if short == "vpc":
            inputs["cidrBlock"] = "10.%d.0.0/16" % (i % 250)
        elif short == "subnet":
            inputs["cidrBlock"] = "10.%d.%d.0/24" % ((i - 1) % 250, rng.randrange(256))
        elif short == "db":
            inputs.update({"clusterIdentifier": name, "engine": "aurora-postgresql",
                           "engineVersion": "15.4", "deletionProtection": True,
                           "skipFinalSnapshot": False})
        elif short == "table":
            inputs.update({"name": name, "billingMode": "PAY_PER_REQUEST",
                           "deletionProtectionEnabled": True,
                           "replicas": [{"regionName": "us-west-2"}]})
        elif short == "bucket":
            inputs.update({"bucket": name, "forceDestroy": False})
        elif short == "vault":
            inputs.update({"name": name})
        elif short == "plan":
            inputs.update({"name": name, "rules": [{
                "ruleName": "daily", "schedule": "cron(0 3 * * ? *)",
                "targetVaultName": "vault-%d-prod" % (i - 1),
                "copyActions": [{"destinationVaultArn":
                                 "arn:aws:backup:us-west-2:%s:backup-vault:dr" % ACCOUNT}]}]})
        elif short == "fn":
            inputs.update({"name": name, "runtime": "nodejs20.x", "memorySize": 512})
        outputs = dict(inputs, arn=arn, id=name,
                       tagsAll=dict(inputs["tags"], ManagedBy="pulumi"))
        res.append({"urn": base + typ + "::" + name, "custom": True, "id": name,
                    "type": typ, "inputs": inputs, "outputs": outputs,
                    "parent": res[0]["urn"], "provider": prov,
                    "propertyDependencies": {"tags": []},
                    "sourcePosition": "project:///index.ts#%d,5" % (10 + i)})
    return {"version": 3, "deployment": {
        "manifest": {"time": "2026-11-26T10:00:00Z", "magic": "bench", "version": "v3.130.0"},
        "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:bench"}},
        "resources": res}}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--resources", type=int, default=20000)
    ap.add_argument("--stacks", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.stacks:
        os.makedirs(args.output, exist_ok=True)
        for s in range(args.stacks):
            with open(os.path.join(args.output, "stack-%03d.json" % s), "w") as f:
                json.dump(stack(args.resources, "s%03d" % s, rng), f, indent=4)
    else:
        with open(args.output, "w") as f:
            json.dump(stack(args.resources, "prod", rng), f, indent=4)


if __name__ == "__main__":
    main()
