// Tests of load_tf_json and load_cdktf_out: every resource of every fixture
// under fixtures/formats/tf-json/, template reference scanning, malformed
// shapes, and every tf-json file of the shared corpus.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzer/json.h"
#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/tf_common.h"
#include "tests/model_loading.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& rel) {
  return std::string(DRCHECK_SOURCE_DIR) + "/fixtures/formats/tf-json/" + rel;
}

using testing::first_error;
using testing::load_file;
Model load_text(const std::string& text) {
  return testing::load_text("t.tf.json", text);
}

// "?" as a tag value: the tag exists but its value is computed.
using Tags = std::map<std::string, std::string>;
using Refs = std::set<std::pair<std::string, std::string>>;

struct Want {
  Want(std::string address, std::string kind, std::string region,
       std::string source, Role role, std::string name, Tags tags, Refs refs,
       std::string construct_path = "")
      : address(std::move(address)),
        kind(std::move(kind)),
        region(std::move(region)),
        source(std::move(source)),
        role(role),
        name(std::move(name)),
        tags(std::move(tags)),
        refs(std::move(refs)),
        construct_path(std::move(construct_path)) {}
  std::string address;
  std::string kind;
  std::string region;  // "" = unknown
  std::string source;  // substring of region_source
  Role role;
  std::string name;  // "" = no name
  Tags tags;
  Refs refs;                   // (attribute, target)
  std::string construct_path;  // CDKTF
};

const Resource* find(const Model& m, const std::string& stack,
                     const std::string& address) {
  for (const auto& r : m.resources) {
    if (r.address == address && r.stack == stack) return &r;
  }
  return nullptr;
}

// `stack` selects the resources of one CDKTF stack ("" = a plain file).
void expect_resources(const Model& m, const std::string& stack,
                      const std::vector<Want>& wants) {
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  std::multiset<std::string> got, want;
  for (const auto& r : m.resources) {
    if (r.stack == stack) got.insert(r.address);
  }
  for (const auto& w : wants) want.insert(w.address);
  EXPECT_EQ(got, want);
  for (const auto& w : wants) {
    SCOPED_TRACE(stack + " " + w.address);
    const Resource* r = find(m, stack, w.address);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->kind, w.kind);
    EXPECT_EQ(r->format, Format::kTerraformJson);
    if (w.region.empty()) {
      EXPECT_FALSE(r->region.has_value()) << *r->region;
    } else {
      EXPECT_EQ(r->region.value_or("<null>"), w.region);
    }
    EXPECT_NE(r->region_source.find(w.source), std::string::npos)
        << "region_source: " << r->region_source;
    EXPECT_EQ(role_name(r->role), std::string(role_name(w.role)));
    EXPECT_EQ(r->name.value_or(""), w.name);
    if (r->name) {
      EXPECT_EQ(r->name_at.key(), r->name_attribute);
    }
    Tags tags;
    for (const auto& [k, t] : r->tags) tags[k] = t.at.present() ? t.value : "?";
    EXPECT_EQ(tags, w.tags);
    Refs refs;
    for (const auto& ref : r->references) {
      refs.insert({ref.attribute, ref.target});
      ASSERT_GE(ref.index, 0) << ref.target << " unresolved";
      const Resource& target = m.resources[static_cast<size_t>(ref.index)];
      EXPECT_EQ(target.address, ref.target);
      // Same file / stack, except CDKTF cross-stack references.
      if (ref.at.str().find("terraform_remote_state") == std::string::npos) {
        EXPECT_EQ(target.input, r->input);
      } else {
        EXPECT_NE(target.input, r->input);
      }
      EXPECT_TRUE(ref.at.is_string());
      EXPECT_NE(ref.at.str().find("${"), std::string::npos);
    }
    EXPECT_EQ(refs, w.refs);
    EXPECT_EQ(r->construct_path, w.construct_path);
    EXPECT_TRUE(r->attributes.is_object());
    EXPECT_EQ(r->at.offset, r->attributes.offset());
    EXPECT_TRUE(r->id.empty());
    EXPECT_TRUE(r->arn.empty());
  }
}

const Role P = Role::kPrimary, DR = Role::kDr, G = Role::kGlobal,
           U = Role::kUnknown;

TEST(TfJsonLoader, AliasedProvidersAndArrayForms) {
  Model m = load_file(fixture("aliases/main.tf.json"));
  const std::string def = "provider aws (configuration)";
  const std::string dr = "provider aws.dr (configuration)";
  Tags d1 = {{"Environment", "prod"}, {"ManagedBy", "terraform"}};
  Tags d2 = {{"Environment", "prod"}};
  auto with = [](Tags base, Tags extra) {
    base.insert(extra.begin(), extra.end());
    return base;
  };
  expect_resources(
      m, "",
      {
          {"aws_vpc.pass_primary",
           "aws_vpc",
           "us-east-1",
           def,
           P,
           "",
           with(d1,
                {{"DR-Role", "primary"}, {"Name", "payments-primary-prod"}}),
           {}},
          {"aws_vpc.pass_dr",
           "aws_vpc",
           "us-west-2",
           dr,
           DR,
           "",
           with(d2, {{"DR-Role", "dr"}, {"Name", "payments-dr-prod"}}),
           {}},
          {"aws_subnet.pass_primary_a",
           "aws_subnet",
           "us-east-1",
           def,
           P,
           "",
           with(d1, {{"DR-Role", "primary"}}),
           {{"vpc_id", "aws_vpc.pass_primary"},
            {"cidr_block", "aws_vpc.pass_primary"}}},
          {"aws_vpc_peering_connection.pass_peer",
           "aws_vpc_peering_connection",
           "us-east-1",
           def,
           P,
           "",
           with(d1, {{"DR-Role", "?"}, {"Name", "?"}}),
           {{"vpc_id", "aws_vpc.pass_primary"},
            {"peer_vpc_id", "aws_vpc.pass_dr"},
            {"tags.Name", "aws_vpc.pass_primary"},
            {"tags.Name", "aws_vpc.pass_dr"}}},
          {"aws_vpc_peering_connection_accepter.pass_peer",
           "aws_vpc_peering_connection_accepter",
           "us-west-2",
           dr,
           DR,
           "",
           with(d2, {{"DR-Role", "dr"}}),
           {{"vpc_peering_connection_id",
             "aws_vpc_peering_connection.pass_peer"}}},
          {"aws_backup_vault.pass_primary",
           "aws_backup_vault",
           "us-east-1",
           def,
           P,
           "payments-primary-prod",
           with(d1, {{"DR-Role", "primary"}}),
           {}},
          {"aws_backup_vault.pass_dr",
           "aws_backup_vault",
           "us-west-2",
           dr,
           DR,
           "payments-dr-prod",
           with(d2, {{"DR-Role", "dr"}}),
           {}},
          {"aws_backup_plan.pass_daily",
           "aws_backup_plan",
           "us-east-1",
           def,
           P,
           "payments-daily-prod",
           with(d1, {{"DR-Role", "primary"}}),
           {{"rule[0].target_vault_name", "aws_backup_vault.pass_primary"},
            {"rule[0].copy_action[0].destination_vault_arn",
             "aws_backup_vault.pass_dr"}}},
          {"aws_sns_topic.pass_alerts",
           "aws_sns_topic",
           "us-west-2",
           dr,
           DR,
           "payments-alerts-prod",
           with(d2, {{"DR-Role", "dr"}}),
           {{"policy", "aws_backup_vault.pass_dr"}}},
      });
  // The module block is reported, not followed; data blocks are not
  // resources.
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].message.find("module \"dns\" (./modules/dns) is "
                                       "not followed"),
            std::string::npos)
      << m.warnings[0].str();
  const Resource* vpc = find(m, "", "aws_vpc.pass_primary");
  EXPECT_EQ(vpc->provider_key, "aws");
  EXPECT_TRUE(vpc->taggable);
  EXPECT_EQ(vpc->attr("cidr_block").str(), "10.30.0.0/16");
  // A tag interpolating a variable keeps the place it was written.
  const Tag* name = vpc->tag("Name");
  EXPECT_EQ(name->at.str(), "payments-primary-${var.env}");
  EXPECT_FALSE(name->from_default);
  const Tag* managed = vpc->tag("ManagedBy");
  EXPECT_TRUE(managed->from_default);
  EXPECT_EQ(managed->at.str(), "terraform");
  EXPECT_EQ(managed->at.position().line, 25u);
  const Resource* accepter =
      find(m, "", "aws_vpc_peering_connection_accepter.pass_peer");
  EXPECT_EQ(accepter->provider_key, "aws.dr");
  const Reference* copy =
      find(m, "", "aws_backup_plan.pass_daily")->ref("rule[0].copy_action");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->at.str(), "${element(aws_backup_vault.pass_dr.*.arn, 0)}");
}

TEST(TfJsonLoader, CdktfOutputFolder) {
  Model m = load_file(fixture("cdktf.out"));
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.inputs.size(), 2u);  // each stack once
  EXPECT_EQ(m.inputs[0].stack, "orders-data");
  EXPECT_EQ(m.inputs[1].stack, "orders-network");
  EXPECT_EQ(m.inputs[0].format, Format::kTerraformJson);
  Tags d = {{"Environment", "prod"}, {"ManagedBy", "cdktf"}};
  auto with = [&](Tags extra) {
    Tags t = d;
    t.insert(extra.begin(), extra.end());
    return t;
  };
  const std::string def = "provider aws (configuration)";
  const std::string pri = "provider aws.primary (configuration)";
  const std::string dr = "provider aws.dr (configuration)";
  expect_resources(
      m, "orders-network",
      {
          {"aws_sns_topic.alerts",
           "aws_sns_topic",
           "us-east-1",
           def,
           P,
           "orders-network-alerts",
           with({{"DR-Role", "primary"}}),
           {},
           "orders-network/alerts"},
          {"aws_vpc.dr-vpc",
           "aws_vpc",
           "us-west-2",
           dr,
           DR,
           "",
           with({{"DR-Role", "dr"}, {"Name", "orders-dr"}}),
           {},
           "orders-network/dr-vpc"},
          {"aws_vpc.primary-vpc",
           "aws_vpc",
           "us-east-1",
           def,
           P,
           "",
           with({{"DR-Role", "primary"}, {"Name", "orders-primary"}}),
           {},
           "orders-network/primary-vpc"},
          {"aws_vpc_peering_connection.peer",
           "aws_vpc_peering_connection",
           "us-east-1",
           def,
           P,
           "",
           with({{"DR-Role", "primary"}}),
           {{"peer_vpc_id", "aws_vpc.dr-vpc"},
            {"vpc_id", "aws_vpc.primary-vpc"}},
           "orders-network/peer"},
          {"aws_vpc_peering_connection_accepter.peer-accept",
           "aws_vpc_peering_connection_accepter",
           "us-west-2",
           dr,
           DR,
           "",
           with({{"DR-Role", "dr"}}),
           {{"vpc_peering_connection_id", "aws_vpc_peering_connection.peer"}},
           "orders-network/peer-accept"},
      });
  const std::string plan = "aws_backup_plan.backup_plan_96E0D3A4";
  const std::string dr_vault = "aws_backup_vault.backup_dr-vault_7A41B0F2";
  const std::string pri_vault =
      "aws_backup_vault.backup_primary-vault_3C9D2E11";
  const std::string table = "aws_dynamodb_table.orders-table";
  const std::string role = "aws_iam_role.backup_role_1D2C3B4A";
  expect_resources(
      m, "orders-data",
      {
          {plan,
           "aws_backup_plan",
           "us-east-1",
           pri,
           P,
           "orders-daily-prod",
           with({{"DR-Role", "primary"}}),
           {{"rule[0].copy_action[0].destination_vault_arn", dr_vault},
            {"rule[0].target_vault_name", pri_vault}},
           "orders-data/backup/plan"},
          {"aws_backup_selection.backup_selection_0E9F8A7B",
           "aws_backup_selection",
           "us-east-1",
           pri,
           P,
           "",
           {},
           {{"iam_role_arn", role}, {"plan_id", plan}, {"resources[0]", table}},
           "orders-data/backup/selection"},
          {dr_vault,
           "aws_backup_vault",
           "us-west-2",
           dr,
           DR,
           "orders-dr-prod",
           with({{"DR-Role", "dr"}}),
           {},
           "orders-data/backup/dr-vault"},
          {pri_vault,
           "aws_backup_vault",
           "us-east-1",
           pri,
           P,
           "orders-primary-prod",
           with({{"DR-Role", "primary"}}),
           {},
           "orders-data/backup/primary-vault"},
          {"aws_cloudwatch_metric_alarm.throttle-alarm",
           "aws_cloudwatch_metric_alarm",
           "us-east-1",
           pri,
           P,
           "orders-throttles-prod",
           with({{"DR-Role", "primary"}}),
           {{"alarm_actions[0]", "aws_sns_topic.alerts"},
            {"dimensions.TableName", table},
            {"ok_actions[0]", "aws_sns_topic.alerts"}},
           "orders-data/throttle-alarm"},
          {table,
           "aws_dynamodb_table",
           "us-east-1",
           pri,
           P,
           "orders-prod",
           with({{"DR-Role", "primary"}}),
           {},
           "orders-data/orders-table"},
          {role,
           "aws_iam_role",
           "us-east-1",
           pri,
           G,
           "orders-backup-prod",
           with({{"DR-Role", "global"}}),
           {},
           "orders-data/backup/role"},
          {"aws_sns_topic.alerts",
           "aws_sns_topic",
           "us-west-2",
           dr,
           DR,
           "orders-data-alerts",
           with({{"DR-Role", "dr"}}),
           {},
           "orders-data/alerts"},
      });
  // The alarm's topic is the one of its own stack, not the other stack's
  // resource with the same address.
  const Resource* alarm =
      find(m, "orders-data", "aws_cloudwatch_metric_alarm.throttle-alarm");
  const Reference* topic = alarm->ref("alarm_actions");
  ASSERT_NE(topic, nullptr);
  EXPECT_EQ(m.resources[static_cast<size_t>(topic->index)].stack,
            "orders-data");
  // ok_actions reads the network stack's topic through terraform_remote_state
  // and the network stack's cross-stack output.
  const Reference* remote = alarm->ref("ok_actions");
  ASSERT_NE(remote, nullptr);
  const Resource& network_topic =
      m.resources[static_cast<size_t>(remote->index)];
  EXPECT_EQ(network_topic.stack, "orders-network");
  EXPECT_EQ(network_topic.region.value_or(""), "us-east-1");
  EXPECT_EQ(remote->at.str(),
            "${data.terraform_remote_state.cross-stack-reference-input-orders-"
            "network.outputs.cross-stack-output-aws_sns_topicalertsarn}");
  EXPECT_EQ(alarm->provider_key, "aws.primary");
  EXPECT_TRUE(alarm->envelope["metadata"].is_object());
  EXPECT_EQ(alarm->envelope["metadata"]["uniqueId"].str(), "throttle-alarm");
}

TEST(TfJsonLoader, CdktfCrossStackReferenceSurvivesMerging) {
  // Loaded after other inputs, on two threads: the references the CDKTF
  // loader resolved itself still point at the right resource.
  Model m;
  LoadOptions options;
  options.jobs = 2;
  load_paths({fixture("aliases/main.tf.json"), fixture("var-region"),
              fixture("cdktf.out")},
             options, m);
  m.finalize({});
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  const Resource* alarm =
      find(m, "orders-data", "aws_cloudwatch_metric_alarm.throttle-alarm");
  ASSERT_NE(alarm, nullptr);
  const Reference* remote = alarm->ref("ok_actions");
  ASSERT_NE(remote, nullptr);
  ASSERT_GE(remote->index, 0);
  const Resource& topic = m.resources[static_cast<size_t>(remote->index)];
  EXPECT_EQ(topic.address, "aws_sns_topic.alerts");
  EXPECT_EQ(topic.stack, "orders-network");
}

TEST(TfJsonLoader, CdktfManifestNamedExplicitly) {
  Model m = load_file(fixture("cdktf.out/manifest.json"));
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.inputs.size(), 2u);
  EXPECT_EQ(m.resources.size(), 13u);
}

TEST(TfJsonLoader, CdktfStackFileAloneTakesItsStackName) {
  Model m = load_file(fixture("cdktf.out/stacks/orders-network/cdk.tf.json"));
  ASSERT_EQ(m.resources.size(), 5u);
  for (const auto& r : m.resources) EXPECT_EQ(r.stack, "orders-network");
}

TEST(TfJsonLoader, CdktfStackFileAloneHasNoCrossStackReferences) {
  Model m = load_file(fixture("cdktf.out/stacks/orders-data/cdk.tf.json"));
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  const Resource* alarm = m.find("aws_cloudwatch_metric_alarm.throttle-alarm");
  ASSERT_NE(alarm, nullptr);
  EXPECT_EQ(alarm->stack, "orders-data");
  EXPECT_EQ(alarm->ref("ok_actions"), nullptr);
  EXPECT_NE(alarm->ref("alarm_actions"), nullptr);
}

TEST(TfJsonLoader, CdktfCrossStackReferencesInTheSeed) {
  std::string dir = std::string(DRCHECK_SOURCE_DIR) +
                    "/fixtures/seeds/001-cdktf-python-three-stacks/cdktf.out";
  if (!fs::exists(dir + "/manifest.json")) GTEST_SKIP();
  Model m = load_file(dir);
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  // Both regional Aurora clusters join the global cluster of another stack
  // only through terraform_remote_state.
  for (auto [stack, address, region] :
       {std::tuple{"PrimaryRegiondev", "aws_rds_cluster.primary-aurora-cluster",
                   "us-east-1"},
        std::tuple{"DrRegiondev", "aws_rds_cluster.dr-aurora-cluster",
                   "us-east-2"}}) {
    SCOPED_TRACE(address);
    const Resource* cluster = find(m, stack, address);
    ASSERT_NE(cluster, nullptr);
    EXPECT_EQ(cluster->region.value_or(""), region);
    const Reference* ref = cluster->ref("global_cluster_identifier");
    ASSERT_NE(ref, nullptr);
    ASSERT_GE(ref->index, 0);
    const Resource& global = m.resources[static_cast<size_t>(ref->index)];
    EXPECT_EQ(global.address, "aws_rds_global_cluster.aurora-global-cluster");
    EXPECT_EQ(global.stack, "GlobalResourcesdev");
  }
  // Every reference resolved; exactly these cross stacks.
  std::set<std::string> cross;
  for (const auto& r : m.resources) {
    for (const auto& ref : r.references) {
      ASSERT_GE(ref.index, 0) << r.address << " -> " << ref.target;
      const Resource& t = m.resources[static_cast<size_t>(ref.index)];
      EXPECT_EQ(t.address, ref.target);
      if (t.stack != r.stack) {
        cross.insert(r.stack + " " + r.address + " " + ref.attribute + " -> " +
                     t.stack + " " + t.address);
      }
    }
  }
  const std::string dr = "DrRegiondev ", primary = "PrimaryRegiondev ",
                    global = "GlobalResourcesdev ";
  EXPECT_EQ(
      cross,
      (std::set<std::string>{
          primary +
              "aws_rds_cluster.primary-aurora-cluster "
              "global_cluster_identifier -> " +
              global + "aws_rds_global_cluster.aurora-global-cluster",
          dr +
              "aws_rds_cluster.dr-aurora-cluster global_cluster_identifier "
              "-> " +
              global + "aws_rds_global_cluster.aurora-global-cluster",
          dr + "aws_iam_role_policy.s3-replication-policy policy -> " +
              primary + "aws_s3_bucket.primary-logs-bucket",
          dr + "aws_iam_role_policy.s3-replication-policy policy -> " +
              primary + "aws_s3_bucket.primary-documents-bucket",
          dr + "aws_iam_role_policy.s3-replication-policy policy -> " +
              primary + "aws_kms_key.primary-kms-key",
          dr +
              "aws_s3_bucket_replication_configuration.documents-replication "
              "bucket -> " +
              primary + "aws_s3_bucket.primary-documents-bucket",
          dr +
              "aws_s3_bucket_replication_configuration.logs-replication "
              "bucket -> " +
              primary + "aws_s3_bucket.primary-logs-bucket",
          dr +
              "aws_sns_topic_subscription.dr-queue-primary-alarms topic_arn "
              "-> " +
              primary + "aws_sns_topic.primary-alarm-topic",
      }));
}

TEST(TfJsonLoader, PerResourceRegion) {
  Model m = load_file(fixture("per-resource-region/cdk.tf.json"));
  const std::string def = "provider aws (configuration)";
  expect_resources(
      m, "assets",
      {
          {"aws_iam_role.replication-role",
           "aws_iam_role",
           "us-east-1",
           def,
           G,
           "assets-replication-prod",
           {},
           {},
           "assets/replication-role"},
          {"aws_s3_bucket.assets-dr",
           "aws_s3_bucket",
           "us-west-2",
           "resource region argument",
           DR,
           "assets-dr-prod",
           {{"DR-Role", "dr"}},
           {},
           "assets/assets-dr"},
          {"aws_s3_bucket.assets-primary",
           "aws_s3_bucket",
           "us-east-1",
           def,
           P,
           "assets-primary-prod",
           {{"DR-Role", "primary"}},
           {},
           "assets/assets-primary"},
          {"aws_s3_bucket_replication_configuration.replication",
           "aws_s3_bucket_replication_configuration",
           "us-east-1",
           def,
           P,
           "",
           {},
           {{"bucket", "aws_s3_bucket.assets-primary"},
            {"role", "aws_iam_role.replication-role"},
            {"rule[0].destination.bucket", "aws_s3_bucket.assets-dr"}},
           "assets/replication"},
          {"aws_sns_topic.here-topic",
           "aws_sns_topic",
           "",
           "resource region argument is not a constant",
           U,
           "assets-events-prod",
           {},
           {},
           "assets/here-topic"},
          {"aws_sqs_queue.dr-queue",
           "aws_sqs_queue",
           "us-west-2",
           "resource region argument (var.dr_region)",
           DR,
           "assets-dr-events-prod",
           {{"DR-Role", "dr"}},
           {},
           "assets/dr-queue"},
      });
}

TEST(TfJsonLoader, VariableRegions) {
  Model m = load_file(fixture("var-region/main.tf.json"));
  auto tags = [](std::string role) {
    return Tags{{"DR-Role", role}, {"Environment", "prod"}};
  };
  expect_resources(
      m, "",
      {
          {"aws_dynamodb_table.pass_primary",
           "aws_dynamodb_table",
           "eu-central-1",
           "provider aws (var.primary_region)",
           P,
           "ledger-prod",
           tags("primary"),
           {}},
          {"aws_dynamodb_table.fail_dr",
           "aws_dynamodb_table",
           "",
           "provider aws.dr region is var.dr_region, which has no literal "
           "default",
           U,
           "ledger-dr-prod",
           tags("dr"),
           {}},
          {"aws_sqs_queue.pass_dr_map",
           "aws_sqs_queue",
           "eu-north-1",
           "provider aws.dr_map (var.regions[\"dr\"])",
           DR,
           "ledger-events-prod",
           tags("dr"),
           {}},
          {"aws_sns_topic.fail_computed",
           "aws_sns_topic",
           "",
           "provider aws.computed region is not a constant",
           U,
           "ledger-alerts-prod",
           tags("primary"),
           {}},
      });
}

// --- template scanning

std::vector<std::string> targets(const std::string& text) {
  std::vector<std::string> out;
  tf::template_traversals(text, [&](std::string_view t) {
    tf::ParsedRef p = tf::parse_reference(t, true);
    if (p.kind == tf::ParsedRef::Kind::kResource) {
      out.emplace_back(p.target);
    }
  });
  return out;
}

TEST(TfJsonTemplates, FindsResourceReferences) {
  using V = std::vector<std::string>;
  EXPECT_EQ(targets("${aws_vpc.a.id}"), V{"aws_vpc.a"});
  EXPECT_EQ(targets("x-${aws_vpc.a.id}-${aws_subnet.b[1].id}"),
            (V{"aws_vpc.a", "aws_subnet.b[1]"}));
  EXPECT_EQ(targets("${element(aws_subnet.a.*.id, 0)}"), V{"aws_subnet.a"});
  EXPECT_EQ(targets("${aws_subnet.a[*].id}"), V{"aws_subnet.a"});
  EXPECT_EQ(targets("${aws_s3_bucket.b[\"lo]gs\"].arn}"),
            V{"aws_s3_bucket.b[\"lo]gs\"]"});
  EXPECT_EQ(targets("${aws_s3_bucket.b[var.k].arn}"), V{"aws_s3_bucket.b"});
  EXPECT_EQ(targets("${format(\"%s-${aws_vpc.b.id}\", aws_vpc.c.id)}"),
            (V{"aws_vpc.b", "aws_vpc.c"}));
  EXPECT_EQ(targets("${provider::aws::arn_parse(aws_vpc.d.arn).region}"),
            V{"aws_vpc.d"});
  EXPECT_EQ(targets("${[for s in aws_subnet.e : s.id]}"), V{"aws_subnet.e"});
  EXPECT_EQ(targets("%{ if aws_vpc.f.id != \"\" }yes%{ endif }"),
            V{"aws_vpc.f"});
  EXPECT_EQ(targets("${var.x == \"a\" ? aws_a_b.c.id : aws_d_e.f.id}"),
            (V{"aws_a_b.c", "aws_d_e.f"}));
  EXPECT_EQ(targets("${{a = aws_vpc.g.id}}"), V{"aws_vpc.g"});
  // Not references.
  EXPECT_EQ(targets("$${aws_vpc.a.id}"), V{});
  EXPECT_EQ(targets("%%{aws_vpc.a.id}"), V{});
  EXPECT_EQ(targets("aws_vpc.a.id"), V{});
  EXPECT_EQ(targets("${var.a} ${local.b} ${data.aws_x.y.z} ${module.m.o}"),
            V{});
  EXPECT_EQ(
      targets("${each.value.id} ${count.index} ${self.id} ${path.module}"),
      V{});
  EXPECT_EQ(targets("${10.5 + 3}"), V{});
  // Unterminated templates and stray characters never crash.
  EXPECT_EQ(targets("${aws_vpc.a.id"), V{"aws_vpc.a"});
  EXPECT_EQ(targets("${\"unterminated"), V{});
  EXPECT_EQ(targets("${aws_vpc.a[\"x}"), V{"aws_vpc.a"});
  EXPECT_EQ(targets("$"), V{});
  EXPECT_EQ(targets("${"), V{});
}

TEST(TfJsonTemplates, AddressesAndKeys) {
  auto [m1, r1] =
      tf::split_module_path("module.a[\"k.x]\"].module.b[0].aws_vpc.this[1]");
  EXPECT_EQ(m1, "module.a[\"k.x]\"].module.b[0]");
  EXPECT_EQ(r1, "aws_vpc.this[1]");
  auto [m2, r2] = tf::split_module_path("aws_vpc.this");
  EXPECT_EQ(m2, "");
  EXPECT_EQ(r2, "aws_vpc.this");
  EXPECT_EQ(tf::strip_instance_keys("module.a[\"k.x]\"].module.b[0]"),
            "module.a.module.b");
  EXPECT_EQ(tf::parent_module("module.a.module.b"), "module.a");
  EXPECT_EQ(tf::parent_module("module.a"), "");
  EXPECT_EQ(tf::sole_variable("${var.regions[\"dr\"]}"), "var.regions[\"dr\"]");
  EXPECT_EQ(tf::sole_variable("${ var.region }"), "var.region");
  EXPECT_EQ(tf::sole_variable("${var.region}-x"), "");
  EXPECT_EQ(tf::sole_variable("${lower(var.region)}"), "");
  tf::ParsedRef p = tf::parse_reference("module.net[0].vpc_id");
  EXPECT_EQ(p.kind, tf::ParsedRef::Kind::kModule);
  EXPECT_EQ(p.module_call, "module.net[0]");
  EXPECT_EQ(p.output, "vpc_id");
}

// --- malformed inputs

TEST(TfJsonLoaderShapes, ResourceNotAnObject) {
  Model m = load_text("{\n  \"resource\": \"x\"\n}");
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(first_error(m),
            "t.tf.json:2:15: error: \"resource\" must be an object or an "
            "array of objects, not a string");
  EXPECT_TRUE(m.resources.empty());
}

TEST(TfJsonLoaderShapes, EmptyResourceArray) {
  Model m = load_text(R"({"resource": []})");
  EXPECT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kTerraformJson);
  EXPECT_TRUE(m.resources.empty());
}

TEST(TfJsonLoaderShapes, ProviderNotAnObject) {
  Model m = load_text(
      "{\n  \"provider\": {\"aws\": 3},\n"
      "  \"resource\": {\"aws_vpc\": {\"a\": {\"cidr_block\": "
      "\"10.0.0.0/16\"}}}\n}");
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(first_error(m),
            "t.tf.json:2:23: error: provider \"aws\" must be an object or an "
            "array of objects, not a number");
  ASSERT_EQ(m.resources.size(), 1u);
  EXPECT_FALSE(m.resources[0].region.has_value());
  EXPECT_EQ(m.resources[0].region_source,
            "no provider \"aws\" block (region comes from the environment)");
}

TEST(TfJsonLoaderShapes, NullsAndWrongTypes) {
  Model m = load_text(R"({
"variable": 3,
"provider": [5, {"aws": [null, {"alias": 5}, {"alias": "dr", "region": 7}]}],
"module": {"m": null},
"resource": [5, {"aws_vpc": {"a": null, "b": {"provider": 7, "tags": null},
                             "c": [{"provider": "aws.dr"}, {}]},
                 "aws_subnet": 5}]
})");
  std::vector<std::string> errors;
  for (const auto& e : m.errors) errors.push_back(e.str());
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                "t.tf.json:2:13: error: \"variable\" must be an object or an "
                "array of objects, not a number",
                "t.tf.json:3:14: error: \"provider\" must be an object, not a "
                "number",
                "t.tf.json:3:26: error: provider \"aws\" must be an object, "
                "not null",
                "t.tf.json:3:42: error: provider alias must be a string",
                "t.tf.json:5:14: error: \"resource\" must be an object, not a "
                "number",
                "t.tf.json:5:35: error: resource aws_vpc.a must be an object "
                "or an array of objects, not null",
                "t.tf.json:5:59: error: \"provider\" must be a string like "
                "\"aws.dr\"",
                "t.tf.json:7:32: error: resource type \"aws_subnet\" must be "
                "an object or an array of objects, not a number",
            }));
  std::vector<std::string> warnings;
  for (const auto& w : m.warnings) warnings.push_back(w.str());
  EXPECT_EQ(warnings,
            (std::vector<std::string>{
                "t.tf.json:4:17: warning: module \"m\" is not followed: its "
                "resources are not in the model (pass a plan JSON to include "
                "them)",
                "t.tf.json:6:60: warning: duplicate resource aws_vpc.c: only "
                "the first block is loaded",
            }));
  std::set<std::string> addresses;
  for (const auto& r : m.resources) addresses.insert(r.address);
  EXPECT_EQ(addresses, (std::set<std::string>{"aws_vpc.b", "aws_vpc.c"}));
  // aws.dr's region is not a string.
  const Resource* c = m.find("aws_vpc.c");
  EXPECT_FALSE(c->region.has_value());
  EXPECT_EQ(c->region_source, "provider aws.dr region is not a constant");
}

TEST(TfJsonLoaderShapes, ScalarTagValuesAndNonStringRegions) {
  Model m = load_text(R"({
"provider": {"aws": {"region": 7}},
"resource": {"aws_sqs_queue": {"q": {"name": "jobs",
  "tags": {"Version": 2, "Critical": true, "Owner": null}}}}})");
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.resources.size(), 1u);
  const Resource& q = m.resources[0];
  EXPECT_EQ(q.tag("Version")->value, "2");
  EXPECT_EQ(q.tag("Critical")->value, "true");
  EXPECT_EQ(q.tag("Owner"), nullptr);
  EXPECT_FALSE(q.region.has_value());
  EXPECT_EQ(q.region_source, "provider aws region is not a constant");
}

// --- the shared corpus

std::string corpus_root() {
  if (const char* env = std::getenv("DRCHECK_CORPUS")) return env;
  return (fs::path(DRCHECK_SOURCE_DIR) / ".." / "shared" / "corpus")
      .lexically_normal()
      .string();
}

TEST(TfJsonLoaderCorpus, EveryTfJsonFileLoads) {
  std::ifstream in(corpus_root() + "/MANIFEST.tsv");
  if (!in) GTEST_SKIP() << "no corpus at " << corpus_root();
  std::string line;
  std::getline(in, line);
  size_t loaded = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 2 || cols[1] != "tf-json") continue;
    SCOPED_TRACE(cols[0]);
    Model m = load_file(corpus_root() + "/" + cols[0]);
    EXPECT_TRUE(m.errors.empty()) << first_error(m);
    ASSERT_EQ(m.inputs.size(), 1u);
    EXPECT_EQ(format_name(m.inputs[0].format), cols[1]);
    for (const auto& r : m.resources) {
      EXPECT_FALSE(r.region_source.empty()) << r.address;
    }
    ++loaded;
  }
  EXPECT_GE(loaded, 9u);
}

TEST(TfJsonLoaderCorpus, SynthesizedCdktfFolder) {
  std::string dir = corpus_root() + "/synth/cdktf.out";
  if (!fs::exists(dir + "/manifest.json")) GTEST_SKIP();
  Model m = load_file(dir);
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  std::set<std::string> stacks;
  for (const auto& in : m.inputs) stacks.insert(in.stack);
  EXPECT_EQ(m.inputs.size(), 3u);
  EXPECT_EQ(stacks, (std::set<std::string>{"dr-gaps", "dr-region-attr",
                                           "dr-two-region"}));
  // The provider v6 region argument places the euc1 vault and VPC.
  const Resource* vault = nullptr;
  for (const auto& r : m.resources) {
    if (r.stack == "dr-region-attr" && r.address == "aws_backup_vault.v-euc1") {
      vault = &r;
    }
  }
  ASSERT_NE(vault, nullptr);
  EXPECT_EQ(vault->region.value_or(""), "eu-central-1");
  EXPECT_EQ(vault->region_source, "resource region argument");
  EXPECT_EQ(vault->construct_path, "dr-region-attr/v-euc1");
}

}  // namespace
}  // namespace drcheck
