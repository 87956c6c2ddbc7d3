#include "rules/deletion_protection.h"

#include <cctype>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/string_table.h"

namespace drcheck {
namespace {

const RuleMeta kMeta = {
    .id = "DR003",
    .name = "deletion-protection",
    .short_description =
        "Stateful resources are protected from deletion (production) or "
        "fully destroyable (ephemeral).",
    .full_description =
        "Profile production (default): RDS and Aurora clusters, RDS "
        "instances and Aurora global clusters have deletion protection on "
        "and do not skip the final snapshot; DynamoDB tables have deletion "
        "protection; S3 buckets are not force_destroy; CloudFormation "
        "stateful resources (RDS, DynamoDB, EFS, S3, EBS volumes, Backup "
        "vaults) have a DeletionPolicy and an UpdateReplacePolicy of Retain "
        "or Snapshot. A DR design is only as good as the data it can still "
        "restore: one mistaken destroy, or a change that replaces a "
        "database, must not take the data with it. Profile ephemeral (test "
        "environments): the reverse, everything must be destroyable, so "
        "deletion protection, Retain policies, Pulumi protect and Terraform "
        "prevent_destroy are reported, and buckets need force_destroy.",
    .help_markdown =
        "Production:\n\n"
        "```hcl\nresource \"aws_rds_cluster\" \"db\" {\n"
        "  deletion_protection       = true\n"
        "  skip_final_snapshot       = false\n"
        "  final_snapshot_identifier = \"orders-final-prod\"\n}\n```\n\n"
        "CDK: `removalPolicy: RemovalPolicy.RETAIN` (or `SNAPSHOT` for RDS "
        "and EBS) and `deletionProtection: true`. Ephemeral environments "
        "(`profile: ephemeral`): `deletion_protection = false`, "
        "`skip_final_snapshot = true`, `force_destroy = true`, "
        "`RemovalPolicy.DESTROY` with `autoDeleteObjects: true`. Unset "
        "settings take the provider default (false). See "
        "docs/rules/DR003.md.",
    .default_level = Level::kError,
    .tags = {"dr", "data-protection", "reliability"},
    .security_severity = "7.0",
    .precision = "very-high",
    .cost = 2,
};

bool is_s3_bucket(std::string_view kind) {
  return kind == "aws_s3_bucket" || kind == "aws_s3_bucket_v2";
}

// CloudFormation types whose data DeletionPolicy / UpdateReplacePolicy must
// keep under the production profile.
bool cfn_stateful(std::string_view kind) {
  static const std::unordered_set<std::string_view> kKinds = {
      "aws_rds_cluster",     "aws_db_instance",
      "aws_dynamodb_table",  "aws_dynamodb_global_table",
      "aws_efs_file_system", "aws_s3_bucket",
      "aws_ebs_volume",      "aws_backup_vault",
  };
  return kKinds.count(kind) > 0;
}

bool present_value(const json::JValue& v) {
  return v.present() && !v.is_null();
}

// An Aurora instance in CloudFormation: an AWS::RDS::DBInstance naming its
// cluster. Its data, deletion protection and snapshot belong to the cluster.
bool in_cfn_cluster(const Resource& r) {
  return std::string_view(r.kind) == "aws_db_instance" &&
         present_value(r.attr("db_cluster_identifier"));
}

// Whether a plan's after_unknown marks `snake` as known only after apply.
bool plan_unknown(const json::JValue& after_unknown, std::string_view snake) {
  return after_unknown[snake].boolean().value_or(false);
}

// The attribute's name as the input spells it.
std::string spelled(const Resource& r, std::string_view snake,
                    const json::JValue& v) {
  if (v.present() && !v.key().empty()) return std::string(v.key());
  return spell_attribute(r.format, snake);
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

struct Checker {
  const Model& model;
  std::vector<Finding>& out;
  bool production;
  // change.after_unknown of each Terraform plan resource, keyed by (input,
  // address) into `unknown_values`. Built on the first question: most plans
  // write every attribute DR003 reads, so most scans never ask.
  bool plans_indexed = false;
  StringTable unknown_index;
  std::vector<json::JValue> unknown_values;

  // Indexes resource_changes once per plan input (the plan loader keeps the
  // planned_values object as the envelope; what is computed lives here).
  // The last change of an address wins.
  void index_plans() {
    plans_indexed = true;
    unknown_index.reset(model.resources.size());
    for (size_t i = 0; i < model.inputs.size(); ++i) {
      const Input& in = model.inputs[i];
      if (in.format != Format::kTerraformPlan || !in.doc) continue;
      int scope = static_cast<int>(i);
      for (json::JValue rc : in.doc->root()["resource_changes"].elements()) {
        // One pass over the members of each (the last duplicate key wins).
        json::JValue address, change, u;
        for (auto [key, value] : rc.members()) {
          if (key == "address") {
            address = value;
          } else if (key == "change") {
            change = value;
          }
        }
        for (auto [key, value] : change.members()) {
          if (key == "after_unknown") u = value;
        }
        if (!u.is_object()) continue;
        std::string_view a = address.str();
        uint64_t h = StringTable::hash(a);
        int k = unknown_index.find(h, scope, a);
        if (k >= 0) {
          unknown_values[static_cast<size_t>(k)] = u;
        } else {
          unknown_index.emplace(h, scope, a,
                                static_cast<int>(unknown_values.size()));
          unknown_values.push_back(u);
        }
      }
    }
  }

  json::JValue unknowns(const Resource& r) {
    if (r.format != Format::kTerraformPlan) return {};
    if (!plans_indexed) index_plans();
    int k =
        unknown_index.find(StringTable::hash(r.address), r.input, r.address);
    return k < 0 ? json::JValue() : unknown_values[static_cast<size_t>(k)];
  }

  // An RDS read replica cannot take a final snapshot. The source may be a
  // literal, a reference, or known only after apply.
  bool is_read_replica(const Resource& r) {
    if (std::string_view(r.kind) != "aws_db_instance") return false;
    for (std::string_view a :
         {"replicate_source_db", "source_db_instance_identifier"}) {
      if (present_value(r.attr(a)) || r.ref(a) ||
          plan_unknown(unknowns(r), a)) {
        return true;
      }
    }
    return false;
  }

  const char* profile() const {
    return production ? "production" : "ephemeral";
  }

  void add(int index, json::JValue at, std::string message,
           std::vector<std::string> facts) {
    Finding f;
    f.level = kMeta.default_level;
    f.resource = index;
    f.at = at;
    f.message = std::move(message);
    f.facts = std::move(facts);
    out.push_back(std::move(f));
  }

  // Reports `snake` unless it is `want`; an unset attribute takes `dflt`.
  void expect_bool(const Resource& r, int index, std::string_view snake,
                   bool want, bool dflt, std::string_view why) {
    BoolSetting s = read_bool_setting(r, snake);
    // Unset in the plan's values may mean known only after apply; the
    // resource's after_unknown is looked up only then.
    if (s.state == BoolSetting::kUnset && plan_unknown(unknowns(r), snake)) {
      return;
    }
    if (s.state == BoolSetting::kUnknown) return;
    bool unset = s.state == BoolSetting::kUnset;
    bool value = unset ? dflt : s.state == BoolSetting::kTrue;
    if (value == want) return;
    std::string name = spelled(r, snake, s.at);
    std::string has =
        unset ? name + " (not set; defaults to " + bool_text(dflt) + ")"
              : name + " = " + bool_text(value);
    add(index, unset ? json::JValue() : s.at,
        r.address + " has " + has + "; the " + profile() +
            " profile requires " + bool_text(want) + ": " + std::string(why),
        {std::string(snake), unset ? "unset" : bool_text(value)});
  }

  // DeletionPolicy / UpdateReplacePolicy of a CloudFormation resource.
  // Returns the effective policy ("" when not a literal).
  std::string expect_policy(const Resource& r, int index,
                            std::string_view attribute, bool check) {
    json::JValue v = r.envelope[attribute];
    if (v.present() && !v.is_string()) return "";  // Fn::If / Ref: unknown
    bool unset = !v.is_string();
    std::string dflt = attribute == "DeletionPolicy"
                           ? cfn_default_deletion_policy(r)
                           : std::string("Delete");
    std::string value = unset ? dflt : std::string(v.str());
    if (!check) return value;
    bool retain = value == "Retain" || value == "RetainExceptOnCreate";
    std::string has =
        unset ? std::string(attribute) + " (not set; defaults to " + dflt + ")"
              : std::string(attribute) + " " + value;
    std::vector<std::string> facts = {std::string(attribute),
                                      unset ? "unset" : value};
    if (production) {
      bool snapshot_ok = cfn_supports_snapshot(r.kind);
      if (retain || (value == "Snapshot" && snapshot_ok)) return value;
      std::string expected = snapshot_ok ? "Retain or Snapshot" : "Retain";
      std::string why =
          attribute == "DeletionPolicy"
              ? "deleting the stack, or removing the resource from it, "
                "deletes the data"
              : "an update that replaces the resource deletes the old one "
                "and its data";
      if (value == "Snapshot") {
        why =
            "CloudFormation supports Snapshot only for RDS, EBS, "
            "ElastiCache, Neptune, DocumentDB and Redshift, not for " +
            r.type;
      }
      add(index, unset ? json::JValue() : v,
          r.address + " has " + has + "; the production profile requires " +
              expected + ": " + why,
          std::move(facts));
    } else if (retain) {
      add(index, v,
          r.address + " has " + has +
              "; the ephemeral profile requires Delete (or Snapshot): a "
              "retained resource outlives its stack and blocks the next "
              "deployment that reuses its names",
          std::move(facts));
    }
    return value;
  }

  // AWS::DynamoDB::GlobalTable: DeletionProtectionEnabled on every replica.
  void expect_replicas(const Resource& r, int index) {
    std::vector<std::string> regions;
    std::vector<std::string> parts;
    json::JValue first;
    for (json::JValue rep : r.attr("replicas").elements()) {
      json::JValue v = rep["DeletionProtectionEnabled"];
      std::optional<bool> b = v.boolean();
      if (!b && v.is_string()) {
        if (v.str() == "true") b = true;
        if (v.str() == "false") b = false;
      }
      if (v.present() && !v.is_null() && !b) continue;  // intrinsic
      bool value = b.value_or(false);
      if (value == production) continue;
      std::string region = rep["Region"].is_string()
                               ? std::string(rep["Region"].str())
                               : std::string("(computed region)");
      regions.push_back(region);
      parts.push_back(region + (b ? std::string(" (") + bool_text(value) + ")"
                                  : " (not set; defaults to false)"));
      if (first.absent()) first = b ? v : rep;
    }
    if (regions.empty()) return;
    std::string list;
    for (size_t i = 0; i < parts.size(); ++i) {
      list += (i ? ", " : "") + parts[i];
    }
    std::vector<std::string> facts = {"deletion_protection_enabled"};
    facts.insert(facts.end(), regions.begin(), regions.end());
    add(index, first,
        r.address +
            (production ? " has replicas without "
                          "DeletionProtectionEnabled = true: "
                        : " has replicas with "
                          "DeletionProtectionEnabled = true: ") +
            list + "; the " + profile() + " profile requires " +
            bool_text(production) + " on every replica: " +
            (production ? "deletion protection stops a destroy from "
                          "dropping the table"
                        : "deletion protection blocks destroying the "
                          "environment"),
        std::move(facts));
  }
};

// The CloudFormation buckets a CDK `autoDeleteObjects` custom resource
// empties before deletion.
std::unordered_set<int> auto_deleted_buckets(const Model& model) {
  std::unordered_set<int> out;
  std::unordered_map<std::string, int> by_logical;  // input \x1f logical id
  bool any = false;
  for (const auto& r : model.resources) {
    any = any || std::string_view(r.type) == "Custom::S3AutoDeleteObjects";
  }
  if (!any) return out;
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (r.format != Format::kCloudFormation || !is_s3_bucket(r.kind)) continue;
    auto slash = r.address.rfind('/');
    std::string logical =
        slash == std::string::npos ? r.address : r.address.substr(slash + 1);
    by_logical.emplace(std::to_string(r.input) + '\x1f' + logical,
                       static_cast<int>(i));
  }
  for (const auto& r : model.resources) {
    if (std::string_view(r.type) != "Custom::S3AutoDeleteObjects") continue;
    if (const Reference* ref = r.ref("bucket_name"); ref && ref->index >= 0) {
      out.insert(ref->index);
      continue;
    }
    std::string_view logical = r.attr("bucket_name")["Ref"].str();
    auto it = by_logical.find(std::to_string(r.input) + '\x1f' +
                              std::string(logical));
    if (it != by_logical.end()) out.insert(it->second);
  }
  return out;
}

}  // namespace

BoolSetting read_bool_setting(const Resource& r, std::string_view snake,
                              const json::JValue& after_unknown) {
  BoolSetting s;
  s.at = r.attr(snake);
  if (!present_value(s.at)) {
    s.state = plan_unknown(after_unknown, snake) ? BoolSetting::kUnknown
                                                 : BoolSetting::kUnset;
    if (s.at.is_null()) s.at = {};
    return s;
  }
  if (auto b = s.at.boolean()) {
    s.state = *b ? BoolSetting::kTrue : BoolSetting::kFalse;
  } else if (s.at.is_string() &&
             (s.at.str() == "true" || s.at.str() == "false")) {
    s.state = s.at.str() == "true" ? BoolSetting::kTrue : BoolSetting::kFalse;
  } else {
    s.state = BoolSetting::kUnknown;
  }
  return s;
}

std::string cfn_default_deletion_policy(const Resource& r) {
  if (std::string_view(r.kind) == "aws_rds_cluster") return "Snapshot";
  if (std::string_view(r.kind) == "aws_db_instance" && !in_cfn_cluster(r))
    return "Snapshot";
  return "Delete";
}

bool cfn_supports_snapshot(std::string_view kind) {
  return kind == "aws_rds_cluster" || kind == "aws_db_instance" ||
         kind == "aws_ebs_volume" || kind == "aws_neptune_cluster" ||
         kind == "aws_docdb_cluster" || kind == "aws_redshift_cluster" ||
         kind == "aws_elasticache_cluster" ||
         kind == "aws_elasticache_replication_group";
}

const RuleMeta& DeletionProtectionRule::meta() const { return kMeta; }

void DeletionProtectionRule::check(const Model& model,
                                   const ScanOptions& options,
                                   std::vector<Finding>& out) const {
  Checker c{model, out, options.profile == Profile::kProduction, false, {}, {}};
  bool prod = c.production;
  std::unordered_set<int> emptied;
  if (!prod) emptied = auto_deleted_buckets(model);

  const std::string rds_prot =
      prod ? "deletion protection stops a destroy or a stray delete call "
             "from dropping the database"
           : "deletion protection blocks destroying the environment";
  const std::string ddb_prot =
      prod ? "deletion protection stops a destroy or a stray DeleteTable "
             "from dropping the table"
           : "deletion protection blocks destroying the environment";
  const std::string force =
      prod ? "force_destroy lets a destroy delete every object in the bucket"
           : "a bucket that still holds objects cannot be destroyed";

  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    int index = static_cast<int>(i);
    std::string_view k = r.kind;
    bool cfn = r.format == Format::kCloudFormation;

    if (k == "aws_rds_cluster" || k == "aws_db_instance" ||
        k == "aws_rds_global_cluster") {
      if (!in_cfn_cluster(r)) {
        c.expect_bool(r, index, "deletion_protection", prod, false, rds_prot);
      }
      if (!cfn && k != "aws_rds_global_cluster" &&
          !(prod && c.is_read_replica(r))) {
        std::string why =
            prod ? "skipping the final snapshot leaves nothing to restore "
                   "from once the database is deleted"
                 : "without it, destroy fails unless " +
                       spelled(r, "final_snapshot_identifier", {}) +
                       " is set, and then leaves a snapshot behind";
        c.expect_bool(r, index, "skip_final_snapshot", !prod, false, why);
      }
    } else if (k == "aws_dynamodb_table") {
      c.expect_bool(r, index, "deletion_protection_enabled", prod, false,
                    ddb_prot);
    } else if (k == "aws_dynamodb_global_table" && cfn) {
      c.expect_replicas(r, index);
    } else if (is_s3_bucket(k) && !cfn) {
      c.expect_bool(r, index, "force_destroy", !prod, false, force);
    }

    if (cfn) {
      bool check = prod ? cfn_stateful(k) && !in_cfn_cluster(r) : true;
      std::string deletion = c.expect_policy(r, index, "DeletionPolicy", check);
      c.expect_policy(r, index, "UpdateReplacePolicy", check);
      // Ephemeral: a bucket that deletes with its stack must be emptied
      // first (CDK autoDeleteObjects), or stack deletion fails.
      if (!prod && is_s3_bucket(k) && deletion == "Delete" &&
          !emptied.count(index)) {
        c.add(index, {},
              r.address +
                  " has no autoDeleteObjects custom resource "
                  "(Custom::S3AutoDeleteObjects); the ephemeral profile "
                  "requires one: a bucket that still holds objects cannot be "
                  "deleted with its stack",
              {"auto_delete_objects", "unset"});
      }
    }

    if (!prod) {
      if (r.format == Format::kPulumiState) {
        for (std::string_view opt : {"protect", "retainOnDelete"}) {
          json::JValue v = r.envelope[opt];
          if (!v.boolean().value_or(false)) continue;
          c.add(index, v,
                r.address + " has " + std::string(opt) +
                    " = true; the ephemeral profile requires every resource "
                    "to be destroyable: " +
                    (opt == "protect"
                         ? "pulumi destroy refuses protected resources"
                         : "pulumi destroy leaves the resource in the cloud"),
                {std::string(opt), "true"});
        }
      }
      if (r.format == Format::kTerraformJson) {
        json::JValue lc = r.attr("lifecycle");
        if (lc.is_array()) lc = lc.at(0);
        json::JValue v = lc["prevent_destroy"];
        if (v.boolean().value_or(false) || v.str() == "true") {
          c.add(index, v,
                r.address +
                    " has lifecycle.prevent_destroy = true; the ephemeral "
                    "profile requires every resource to be destroyable: "
                    "terraform destroy fails on it",
                {"prevent_destroy", "true"});
        }
      }
    }
  }
}

}  // namespace drcheck
