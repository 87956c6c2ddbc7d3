// Tests of load_tf_plan: every resource of every fixture under
// fixtures/formats/tf-plan/ (address, kind, region or the reason it is
// unknown, role, name, tags, resolved references), malformed shapes, and
// every tf-plan file of the shared corpus.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/json.h"
#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/model_json.h"
#include "tests/model_loading.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& rel) {
  return std::string(DRCHECK_SOURCE_DIR) + "/fixtures/formats/tf-plan/" + rel;
}

using testing::first_error;
using testing::load_file;
Model load_text(const std::string& text) {
  return testing::load_text("t.json", text);
}

// "?" as a tag value: the tag exists but its value is computed.
using Tags = std::map<std::string, std::string>;
using Refs = std::set<std::pair<std::string, std::string>>;

struct Want {
  std::string address;
  std::string kind;
  std::string region;  // "" = unknown
  std::string source;  // substring of region_source
  Role role;
  std::string name;  // "" = no name
  Tags tags;
  Refs refs;  // (attribute, target)
};

void expect_resources(const Model& model, const std::vector<Want>& wants) {
  ASSERT_TRUE(model.errors.empty())
      << model.errors.size() << " errors, first: " << model.errors[0].str();
  std::set<std::string> got, want;
  for (const auto& r : model.resources) got.insert(r.address);
  for (const auto& w : wants) want.insert(w.address);
  EXPECT_EQ(got, want);
  EXPECT_EQ(model.resources.size(), wants.size());
  for (const auto& w : wants) {
    SCOPED_TRACE(w.address);
    const Resource* r = model.find(w.address);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->kind, w.kind);
    EXPECT_EQ(r->type, w.kind);
    EXPECT_EQ(r->format, Format::kTerraformPlan);
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
      EXPECT_EQ(r->name_at.str(), *r->name);
      EXPECT_EQ(r->name_at.key(), r->name_attribute);
    }
    Tags tags;
    for (const auto& [k, t] : r->tags) {
      tags[k] = t.at.present() ? t.value : "?";
      if (t.at.present()) {
        EXPECT_EQ(t.at.str(), t.value) << k;
      }
    }
    EXPECT_EQ(tags, w.tags);
    Refs refs;
    for (const auto& ref : r->references) {
      refs.insert({ref.attribute, ref.target});
      ASSERT_GE(ref.index, 0) << ref.target << " unresolved";
      EXPECT_EQ(model.resources[static_cast<size_t>(ref.index)].address,
                ref.target);
      EXPECT_TRUE(ref.at.is_string());
    }
    EXPECT_EQ(refs, w.refs);
    // Provenance: the resource's object in the values.
    EXPECT_TRUE(r->envelope.is_object());
    EXPECT_EQ(r->envelope["address"].str(), r->address);
    EXPECT_EQ(r->at.offset, r->envelope.offset());
    EXPECT_TRUE(r->at.valid());
  }
}

// Offset of the first value `"key": "value"` after `after` in the file.
uint32_t offset_of(const Resource& r, const std::string& after,
                   const std::string& key, const std::string& value) {
  std::string_view text = r.at.file->text();
  size_t start = text.find(after);
  size_t pos = text.find("\"" + key + "\": \"" + value + "\"", start);
  if (start == std::string_view::npos || pos == std::string_view::npos) {
    ADD_FAILURE() << "no " << key << " after " << after;
    return 0;
  }
  return static_cast<uint32_t>(pos + key.size() + 4);
}

const Role P = Role::kPrimary, DR = Role::kDr, G = Role::kGlobal,
           U = Role::kUnknown;

TEST(TfPlanLoader, AliasedProviders) {
  Model m = load_file(fixture("aliases/plan.json"));
  const std::string def = "provider aws (configuration)";
  const std::string dr = "provider aws.dr (configuration)";
  Tags base = {{"Environment", "prod"}, {"ManagedBy", "terraform"}};
  auto with = [&](Tags extra) {
    Tags t = base;
    t.insert(extra.begin(), extra.end());
    return t;
  };
  expect_resources(
      m, {
             {"aws_backup_plan.pass_daily",
              "aws_backup_plan",
              "us-east-1",
              def,
              P,
              "orders-daily-prod",
              with({{"DR-Role", "primary"}}),
              {{"rule[0].copy_action[0].destination_vault_arn",
                "aws_backup_vault.pass_dr"},
               {"rule[0].target_vault_name", "aws_backup_vault.pass_primary"}}},
             {"aws_backup_vault.pass_dr",
              "aws_backup_vault",
              "us-west-2",
              dr,
              DR,
              "orders-dr-prod",
              with({{"DR-Role", "dr"}}),
              {}},
             {"aws_backup_vault.pass_primary",
              "aws_backup_vault",
              "us-east-1",
              def,
              P,
              "orders-primary-prod",
              with({{"DR-Role", "primary"}}),
              {}},
             {"aws_dynamodb_table.pass_orders",
              "aws_dynamodb_table",
              "us-east-1",
              def,
              P,
              "orders-prod",
              with({{"DR-Role", "primary"}}),
              {}},
             {"aws_route53_zone.pass_main",
              "aws_route53_zone",
              "us-east-1",
              def,
              G,
              "",
              with({{"DR-Role", "global"}}),
              {}},
             {"aws_sns_topic.pass_alerts_dr",
              "aws_sns_topic",
              "us-west-2",
              dr,
              DR,
              "orders-alerts-dr-prod",
              with({{"DR-Role", "dr"}}),
              {}},
             {"aws_vpc.pass_dr",
              "aws_vpc",
              "us-west-2",
              dr,
              DR,
              "",
              with({{"DR-Role", "dr"}, {"Name", "orders-dr-prod"}}),
              {}},
             {"aws_vpc.pass_primary",
              "aws_vpc",
              "us-east-1",
              def,
              P,
              "",
              with({{"DR-Role", "primary"}, {"Name", "orders-primary-prod"}}),
              {}},
             {"aws_vpc_peering_connection.pass_peer",
              "aws_vpc_peering_connection",
              "us-east-1",
              def,
              P,
              "",
              with({{"DR-Role", "primary"}, {"Name", "orders-peer-prod"}}),
              {{"peer_vpc_id", "aws_vpc.pass_dr"},
               {"vpc_id", "aws_vpc.pass_primary"}}},
             {"aws_vpc_peering_connection_accepter.pass_peer",
              "aws_vpc_peering_connection_accepter",
              "us-west-2",
              dr,
              DR,
              "",
              with({{"DR-Role", "dr"}, {"Name", "orders-peer-prod"}}),
              {{"vpc_peering_connection_id",
                "aws_vpc_peering_connection.pass_peer"}}},
         });
  EXPECT_EQ(m.primary_region, "us-east-1");
  EXPECT_EQ(m.dr_region, "us-west-2");

  const Resource* vpc = m.find("aws_vpc.pass_dr");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->id, "vpc-0b2c3d4e5f6a70002");
  EXPECT_EQ(vpc->arn,
            "arn:aws:ec2:us-west-2:111122223333:vpc/vpc-0b2c3d4e5f6a70002");
  EXPECT_EQ(vpc->provider_key, "aws.dr");
  EXPECT_EQ(vpc->module, "");
  EXPECT_TRUE(vpc->taggable);
  EXPECT_EQ(vpc->attr("cidr_block").str(), "10.20.0.0/16");
  // Explicit tags sit in the resource's values; defaults were written in
  // the provider's default_tags (in the configuration).
  const Tag* role = vpc->tag("DR-Role");
  ASSERT_NE(role, nullptr);
  EXPECT_FALSE(role->from_default);
  EXPECT_EQ(
      role->at.offset(),
      offset_of(*vpc, "\"address\": \"aws_vpc.pass_dr\"", "DR-Role", "dr"));
  const Tag* env = vpc->tag("Environment");
  ASSERT_NE(env, nullptr);
  EXPECT_TRUE(env->from_default);
  EXPECT_EQ(env->at.offset(),
            offset_of(*vpc, "\"aws.dr\": {", "Environment", "prod"));
  EXPECT_EQ(vpc->name_attribute, "");
  const Resource* table = m.find("aws_dynamodb_table.pass_orders");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->name_attribute, "name");
  EXPECT_EQ(table->arn,
            "arn:aws:dynamodb:us-east-1:111122223333:table/orders-prod");
  // The reference points at the string Terraform wrote in configuration.
  const Resource* plan = m.find("aws_backup_plan.pass_daily");
  ASSERT_NE(plan, nullptr);
  const Reference* copy = plan->ref("rule[0].copy_action");
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->at.str(), "aws_backup_vault.pass_dr.arn");
}

TEST(TfPlanLoader, ProvidersPassedIntoModules) {
  Model m = load_file(fixture("module-providers/plan.json"));
  const std::string def = "provider aws (configuration)";
  const std::string dr = "provider aws.dr (configuration)";
  std::vector<Want> wants = {
      {"aws_vpc_peering_connection.pass_app",
       "aws_vpc_peering_connection",
       "us-east-1",
       def,
       P,
       "",
       {{"DR-Role", "primary"}},
       {{"peer_vpc_id", "module.app_dr.module.net[0].aws_vpc.this"},
        {"vpc_id", "module.app_primary.module.net[0].aws_vpc.this"}}},
      {"module.legacy.aws_sns_topic.this",
       "aws_sns_topic",
       "eu-west-1",
       "provider module.legacy:aws (configuration)",
       U,
       "orders-legacy-alerts",
       {},
       {}},
  };
  struct App {
    std::string call, name, region, source, role;
    Role r;
  };
  for (const App& a :
       {App{"app_dr", "orders-dr", "us-west-2", dr, "dr", DR},
        App{"app_dr_canary", "orders-canary", "us-west-2", dr, "dr", DR},
        App{"app_primary", "orders-primary", "us-east-1", def, "primary", P}}) {
    std::string m1 = "module." + a.call;
    std::string net = m1 + ".module.net[0]";
    wants.push_back({m1 + ".aws_sqs_queue.this[\"jobs\"]",
                     "aws_sqs_queue",
                     a.region,
                     a.source,
                     a.r,
                     a.name + "-jobs",
                     {{"DR-Role", a.role}},
                     {}});
    wants.push_back({net + ".aws_vpc.this",
                     "aws_vpc",
                     a.region,
                     a.source,
                     a.r,
                     "",
                     {{"DR-Role", a.role}, {"Name", a.name}},
                     {}});
    for (int i = 0; i < 2; ++i) {
      wants.push_back({net + ".aws_subnet.this[" + std::to_string(i) + "]",
                       "aws_subnet",
                       a.region,
                       a.source,
                       a.r,
                       "",
                       {{"DR-Role", a.role}},
                       {{"vpc_id", net + ".aws_vpc.this"}}});
    }
  }
  expect_resources(m, wants);
  const Resource* subnet =
      m.find("module.app_dr_canary.module.net[0].aws_subnet.this[1]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->module, "module.app_dr_canary.module.net[0]");
  EXPECT_EQ(subnet->provider_key, "aws.dr");
  EXPECT_TRUE(subnet->id.empty());
  EXPECT_TRUE(subnet->arn.empty());
  const Resource* queue =
      m.find("module.app_primary.aws_sqs_queue.this[\"jobs\"]");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->module, "module.app_primary");
  EXPECT_EQ(queue->provider_key, "aws");
  // The peering's vpc_id was written as module.app_primary.vpc_id.
  const Reference* vpc_ref =
      m.find("aws_vpc_peering_connection.pass_app")->ref("vpc_id");
  ASSERT_NE(vpc_ref, nullptr);
  EXPECT_EQ(vpc_ref->at.str(), "module.app_primary.vpc_id");
}

TEST(TfPlanLoader, PerResourceRegionArgumentWins) {
  Model m = load_file(fixture("per-resource-region/plan.json"));
  const std::string def = "provider aws (configuration)";
  const std::string arg = "resource region argument";
  expect_resources(m, {
                          {"aws_backup_plan.pass_plan",
                           "aws_backup_plan",
                           "us-east-1",
                           def,
                           P,
                           "ledger-daily-prod",
                           {{"DR-Role", "primary"}},
                           {{"rule[0].copy_action[0].destination_vault_arn",
                             "aws_backup_vault.pass_usw2"}}},
                          {"aws_backup_vault.pass_use1",
                           "aws_backup_vault",
                           "us-east-1",
                           def,
                           P,
                           "ledger-use1-prod",
                           {{"DR-Role", "primary"}},
                           {}},
                          {"aws_backup_vault.pass_usw2",
                           "aws_backup_vault",
                           "us-west-2",
                           arg,
                           DR,
                           "ledger-usw2-prod",
                           {{"DR-Role", "dr"}},
                           {}},
                          {"aws_dynamodb_table.pass_table",
                           "aws_dynamodb_table",
                           "us-east-1",
                           def,
                           P,
                           "ledger-prod",
                           {{"DR-Role", "primary"}},
                           {}},
                          {"aws_sns_topic.fail_unknown_region",
                           "aws_sns_topic",
                           "",
                           "resource region argument is unknown until apply",
                           U,
                           "ledger-alerts-prod",
                           {{"DR-Role", "dr"}},
                           {{"region", "terraform_data.dr_region"}}},
                          {"aws_vpc.pass_use1",
                           "aws_vpc",
                           "us-east-1",
                           def,
                           P,
                           "",
                           {{"DR-Role", "primary"}},
                           {}},
                          {"aws_vpc.pass_usw2",
                           "aws_vpc",
                           "us-west-2",
                           arg,
                           DR,
                           "",
                           {{"DR-Role", "dr"}},
                           {}},
                          {"aws_vpc_peering_connection.pass_x",
                           "aws_vpc_peering_connection",
                           "us-east-1",
                           def,
                           P,
                           "",
                           {{"DR-Role", "primary"}},
                           {{"peer_vpc_id", "aws_vpc.pass_usw2"},
                            {"vpc_id", "aws_vpc.pass_use1"}}},
                          {"aws_vpc_peering_connection_accepter.pass_x",
                           "aws_vpc_peering_connection_accepter",
                           "us-west-2",
                           arg,
                           DR,
                           "",
                           {{"DR-Role", "dr"}},
                           {{"vpc_peering_connection_id",
                             "aws_vpc_peering_connection.pass_x"}}},
                          {"terraform_data.dr_region",
                           "terraform_data",
                           "",
                           "builtin terraform provider",
                           U,
                           "",
                           {},
                           {}},
                      });
}

TEST(TfPlanLoader, DeletedResourcesAreNotInTheModel) {
  Model m = load_file(fixture("deleted/plan.json"));
  const std::string def = "provider aws (configuration)";
  Tags tags = {{"DR-Role", "primary"}, {"Environment", "prod"}};
  expect_resources(m, {
                          {"aws_dynamodb_table.pass_existing",
                           "aws_dynamodb_table",
                           "us-east-1",
                           def,
                           P,
                           "orders-prod",
                           tags,
                           {}},
                          {"aws_sns_topic.pass_replaced",
                           "aws_sns_topic",
                           "us-east-1",
                           def,
                           P,
                           "orders-events-prod",
                           tags,
                           {}},
                          {"aws_sqs_queue.pass_new",
                           "aws_sqs_queue",
                           "us-east-1",
                           def,
                           P,
                           "orders-intake-prod",
                           tags,
                           {}},
                      });
  // Replaced in place: the values are the new ones, ids known from before
  // are gone.
  EXPECT_TRUE(m.find("aws_sns_topic.pass_replaced")->arn.empty());
  EXPECT_EQ(m.find("aws_dynamodb_table.pass_existing")->id, "orders-prod");
}

TEST(TfPlanLoader, PriorStateWithoutDeletedResources) {
  // A plan without planned_values falls back to prior_state; the resource
  // the plan deletes stays out.
  Model m = load_text(R"({
  "format_version": "1.2",
  "prior_state": {
    "format_version": "1.0",
    "values": {
      "root_module": {
        "resources": [
          {"address": "aws_s3_bucket.old", "mode": "managed",
           "type": "aws_s3_bucket", "name": "old",
           "values": {"bucket": "old-logs", "region": "us-east-1"}},
          {"address": "aws_s3_bucket.kept", "mode": "managed",
           "type": "aws_s3_bucket", "name": "kept",
           "values": {"bucket": "kept-logs", "region": "us-east-2"}},
          {"address": "data.aws_region.current", "mode": "data",
           "type": "aws_region", "name": "current", "values": {}}
        ]
      }
    }
  },
  "resource_changes": [
    {"address": "aws_s3_bucket.old", "change": {"actions": ["delete"]}},
    {"address": "aws_s3_bucket.kept", "change": {"actions": ["no-op"]}}
  ]
})");
  ASSERT_TRUE(m.errors.empty());
  ASSERT_EQ(m.resources.size(), 1u);
  EXPECT_EQ(m.resources[0].address, "aws_s3_bucket.kept");
  EXPECT_EQ(m.resources[0].region.value_or(""), "us-east-2");
  EXPECT_EQ(m.resources[0].name.value_or(""), "kept-logs");
}

// The parser leaves out of its index what no reader of a plan needs (the
// `before`/`after` copies in resource changes, a prior_state that follows
// planned_values). Loading with and without that gives the same model.
TEST(TfPlanLoader, SkippedPlanPartsChangeNothing) {
  std::vector<std::string> plans;
  for (const char* dir :
       {"/fixtures/formats/tf-plan", "/fixtures/rules", "/fixtures/seeds"}) {
    for (const auto& e : fs::recursive_directory_iterator(
             std::string(DRCHECK_SOURCE_DIR) + dir)) {
      if (e.is_regular_file() && e.path().extension() == ".json" &&
          e.path().filename().string().find("plan") != std::string::npos) {
        plans.push_back(e.path().string());
      }
    }
  }
  std::sort(plans.begin(), plans.end());
  ASSERT_GE(plans.size(), 20u);
  size_t skipped_plans = 0;
  for (const auto& path : plans) {
    SCOPED_TRACE(path);
    Model with_skips = load_file(path);
    ASSERT_EQ(with_skips.inputs.size(), 1u);
    if (with_skips.inputs[0].format != Format::kTerraformPlan) continue;
    json::JValue change =
        with_skips.inputs[0].doc->root()["resource_changes"].at(0);
    if (change["change"]["after"].skipped()) ++skipped_plans;
    EXPECT_FALSE(change["change"]["after_unknown"].skipped());

    auto src = SourceFile::read(path);
    auto full = json::JsonDoc::parse(
        std::get<std::shared_ptr<const SourceFile>>(src));  // no skip policy
    Model without;
    load_document(std::get<std::shared_ptr<const json::JsonDoc>>(full), path,
                  LoadOptions{}, without, true);
    without.finalize({});
    EXPECT_EQ(model_to_json(with_skips).dump(1),
              model_to_json(without).dump(1));
  }
  EXPECT_GE(skipped_plans, 10u);
}

// Changes are matched to planned resources by address whatever their order;
// for a (malformed) duplicate address the last change wins.
TEST(TfPlanLoader, ChangesMatchByAddressInAnyOrder) {
  auto plan = [](const std::string& changes) {
    return R"({"format_version": "1.2", "planned_values": {"root_module": {
  "resources": [
    {"address": "aws_s3_bucket.a", "mode": "managed", "type": "aws_s3_bucket",
     "name": "a", "values": {"bucket": "a-logs"}},
    {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
     "name": "b", "values": {"bucket": "b-logs"}},
    {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket",
     "name": "c", "values": {"bucket": "c-logs"}}]}},
  "resource_changes": [)" +
           changes + "]}";
  };
  auto change = [](const std::string& address, const std::string& action) {
    return R"({"address": "aws_s3_bucket.)" + address +
           R"(", "change": {"actions": [")" + action + R"("]}})";
  };
  auto addresses = [](const Model& m) {
    std::vector<std::string> out;
    for (const auto& r : m.resources) out.push_back(r.address);
    return out;
  };
  using V = std::vector<std::string>;
  // In order (the usual case), out of order, and with a duplicate.
  Model sorted =
      load_text(plan(change("a", "create") + "," + change("b", "delete") + "," +
                     change("c", "no-op")));
  EXPECT_EQ(addresses(sorted), (V{"aws_s3_bucket.a", "aws_s3_bucket.c"}));
  Model shuffled =
      load_text(plan(change("c", "delete") + "," + change("a", "create") + "," +
                     change("b", "delete")));
  EXPECT_EQ(addresses(shuffled), (V{"aws_s3_bucket.a"}));
  Model duplicate =
      load_text(plan(change("a", "create") + "," + change("a", "delete") + "," +
                     change("b", "create")));
  EXPECT_EQ(addresses(duplicate), (V{"aws_s3_bucket.b", "aws_s3_bucket.c"}));
}

TEST(TfPlanLoader, StateOutput) {
  Model m = load_file(fixture("state/state.json"));
  Tags d = {{"Environment", "prod"}, {"Team", "payments"}};
  auto with = [&](Tags extra) {
    Tags t = d;
    t.insert(extra.begin(), extra.end());
    return t;
  };
  expect_resources(
      m, {
             {"aws_iam_role.pass_replication",
              "aws_iam_role",
              "",
              "no configuration in the input (state output)",
              G,
              "payments-replication-prod",
              with({{"DR-Role", "global"}}),
              {}},
             {"aws_s3_bucket.pass_assets",
              "aws_s3_bucket",
              "us-east-2",
              "resource region attribute",
              P,
              "payments-assets-prod",
              with({{"DR-Role", "primary"}}),
              {}},
             {"aws_subnet.pass_primary_a",
              "aws_subnet",
              "us-east-2",
              "ARN arn:aws:ec2:us-east-2:111122223333:subnet/",
              P,
              "",
              with({{"DR-Role", "primary"}}),
              {}},
             {"aws_vpc.pass_primary",
              "aws_vpc",
              "us-east-2",
              "ARN arn:aws:ec2:us-east-2:",
              P,
              "",
              with({{"DR-Role", "primary"}, {"Name", "payments-primary-prod"}}),
              {}},
             {"module.dr.aws_dynamodb_table.this",
              "aws_dynamodb_table",
              "us-west-1",
              "ARN arn:aws:dynamodb:us-west-1:",
              DR,
              "payments-dr-prod",
              with({{"DR-Role", "dr"}}),
              {}},
             {"module.dr.aws_vpc.this",
              "aws_vpc",
              "us-west-1",
              "ARN arn:aws:ec2:us-west-1:",
              DR,
              "",
              with({{"DR-Role", "dr"}, {"Name", "payments-dr-prod"}}),
              {}},
         });
  // Without configuration, tags in tags_all but not in tags are defaults.
  const Resource* vpc = m.find("module.dr.aws_vpc.this");
  EXPECT_EQ(vpc->module, "module.dr");
  EXPECT_TRUE(vpc->tag("Team")->from_default);
  EXPECT_FALSE(vpc->tag("Name")->from_default);
  EXPECT_EQ(vpc->id, "vpc-0a9b8c7d6e5f40003");
  EXPECT_EQ(m.by_id_or_arn("vpc-07e1d2c3b4a596001"),
            m.find("aws_vpc.pass_primary"));
}

TEST(TfPlanLoader, UnknownProviderRegionsAreNullWithAReason) {
  Model m = load_file(fixture("unknown-region/plan.json"));
  expect_resources(
      m, {
             {"aws_s3_bucket.fail_primary",
              "aws_s3_bucket",
              "",
              "provider aws region is var.region, which is null in the plan",
              U,
              "inventory-primary-prod",
              {{"DR-Role", "primary"}},
              {}},
             {"aws_s3_bucket.pass_dr",
              "aws_s3_bucket",
              "us-west-2",
              "provider aws.dr (var.dr_region)",
              P,
              "inventory-dr-prod",
              {{"DR-Role", "dr"}},
              {}},
             {"aws_sns_topic.fail_ops",
              "aws_sns_topic",
              "",
              "provider aws.ops region comes from local.ops_region",
              U,
              "inventory-ops-prod",
              {{"DR-Role", "primary"}},
              {}},
             {"aws_sqs_queue.fail_env",
              "aws_sqs_queue",
              "",
              "no region in provider aws.env",
              U,
              "inventory-env-prod",
              {{"DR-Role", "primary"}},
              {}},
             {"aws_sqs_queue.pass_dr_events",
              "aws_sqs_queue",
              "us-west-2",
              "provider aws.dr_events (var.regions[\"dr\"])",
              P,
              "inventory-dr-events-prod",
              {{"DR-Role", "dr"}},
              {}},
         });
}

TEST(TfPlanLoader, EverythingUnknownReferencesComeFromConfiguration) {
  Model m = load_file(fixture("all-unknown/plan.json"));
  const std::string def = "provider aws (configuration)";
  const std::string dr = "provider aws.dr (configuration)";
  const std::string global = "aws_rds_global_cluster.pass_orders";
  auto tags = [](std::string role) {
    return Tags{{"DR-Role", role}, {"Environment", "prod"}};
  };
  Refs subnet = {{"cidr_block", "aws_vpc.pass_primary"},
                 {"vpc_id", "aws_vpc.pass_primary"}};
  expect_resources(
      m, {
             {"aws_rds_cluster.pass_dr",
              "aws_rds_cluster",
              "us-west-2",
              dr,
              DR,
              "",
              tags("dr"),
              {{"cluster_identifier", global},
               {"engine", global},
               {"engine_version", global},
               {"final_snapshot_identifier", global},
               {"global_cluster_identifier", global}}},
             {"aws_rds_cluster.pass_primary",
              "aws_rds_cluster",
              "us-east-1",
              def,
              P,
              "orders-primary-prod",
              tags("primary"),
              {{"engine", global},
               {"engine_version", global},
               {"global_cluster_identifier", global}}},
             {global,
              "aws_rds_global_cluster",
              "us-east-1",
              def,
              G,
              "orders-prod",
              // Global clusters take tags, so provider default_tags apply.
              {{"Environment", "prod"}},
              {}},
             {"aws_route53_health_check.pass_primary",
              "aws_route53_health_check",
              "us-east-1",
              def,
              G,
              "orders-primary",
              tags("global"),
              {{"fqdn", "aws_rds_cluster.pass_primary"}}},
             {"aws_subnet.pass_primary[0]", "aws_subnet", "us-east-1", def, P,
              "", tags("primary"), subnet},
             {"aws_subnet.pass_primary[1]", "aws_subnet", "us-east-1", def, P,
              "", tags("primary"), subnet},
             {"aws_vpc.pass_dr",
              "aws_vpc",
              "us-west-2",
              dr,
              DR,
              "",
              {{"DR-Role", "dr"},
               {"Environment", "prod"},
               {"Name", "orders-dr-prod"}},
              {}},
             {"aws_vpc.pass_primary",
              "aws_vpc",
              "us-east-1",
              def,
              P,
              "",
              {{"DR-Role", "primary"},
               {"Environment", "prod"},
               {"Name", "orders-primary-prod"}},
              {}},
             {"aws_vpc_peering_connection.pass_peer",
              "aws_vpc_peering_connection",
              "us-east-1",
              def,
              P,
              "",
              {{"DR-Role", "primary"}, {"Environment", "prod"}, {"Name", "?"}},
              {{"peer_vpc_id", "aws_vpc.pass_dr"},
               {"tags", "aws_vpc.pass_dr"},
               {"vpc_id", "aws_vpc.pass_primary"}}},
         });
  for (const auto& r : m.resources) {
    EXPECT_TRUE(r.id.empty()) << r.address;
    EXPECT_TRUE(r.arn.empty()) << r.address;
  }
  // tags_all is unknown: explicit tags over the provider's default_tags.
  const Resource* peer = m.find("aws_vpc_peering_connection.pass_peer");
  EXPECT_TRUE(peer->tag("Environment")->from_default);
  EXPECT_FALSE(peer->tag("Name")->from_default);
  EXPECT_FALSE(peer->tag("DR-Role")->from_default);
  // The unknown cluster_identifier is not a name; the subnet's data source
  // references are not references.
  EXPECT_EQ(m.find("aws_rds_cluster.pass_dr")->name_attribute, "");
}

TEST(TfPlanLoader, InstanceReferencesAndModuleOutputs) {
  Model m = load_text(R"({"format_version": "1.2",
"planned_values": {"root_module": {
  "resources": [
    {"address": "aws_subnet.a[0]", "mode": "managed", "type": "aws_subnet",
     "name": "a", "index": 0, "values": {}},
    {"address": "aws_subnet.a[1]", "mode": "managed", "type": "aws_subnet",
     "name": "a", "index": 1, "values": {}},
    {"address": "aws_route_table_association.r", "mode": "managed",
     "type": "aws_route_table_association", "name": "r", "values": {}}],
  "child_modules": [{"address": "module.app[\"x\"]", "resources": [
    {"address": "module.app[\"x\"].aws_vpc.v", "mode": "managed",
     "type": "aws_vpc", "name": "v", "values": {}}]}]}},
"configuration": {
  "provider_config": {"aws": {"name": "aws",
    "expressions": {"region": {"constant_value": "us-east-1"}}}},
  "root_module": {
    "resources": [
      {"address": "aws_route_table_association.r", "mode": "managed",
       "type": "aws_route_table_association", "name": "r",
       "provider_config_key": "aws",
       "expressions": {
         "subnet_id": {"references": ["aws_subnet.a[1].id", "aws_subnet.a[1]",
                                      "aws_subnet.a"]},
         "route_table_id": {"references": ["module.app[\"x\"].rt",
                                           "module.app[\"x\"]", "module.app"]},
         "gateway_id": {"references": ["module.app[\"x\"].nothing",
                                       "module.app[\"x\"]"]},
         "timeouts": {"create": {"references": ["aws_subnet.a"]}},
         "filter": {"one": {"values": {"references": ["aws_subnet.a[0]"]}}}}},
      {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet",
       "name": "a", "provider_config_key": "aws"}],
    "module_calls": {"app": {"source": "./app",
      "for_each_expression": {"references": ["var.apps"]},
      "module": {
        "outputs": {
          "rt": {"expression": {"references": [
            "aws_vpc.v.main_route_table_id", "aws_vpc.v"]}},
          "nothing": {"expression": {"references": ["var.x"]}}},
        "resources": [{"address": "aws_vpc.v", "mode": "managed",
          "type": "aws_vpc", "name": "v",
          "provider_config_key": "module.app:aws"}]}}}}}})");
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  const Resource* r = m.find("aws_route_table_association.r");
  ASSERT_NE(r, nullptr);
  Refs refs;
  for (const auto& ref : r->references) {
    refs.insert({ref.attribute, ref.target});
    EXPECT_GE(ref.index, 0) << ref.target;
  }
  // aws_subnet.a[1] covers aws_subnet.a for subnet_id; a single nested
  // block is a dotted path, a map of blocks a keyed one.
  EXPECT_EQ(refs, (Refs{{"subnet_id", "aws_subnet.a[1]"},
                        {"route_table_id", "module.app[\"x\"].aws_vpc.v"},
                        {"timeouts.create", "aws_subnet.a"},
                        {"filter[\"one\"].values", "aws_subnet.a[0]"}}));
  EXPECT_EQ(
      m.resources[static_cast<size_t>(r->ref("subnet_id")->index)].address,
      "aws_subnet.a[1]");
  const Resource* v = m.find("module.app[\"x\"].aws_vpc.v");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->region.value_or(""), "us-east-1");
  EXPECT_EQ(v->region_source,
            "provider aws (configuration), inherited by module.app");
  EXPECT_EQ(v->module, "module.app[\"x\"]");
}

// --- malformed inputs: errors at the offending value, never a crash.

TEST(TfPlanLoaderShapes, PlannedValuesNotAnObject) {
  Model m = load_text(
      "{\n  \"format_version\": \"1.2\",\n"
      "  \"planned_values\": 5\n}");
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(first_error(m),
            "t.json:3:21: error: \"planned_values\" must be an object, not a "
            "number");
  EXPECT_TRUE(m.resources.empty());
}

TEST(TfPlanLoaderShapes, ResourcesNotAnArray) {
  Model m = load_text(
      "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\n"
      "    \"root_module\": {\n      \"resources\": \"x\"\n    }\n  }\n}");
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(first_error(m),
            "t.json:5:20: error: \"resources\" must be an array, not a "
            "string");
}

TEST(TfPlanLoaderShapes, ResourcesWithoutTypeOrAddress) {
  Model m = load_text(R"({"format_version": "1.2", "planned_values": {
"root_module": {"resources": [
  {"address": "aws_vpc.a", "mode": "managed", "name": "a"},
  {"mode": "managed", "type": "aws_vpc", "name": "b"},
  {"address": "aws_vpc.c", "mode": "managed", "type": "aws_vpc", "name": "c",
   "values": {"cidr_block": "10.0.0.0/16"}}
]}}})");
  ASSERT_EQ(m.errors.size(), 2u);
  EXPECT_EQ(m.errors[0].str(),
            "t.json:3:3: error: resource aws_vpc.a has no \"type\"");
  EXPECT_EQ(m.errors[1].str(),
            "t.json:4:3: error: resource has no \"address\"");
  ASSERT_EQ(m.resources.size(), 1u);
  EXPECT_EQ(m.resources[0].address, "aws_vpc.c");
}

TEST(TfPlanLoaderShapes, NullsWhereObjectsBelong) {
  Model m = load_text(R"({"format_version": "1.2",
"variables": null,
"planned_values": {"root_module": {
  "resources": [null,
    {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc",
     "name": "a", "values": null}],
  "child_modules": [null, {"address": "module.x", "resources": null,
                           "child_modules": null}]}},
"resource_changes": [null, {"address": "aws_vpc.a", "change": null}],
"configuration": {"provider_config": null, "root_module": {
  "resources": [null, {"address": "aws_vpc.a", "provider_config_key": "aws",
                       "expressions": null}],
  "module_calls": null}}})");
  EXPECT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.resources.size(), 1u);
  const Resource& r = m.resources[0];
  EXPECT_EQ(r.address, "aws_vpc.a");
  EXPECT_FALSE(r.region.has_value());
  EXPECT_NE(r.region_source.find("no provider \"aws\" configuration block"),
            std::string::npos)
      << r.region_source;
  EXPECT_TRUE(r.tags.empty());
  EXPECT_TRUE(r.attr("cidr_block").absent());
}

TEST(TfPlanLoaderShapes, WrongTypesEverywhere) {
  Model m = load_text(R"({"format_version": "1.2",
"variables": {"region": 3},
"planned_values": {"root_module": {
  "resources": [7,
    {"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc",
     "name": "a", "values": [1, 2]},
    {"address": "module.m[\"x.y]z\"].aws_sqs_queue.q", "mode": "managed",
     "type": "aws_sqs_queue", "name": "q",
     "values": {"name": 5, "tags": ["a"], "tags_all": "b", "region": 9}}],
  "child_modules": {"address": "module.m"}}},
"resource_changes": [{"address": "aws_vpc.a",
  "change": {"actions": "delete", "after_unknown": true}}],
"configuration": {"provider_config": {"aws": 5,
    "aws.x": {"expressions": {"region": {"references": "var.region"},
                              "default_tags": "none"}}},
  "root_module": {"resources": [
    {"address": "aws_vpc.a", "provider_config_key": "aws.x",
     "expressions": {"tags": 7, "rule": [3, {"x": {"references": "nope"}}],
                     "vpc_id": {"references": [1, "aws_vpc.", "var.", ""]}}}],
  "module_calls": {"m": {"module": 4}}}}})");
  // Each wrong container is reported where it is; the rest loads.
  std::vector<std::string> errors;
  for (const auto& e : m.errors) errors.push_back(e.str());
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                "t.json:20:36: error: \"module\" must be an object, not a "
                "number",
                "t.json:4:17: error: a resource must be an object, not a "
                "number",
                "t.json:6:29: error: \"values\" must be an object, not an "
                "array",
                "t.json:10:20: error: \"child_modules\" must be an array, not "
                "an object",
            }));
  ASSERT_EQ(m.resources.size(), 2u);
  const Resource* a = m.find("aws_vpc.a");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->region.has_value());
  EXPECT_TRUE(a->references.empty());
  const Resource* q = m.find("module.m[\"x.y]z\"].aws_sqs_queue.q");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->module, "module.m[\"x.y]z\"]");
  EXPECT_FALSE(q->name.has_value());
  EXPECT_TRUE(q->tags.empty());
}

TEST(TfPlanLoaderShapes, DetectsAPlanWithoutAnythingElse) {
  Model m =
      load_text(R"({"format_version": "1.2", "terraform_version": "1.9.5"})");
  EXPECT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kTerraformPlan);
  EXPECT_TRUE(m.resources.empty());
}

// --- one large plan loaded on several threads: the same model and the same
// diagnostics, in the same order, whatever the thread count.

// A generated plan and what loading it must give.
struct BigPlan {
  std::string text;
  size_t errors = 0;                   // malformed members
  std::map<std::string, int> regions;  // region -> resources loaded there
};

// A plan of `n` planned values (several loader chunks) under the root and a
// child module, on two aliased providers, with a region attribute on the
// module's buckets, references, tags, data sources, deleted resources and a
// malformed member every 97 items. `order` arranges resource_changes: 0 as
// walked (not sorted as strings: "[10]" < "[9]"), 1 sorted, 2 sorted with
// one address repeated.
BigPlan big_plan(int n, int order) {
  BigPlan plan;
  std::string root, child;
  std::vector<std::string> changes;
  auto member = [](std::string& out, const std::string& text) {
    if (!out.empty()) out += ",\n";
    out += text;
  };
  auto resource = [&](std::string& out, const std::string& address,
                      const std::string& type, const std::string& name,
                      const std::string& values) {
    member(out, "{\"address\": \"" + address +
                    "\", \"mode\": \"managed\", \"type\": \"" + type +
                    "\", \"name\": \"" + name + "\", \"values\": " + values +
                    "}");
  };
  for (int i = 0; i < n; ++i) {
    std::string& out = i % 3 == 2 ? child : root;
    const std::string num = std::to_string(i);
    if (i % 97 == 50) {
      // A resource that is a string, one without an address, one whose
      // values are a number (loaded all the same, in its provider's region:
      // its values cannot say).
      if (i % 3 == 0) member(out, "\"not a resource\"");
      if (i % 3 == 1) member(out, "{\"type\": \"aws_vpc\", \"values\": {}}");
      if (i % 3 == 2) {
        member(out, "{\"address\": \"module.m.aws_s3_bucket.b[" + num +
                        "]\", \"type\": \"aws_s3_bucket\", \"values\": 7}");
        ++plan.regions["us-west-2"];
      }
      ++plan.errors;
      continue;
    }
    if (i % 41 == 1) {
      member(out, "{\"address\": \"data.aws_region.r[" + num +
                      "]\", \"mode\": \"data\", \"type\": \"aws_region\", "
                      "\"name\": \"r\", \"values\": {}}");
      continue;
    }
    std::string address, region;
    if (i % 3 == 0) {
      address = "aws_vpc.main[" + num + "]";
      region = "us-east-1";
      resource(out, address, "aws_vpc", "main",
               "{\"cidr_block\": \"10." + std::to_string(i % 250) +
                   ".0.0/16\", \"tags\": {\"Name\": \"v" + num + "\"}}");
    } else if (i % 3 == 1) {
      address = "aws_subnet.app[" + num + "]";
      region = "us-west-2";
      resource(out, address, "aws_subnet", "app",
               "{\"tags\": {\"Name\": \"s" + num + "\", \"DR-Role\": \"" +
                   (i % 2 ? "primary" : "dr") + "\"}, \"tags_all\": null}");
    } else {
      address = "module.m.aws_s3_bucket.b[" + num + "]";
      region = i % 4 ? "eu-west-1" : "ap-south-1";
      resource(
          out, address, "aws_s3_bucket", "b",
          "{\"bucket\": \"b" + num + "\", \"region\": \"" + region + "\"}");
    }
    bool deleted = i % 53 == 7;
    if (!deleted) ++plan.regions[region];
    changes.push_back("{\"address\": \"" + address +
                      "\", \"mode\": \"managed\", \"change\": {\"actions\": "
                      "[\"" +
                      (deleted ? "delete" : "create") +
                      "\"], \"after_unknown\": {\"arn\": true}}}");
  }
  if (order >= 1) std::sort(changes.begin(), changes.end());
  if (order == 2) changes.push_back(changes.back());
  std::string change_list;
  for (const auto& c : changes) member(change_list, c);
  // Two more malformed members: child modules that are not objects.
  plan.errors += 2;
  plan.text = R"({"format_version": "1.2", "planned_values": {"root_module": {
  "resources": [)" +
              root + R"(],
  "child_modules": [42, {"address": "module.m", "resources": [)" +
              child +
              R"(]}, "a string"]}},
  "resource_changes": [)" +
              change_list + R"(],
  "configuration": {"provider_config": {
    "aws": {"name": "aws",
            "expressions": {"region": {"constant_value": "us-east-1"}}},
    "aws.dr": {"name": "aws", "alias": "dr",
               "expressions": {"region": {"constant_value": "us-west-2"}}}},
  "root_module": {
    "resources": [
      {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc",
       "name": "main", "provider_config_key": "aws",
       "expressions": {"cidr_block": {"constant_value": "10.0.0.0/16"}}},
      {"address": "aws_subnet.app", "mode": "managed", "type": "aws_subnet",
       "name": "app", "provider_config_key": "aws.dr",
       "expressions": {"vpc_id": {"references": ["aws_vpc.main[0].id",
                                                  "aws_vpc.main[0]"]}}}],
    "module_calls": {"m": {"source": "./m", "module": {"resources": [
      {"address": "aws_s3_bucket.b", "mode": "managed",
       "type": "aws_s3_bucket", "name": "b", "provider_config_key": "aws.dr",
       "expressions": {"bucket": {"references": ["aws_s3_bucket.b"]}}}]}}}}}})";
  return plan;
}

TEST(TfPlanLoader, LargePlanIsTheSameOnAnyDocumentJobCount) {
  for (int order = 0; order < 3; ++order) {
    SCOPED_TRACE("order " + std::to_string(order));
    const BigPlan plan = big_plan(3000, order);
    std::string first;
    for (unsigned jobs : {1u, 2u, 4u}) {
      Model m = testing::load_text("big.json", plan.text, jobs);
      EXPECT_EQ(m.errors.size(), plan.errors) << jobs << " jobs";
      std::map<std::string, int> regions;
      for (const auto& r : m.resources) ++regions[r.region.value_or("?")];
      EXPECT_EQ(regions, plan.regions) << jobs << " jobs";
      // Resources and errors come in file order (the plan's members are
      // walked in the order they are written).
      std::vector<std::pair<uint32_t, uint32_t>> at;
      for (const auto& d : m.errors) at.emplace_back(d.line, d.column);
      EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << jobs << " jobs";
      std::vector<uint32_t> offsets;
      for (const auto& r : m.resources) offsets.push_back(r.at.offset);
      EXPECT_TRUE(std::is_sorted(offsets.begin(), offsets.end()))
          << jobs << " jobs";
      std::string got = model_to_json(m).dump(1);
      for (const auto& d : m.errors) got += "\nerror " + d.str();
      for (const auto& d : m.warnings) got += "\nwarning " + d.str();
      if (first.empty()) first = got;
      EXPECT_EQ(got, first) << jobs << " jobs";
    }
  }
}

// A plan large enough (1 MiB and up) that its changes, configuration and
// planned values are read side by side, with a malformed part in each and
// in "variables": the errors come in the order one thread reports them
// (changes, configuration, variables, planned values), on any job count.
TEST(TfPlanLoader, ErrorsOfThePlansPartsKeepTheirOrderOnAnyJobCount) {
  std::string resources, changes;
  for (int i = 0; i < 6000; ++i) {
    const std::string address = "aws_vpc.v[" + std::to_string(i) + "]";
    resources += "{\"address\": \"" + address +
                 "\", \"mode\": \"managed\", \"type\": \"aws_vpc\", \"name\": "
                 "\"v\", \"values\": {\"cidr_block\": \"10.0.0.0/16\"}},\n";
    changes += "{\"address\": \"" + address +
               "\", \"change\": {\"actions\": [\"create\"]}},\n";
  }
  const std::string text =
      R"({"format_version": "1.2", "variables": 5,
  "planned_values": {"root_module": {"resources": [)" +
      resources + R"("not a resource"], "child_modules": [42]}},
  "resource_changes": [)" +
      changes + R"(7],
  "configuration": {"root_module": {"resources": ["x"]}}})";
  ASSERT_GE(text.size(), size_t{1} << 20);
  std::string first;
  for (unsigned jobs : {1u, 2u, 4u}) {
    Model m = testing::load_text("parts.json", text, jobs);
    EXPECT_EQ(m.resources.size(), 6000u) << jobs << " jobs";
    std::vector<std::string> messages;
    for (const auto& d : m.errors) messages.push_back(d.message);
    ASSERT_EQ(messages.size(), 5u) << jobs << " jobs";
    EXPECT_NE(messages[0].find("resource change"), std::string::npos)
        << messages[0];
    EXPECT_NE(messages[1].find("configuration resource"), std::string::npos)
        << messages[1];
    EXPECT_NE(messages[2].find("\"variables\""), std::string::npos)
        << messages[2];
    // The planned values' errors in walk order: the resource, then the
    // child module.
    EXPECT_NE(messages[3].find("a resource"), std::string::npos) << messages[3];
    EXPECT_NE(messages[4].find("child module"), std::string::npos)
        << messages[4];
    std::string got;
    for (const auto& d : m.errors) got += d.str() + "\n";
    if (first.empty()) first = got;
    EXPECT_EQ(got, first) << jobs << " jobs";
  }
}

// --- the shared corpus: every tf-plan file loads with its format.

std::string corpus_root() {
  if (const char* env = std::getenv("DRCHECK_CORPUS")) return env;
  return (fs::path(DRCHECK_SOURCE_DIR) / ".." / "shared" / "corpus")
      .lexically_normal()
      .string();
}

struct CorpusEntry {
  std::string path, format, notes;
};

std::vector<CorpusEntry> corpus(const std::string& format) {
  std::vector<CorpusEntry> out;
  std::ifstream in(corpus_root() + "/MANIFEST.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 2 && cols[1] == format) {
      out.push_back({cols[0], cols[1], cols.size() > 5 ? cols[5] : ""});
    }
  }
  return out;
}

TEST(TfPlanLoaderCorpus, EveryTfPlanFileLoads) {
  auto entries = corpus("tf-plan");
  if (entries.empty()) GTEST_SKIP() << "no corpus at " << corpus_root();
  size_t loaded = 0, resources = 0;
  for (const auto& e : entries) {
    SCOPED_TRACE(e.path);
    Model m = load_file(corpus_root() + "/" + e.path);
    if (e.notes.find("not parseable") != std::string::npos) {
      EXPECT_FALSE(m.errors.empty());
      continue;
    }
    EXPECT_TRUE(m.errors.empty()) << first_error(m);
    ASSERT_EQ(m.inputs.size(), 1u);
    EXPECT_EQ(format_name(m.inputs[0].format), e.format);
    for (const auto& r : m.resources) {
      EXPECT_FALSE(r.address.empty());
      EXPECT_FALSE(r.region_source.empty()) << r.address;
    }
    ++loaded;
    resources += m.resources.size();
  }
  EXPECT_GT(loaded, 300u);
  EXPECT_GT(resources, 1000u);
}

TEST(TfPlanLoaderCorpus, Utf16PlanLoads) {
  std::string rel =
      "tf-plan/bridgecrewio__checkov/tests/terraform/parser/resources/"
      "plan_encodings/tfplan_win_utf16.json";
  if (!fs::exists(corpus_root() + "/" + rel)) GTEST_SKIP();
  Model m = load_file(corpus_root() + "/" + rel);
  ASSERT_TRUE(m.errors.empty()) << first_error(m);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].doc->source().encoding(), "utf-16le");
  EXPECT_FALSE(m.resources.empty());
}

}  // namespace
}  // namespace drcheck
