// Tests of the CloudFormation template loader (load_cfn) and the CDK cloud
// assembly loader (load_cdk_out), on the fixtures under
// fixtures/formats/cfn/ and on in-memory documents with wrong shapes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/loader.h"
#include "analyzer/model.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& rel) {
  return std::string(DRCHECK_SOURCE_DIR) + "/fixtures/formats/cfn/" + rel;
}

struct Src {
  Src() = default;
  Src(const char* f, uint32_t l, uint32_t c) : file(f), line(l), column(c) {}
  std::string file;  // "" = no source_ref
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Expect {
  std::string address;
  std::string kind;
  std::string region;         // "" = null
  std::string region_source;  // substring
  std::map<std::string, std::string> tags;
  std::string name;  // "" = no name
  std::string construct_path;
  Src source;
  std::vector<std::pair<std::string, std::string>> refs;  // attr, resolved
};

// Compares every resource of the model with the expectations, by address.
void check_all(const Model& m, const std::vector<Expect>& expects) {
  std::set<std::string> want, got;
  for (const auto& e : expects) want.insert(e.address);
  for (const auto& r : m.resources) got.insert(r.address);
  ASSERT_EQ(got, want);
  ASSERT_EQ(m.resources.size(), expects.size()) << "duplicate addresses";
  for (const auto& e : expects) {
    SCOPED_TRACE(e.address);
    const Resource* r = m.find(e.address);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->kind, e.kind);
    EXPECT_EQ(r->format, Format::kCloudFormation);
    if (e.region.empty()) {
      EXPECT_FALSE(r->region.has_value()) << *r->region;
    } else {
      EXPECT_EQ(r->region.value_or("<null>"), e.region);
    }
    EXPECT_NE(r->region_source.find(e.region_source), std::string::npos)
        << r->region_source;
    std::map<std::string, std::string> tags;
    for (const auto& [k, t] : r->tags) tags[k] = t.value;
    EXPECT_EQ(tags, e.tags);
    EXPECT_EQ(r->name.value_or(""), e.name);
    EXPECT_EQ(r->construct_path, e.construct_path);
    if (e.source.file.empty()) {
      EXPECT_FALSE(r->source_ref.has_value()) << r->source_ref->file;
    } else {
      ASSERT_TRUE(r->source_ref.has_value());
      EXPECT_EQ(r->source_ref->file, e.source.file);
      EXPECT_EQ(r->source_ref->line, e.source.line);
      EXPECT_EQ(r->source_ref->column, e.source.column);
    }
    std::vector<std::pair<std::string, std::string>> refs;
    for (const auto& ref : r->references) {
      refs.emplace_back(ref.attribute, ref.index >= 0
                                           ? m.resources[ref.index].address
                                           : "?" + ref.target);
    }
    EXPECT_EQ(refs, e.refs);
    EXPECT_TRUE(r->at.valid());
    EXPECT_TRUE(r->envelope.is_object());
  }
}

Model load(const std::string& path, const LoadOptions& options = {}) {
  Model m;
  load_path(path, options, m);
  m.finalize({});
  return m;
}

std::string errors_of(const Model& m) {
  std::string out;
  for (const auto& d : m.errors) out += d.str() + "\n";
  for (const auto& d : m.warnings) out += d.str() + "\n";
  return out;
}

// Loads in-memory template text as file `name`.
Model load_text(const std::string& text, const std::string& name = "t.json",
                const LoadOptions& options = {}) {
  Model m;
  auto src = SourceFile::from_string(name, text);
  auto doc = json::JsonDoc::parse(src);
  if (auto* d = std::get_if<Diagnostic>(&doc)) {
    ADD_FAILURE() << d->str();
    return m;
  }
  load_document(std::get<std::shared_ptr<const json::JsonDoc>>(doc), name,
                options, m, true);
  m.finalize({});
  return m;
}

const Diagnostic* error_containing(const Model& m, const std::string& text) {
  for (const auto& d : m.errors) {
    if (d.message.find(text) != std::string::npos) return &d;
  }
  return nullptr;
}

constexpr const char* kApp = "/app/payments-infra/lib/payments-stacks.js";
constexpr const char* kUse1 =
    "cdk.out environment aws://123456789012/us-east-1";
constexpr const char* kUsw2 =
    "cdk.out environment aws://123456789012/us-west-2";
constexpr const char* kNested =
    "PaymentsPrimary/DataNestedStackDataNestedStackResourceEC94013D";

std::vector<Expect> cdk_out_expectations() {
  const std::map<std::string, std::string> p = {{"DR-Role", "primary"},
                                                {"Environment", "prod"}};
  const std::map<std::string, std::string> d = {{"DR-Role", "dr"},
                                                {"Environment", "prod"}};
  return {
      {"PaymentsPrimary/Vpc",
       "aws_vpc",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/Vpc",
       {kApp, 32, 17},
       {}},
      {"PaymentsPrimary/AppSubnet",
       "aws_subnet",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/AppSubnet",
       {kApp, 33, 20},
       {{"vpc_id", "PaymentsPrimary/Vpc"}}},
      {"PaymentsPrimary/ToDr",
       "aws_vpc_peering_connection",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/ToDr",
       {kApp, 34, 5},
       {{"vpc_id", "PaymentsPrimary/Vpc"}}},
      {"PaymentsPrimary/DbSubnets",
       "aws_db_subnet_group",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/DbSubnets",
       {kApp, 37, 17},
       {{"subnet_ids[0]", "PaymentsPrimary/AppSubnet"}}},
      {"PaymentsPrimary/Db",
       "aws_rds_cluster",
       "us-east-1",
       kUse1,
       p,
       "payments-db-prod",
       "PaymentsPrimary/Db",
       {kApp, 38, 16},
       {{"db_subnet_group_name", "PaymentsPrimary/DbSubnets"}}},
      // An L2 construct: the first frames are inside aws-cdk-lib.
      {"PaymentsPrimary/ArchiveDA4CB258",
       "aws_s3_bucket",
       "us-east-1",
       kUse1,
       {{"CostCenter", ""}, {"DR-Role", "primary"}, {"Environment", "prod"}},
       "payments-archive-prod",
       "PaymentsPrimary/Archive/Resource",
       {kApp, 44, 21},
       {}},
      {"PaymentsPrimary/Vault",
       "aws_backup_vault",
       "us-east-1",
       kUse1,
       p,
       "payments-primary",
       "PaymentsPrimary/Vault",
       {kApp, 48, 19},
       {}},
      {"PaymentsPrimary/Plan",
       "aws_backup_plan",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/Plan",
       {kApp, 49, 18},
       {{"backup_plan.backup_plan_rule[0].target_backup_vault",
         "PaymentsPrimary/Vault"}}},
      {kNested,
       "aws_cloudformation_stack",
       "us-east-1",
       kUse1,
       p,
       "",
       "PaymentsPrimary/Data.NestedStack/Data.NestedStackResource",
       {kApp, 11, 5},
       {}},
      {"PaymentsPrimary/Selection",
       "aws_backup_selection",
       "us-east-1",
       kUse1,
       {},
       "",
       "PaymentsPrimary/Selection",
       {kApp, 59, 5},
       {{"backup_plan_id", "PaymentsPrimary/Plan"},
        {"backup_selection.resources[0]", "PaymentsPrimary/Db"},
        {"backup_selection.resources[1]", "PaymentsPrimary/ArchiveDA4CB258"}}},
      {std::string(kNested) + "/Ledger",
       "aws_dynamodb_table",
       "us-east-1",
       kUse1,
       p,
       "payments-ledger-prod",
       "PaymentsPrimary/Data/Ledger",
       {kApp, 12, 18},
       {}},
      {std::string(kNested) + "/LedgerTableName",
       "aws_ssm_parameter",
       "us-east-1",
       kUse1,
       p,
       "/payments/prod/ledger-table",
       "PaymentsPrimary/Data/LedgerTableName",
       {kApp, 21, 5},
       {{"value", std::string(kNested) + "/Ledger"}}},
      {"payments-dr/Vpc",
       "aws_vpc",
       "us-west-2",
       kUsw2,
       d,
       "",
       "PaymentsDr/Vpc",
       {kApp, 72, 5},
       {}},
      {"payments-dr/Vault",
       "aws_backup_vault",
       "us-west-2",
       kUsw2,
       d,
       "payments-dr",
       "PaymentsDr/Vault",
       {kApp, 73, 5},
       {}},
      {"payments-dr/Db",
       "aws_rds_cluster",
       "us-west-2",
       kUsw2,
       d,
       "payments-db-dr",
       "PaymentsDr/Db",
       {kApp, 74, 16},
       {}},
  };
}

TEST(CfnLoader, CdkOutFixtureLoadsEveryStackWithRegionTracesAndNesting) {
  Model m = load(fixture("cdk.out"));
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  check_all(m, cdk_out_expectations());
  ASSERT_EQ(m.inputs.size(), 3u);
  EXPECT_EQ(m.inputs[0].stack, "PaymentsPrimary");
  EXPECT_EQ(m.inputs[1].stack, kNested);
  EXPECT_EQ(m.inputs[2].stack, "payments-dr");  // properties.stackName
  for (const auto& in : m.inputs) EXPECT_EQ(in.format, Format::kCloudFormation);
  for (const auto& r : m.resources) EXPECT_EQ(r.account, "123456789012");

  // The stack-level tag set from a parameter is unknown, not empty: `at` is
  // the intrinsic object.
  const Resource* bucket = m.find("PaymentsPrimary/ArchiveDA4CB258");
  ASSERT_NE(bucket, nullptr);
  const Tag* cost = bucket->tag("CostCenter");
  ASSERT_NE(cost, nullptr);
  EXPECT_TRUE(cost->at.is_object());
  EXPECT_EQ(cost->at["Ref"].str(), "CostCenter");
  EXPECT_EQ(bucket->envelope["DeletionPolicy"].str(), "Retain");
  EXPECT_EQ(bucket->attr("versioning_configuration")["Status"].str(),
            "Enabled");
  const Resource* db = m.find("PaymentsPrimary/Db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->name_attribute, "db_cluster_identifier");
  EXPECT_EQ(db->name_at.position().line, 108u);
  EXPECT_EQ(db->envelope["DeletionPolicy"].str(), "Snapshot");
  // The reference points at the logical id written in the template.
  ASSERT_EQ(db->references.size(), 1u);
  EXPECT_EQ(db->references[0].at.str(), "DbSubnets");
  EXPECT_EQ(m.primary_region, "us-east-1");
  EXPECT_EQ(m.dr_region, "us-west-2");
}

TEST(CfnLoader, CdkOutManifestNamedExplicitlyStandsForItsFolder) {
  Model m = load(fixture("cdk.out/manifest.json"));
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  check_all(m, cdk_out_expectations());
}

TEST(CfnLoader, CdkOutFolderInsideAWalkIsLoadedOnce) {
  // Walking fixtures/formats/cfn loads the cdk.out through its manifest and
  // does not load its templates again as plain templates.
  LoadOptions options;
  options.cfn_regions["orders-dr.template.json"] = "us-west-2";
  Model m = load(fixture(""), options);
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  EXPECT_EQ(m.inputs.size(), 5u);  // 3 stacks + 2 plain templates
  EXPECT_EQ(m.resources.size(), 15u + 9u + 3u);
  EXPECT_NE(m.find("payments-dr/Db"), nullptr);
  EXPECT_EQ(m.find("PaymentsDr/Db"), nullptr);
}

// Copies the fixture cdk.out to a fresh temporary folder.
std::string copy_cdk_out(const std::string& name) {
  fs::path dir = fs::temp_directory_path() /
                 ("drcheck_cfn_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(fixture("cdk.out"), dir, fs::copy_options::recursive);
  return dir.string();
}

void replace_in_file(const std::string& path, const std::string& from,
                     const std::string& to) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  std::ofstream(path) << text;
}

TEST(CfnLoader, CdkOutWithoutPathOrAssetMetadataUsesAssetsTreeAndMetadata) {
  // As written by an app run without the CDK CLI: no aws:cdk:path and no
  // aws:asset:path in the templates. The nested template is found through
  // the asset manifest (TemplateURL names its hash) and construct paths
  // come from the artifact metadata.
  std::string dir = copy_cdk_out("nometa");
  for (const char* t : {"PaymentsPrimary.template.json",
                        "PaymentsPrimaryData023E9103.nested.template.json",
                        "PaymentsDr.template.json"}) {
    replace_in_file(dir + "/" + t, "\"aws:cdk:path\"", "\"x-path\"");
    replace_in_file(dir + "/" + t, "\"aws:asset:path\"", "\"x-asset\"");
  }
  Model m = load(dir);
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  check_all(m, cdk_out_expectations());

  // Without the metadata side files, construct paths come from tree.json
  // and source lines are unknown; a warning says why.
  fs::remove(dir + "/PaymentsPrimary.metadata.json");
  fs::remove(dir + "/PaymentsDr.metadata.json");
  Model t = load(dir);
  EXPECT_TRUE(t.errors.empty()) << errors_of(t);
  ASSERT_EQ(t.warnings.size(), 2u) << errors_of(t);
  EXPECT_NE(t.warnings[0].message.find("PaymentsPrimary.metadata.json"),
            std::string::npos);
  EXPECT_EQ(t.warnings[0].file, dir + "/manifest.json");
  EXPECT_GT(t.warnings[0].line, 0u);
  std::vector<Expect> want = cdk_out_expectations();
  for (auto& e : want) e.source = {};
  check_all(t, want);
  fs::remove_all(dir);
}

// Writes `files` (name -> text) into a fresh temporary folder.
std::string make_dir(const std::string& name,
                     const std::map<std::string, std::string>& files) {
  fs::path dir = fs::temp_directory_path() /
                 ("drcheck_cfn_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  for (const auto& [file, text] : files) {
    fs::path p = dir / file;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  return dir.string();
}

const char* kQueueTemplate = R"json({
 "Resources": {
  "Queue4A7E3555": {
   "Type": "AWS::SQS::Queue",
   "Properties": {"QueueName": "jobs"}
  }
 }
})json";

TEST(CfnLoader, CdkOutAgnosticStacksNestedAssembliesAndOldStyleTraces) {
  std::string dir = make_dir(
      "agnostic", {{"manifest.json", R"json({
  "version": "36.0.0",
  "artifacts": {
    "Agnostic": {
      "type": "aws:cloudformation:stack",
      "environment": "aws://unknown-account/unknown-region",
      "properties": {"templateFile": "Agnostic.template.json"},
      "metadata": {
        "/Agnostic/Queue/Resource": [
          {"type": "aws:cdk:logicalId", "data": "Queue4A7E3555",
           "trace": [
             "at Function.Module._load (node:internal/modules/cjs/loader:1104:12)",
             "at new Queue (/app/node_modules/aws-cdk-lib/aws-sqs/lib/queue.js:1:9)",
             "at new AgnosticStack (/app/lib/agnostic-stack.ts:14:5)",
             "at Object.<anonymous> (/app/bin/app.ts:7:1)"]}
        ]
      },
      "displayName": "Agnostic"
    },
    "assembly-Prod": {
      "type": "cdk:cloud-assembly",
      "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}
    }
  }
})json"},
                   {"Agnostic.template.json", kQueueTemplate},
                   {"assembly-Prod/manifest.json", R"json({
  "version": "36.0.0",
  "artifacts": {
    "ProdApi": {
      "type": "aws:cloudformation:stack",
      "environment": "aws://222222222222/eu-central-1",
      "properties": {"templateFile": "ProdApi.template.json",
                     "stackName": "Prod-Api"},
      "displayName": "Prod/Api"
    }
  }
})json"},
                   {"assembly-Prod/ProdApi.template.json", kQueueTemplate}});
  Model m = load(dir);
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  ASSERT_EQ(m.inputs.size(), 2u);  // the nested assembly is not walked again
  ASSERT_EQ(m.resources.size(), 2u);
  const Resource* a = m.find("Agnostic/Queue4A7E3555");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->region.has_value());
  EXPECT_NE(a->region_source.find("environment-agnostic"), std::string::npos);
  EXPECT_EQ(a->account, "");
  EXPECT_EQ(a->construct_path, "Agnostic/Queue/Resource");
  ASSERT_TRUE(a->source_ref.has_value());
  EXPECT_EQ(a->source_ref->file, "/app/lib/agnostic-stack.ts");
  EXPECT_EQ(a->source_ref->line, 14u);
  EXPECT_EQ(a->source_ref->column, 5u);
  EXPECT_EQ(a->name.value_or(""), "jobs");
  const Resource* p = m.find("Prod-Api/Queue4A7E3555");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->region.value_or(""), "eu-central-1");
  EXPECT_EQ(p->account, "222222222222");
  EXPECT_EQ(p->construct_path, "");
  EXPECT_FALSE(p->source_ref.has_value());

  // --region FILE=REGION places an environment-agnostic stack.
  LoadOptions options;
  options.cfn_regions["Agnostic.template.json"] = "us-east-2";
  Model r = load(dir, options);
  const Resource* ra = r.find("Agnostic/Queue4A7E3555");
  ASSERT_NE(ra, nullptr);
  EXPECT_EQ(ra->region.value_or(""), "us-east-2");
  fs::remove_all(dir);
}

TEST(CfnLoader, CdkOutWrongShapesAreErrorsAndTheRestLoads) {
  std::string dir =
      make_dir("badshapes", {{"manifest.json", R"json({
  "version": "36.0.0",
  "artifacts": {
    "NoTemplate": {"type": "aws:cloudformation:stack", "properties": {}},
    "Missing": {"type": "aws:cloudformation:stack",
                "properties": {"templateFile": "Missing.template.json"}},
    "Number": 7,
    "BadNested": {"type": "cdk:cloud-assembly", "properties": {}},
    "Good": {"type": "aws:cloudformation:stack",
             "environment": 42,
             "properties": {"templateFile": "Good.template.json"}}
  }
})json"},
                             {"Good.template.json", kQueueTemplate}});
  Model m = load(dir);
  ASSERT_EQ(m.resources.size(), 1u);
  EXPECT_EQ(m.resources[0].address, "Good/Queue4A7E3555");
  EXPECT_FALSE(m.resources[0].region.has_value());
  const Diagnostic* d = error_containing(m, "\"NoTemplate\" has no");
  ASSERT_NE(d, nullptr) << errors_of(m);
  EXPECT_EQ(d->line, 4u);
  EXPECT_EQ(d->column, 19u);
  d = error_containing(m, "\"Number\" must be an object");
  ASSERT_NE(d, nullptr) << errors_of(m);
  EXPECT_EQ(d->line, 7u);
  EXPECT_EQ(d->column, 15u);
  d = error_containing(m, "\"BadNested\" has no properties.directoryName");
  ASSERT_NE(d, nullptr) << errors_of(m);
  EXPECT_EQ(d->line, 8u);
  bool missing = false;
  for (const auto& e : m.errors) {
    if (e.file == dir + "/Missing.template.json") missing = true;
  }
  EXPECT_TRUE(missing) << errors_of(m);
  EXPECT_EQ(m.errors.size(), 4u) << errors_of(m);
  fs::remove_all(dir);
}

TEST(CfnLoader, TemplateWithRegionGivenOnTheCommandLine) {
  LoadOptions options;
  options.cfn_regions["orders-dr.template.json"] = "us-west-2";
  Model m =
      load(fixture("template-with-region/orders-dr.template.json"), options);
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  const std::map<std::string, std::string> d = {{"DR-Role", "dr"},
                                                {"Environment", "prod"}};
  const char* given = "--region for ";
  check_all(m, {
                   {"orders-dr/DrVpc",
                    "aws_vpc",
                    "us-west-2",
                    given,
                    {{"DR-Role", "dr"}, {"Environment", "prod"}, {"Name", ""}},
                    "",
                    "",
                    {},
                    {}},
                   {"orders-dr/DrSubnetA",
                    "aws_subnet",
                    "us-west-2",
                    given,
                    d,
                    "",
                    "",
                    {},
                    {{"vpc_id", "orders-dr/DrVpc"}}},
                   {"orders-dr/DrSubnetB",
                    "aws_subnet",
                    "us-west-2",
                    given,
                    d,
                    "",
                    "",
                    {},
                    {{"vpc_id", "orders-dr/DrVpc"}}},
                   {"orders-dr/DrDbSubnets",
                    "aws_db_subnet_group",
                    "us-west-2",
                    given,
                    d,
                    "",
                    "",
                    {},
                    {{"subnet_ids[0]", "orders-dr/DrSubnetA"},
                     {"subnet_ids[1]", "orders-dr/DrSubnetB"}}},
                   {"orders-dr/DrKey",
                    "aws_kms_key",
                    "us-west-2",
                    given,
                    d,
                    "",
                    "",
                    {},
                    {}},
                   {"orders-dr/DrDbCluster",
                    "aws_rds_cluster",
                    "us-west-2",
                    given,
                    d,
                    "orders-db-dr",
                    "",
                    {},
                    {{"db_subnet_group_name", "orders-dr/DrDbSubnets"},
                     {"kms_key_id", "orders-dr/DrKey"}}},
                   {"orders-dr/DrBackupVault",
                    "aws_backup_vault",
                    "us-west-2",
                    given,
                    d,
                    "orders-dr-vault",
                    "",
                    {},
                    {{"encryption_key_arn", "orders-dr/DrKey"}}},
                   {"orders-dr/DrAlarmTopic",
                    "aws_sns_topic",
                    "us-west-2",
                    given,
                    {{"DR-Role", "dr"}, {"Environment", ""}},
                    "",
                    "",
                    {},
                    {{"kms_master_key_id", "orders-dr/DrKey"}}},
                   {"orders-dr/DbEndpointParameter",
                    "aws_ssm_parameter",
                    "us-west-2",
                    given,
                    d,
                    "/orders/prod/dr/db-endpoint",
                    "",
                    {},
                    {{"value", "orders-dr/DrDbCluster"}}},
               });
  const Resource* vpc = m.find("orders-dr/DrVpc");
  EXPECT_EQ(vpc->tag("Name")->at["Fn::Sub"].str(), "orders-${Environment}-dr");
  EXPECT_TRUE(vpc->tag("DR-Role")->at.is_string());
  EXPECT_EQ(vpc->tag("DR-Role")->at.position().line, 27u);
  // A computed physical name is unknown, not absent.
  EXPECT_FALSE(m.find("orders-dr/DrAlarmTopic")->name.has_value());
  // Backup vault tags live in BackupVaultTags.
  EXPECT_EQ(
      m.find("orders-dr/DrBackupVault")->tag("DR-Role")->at.position().line,
      118u);
  EXPECT_EQ(m.inputs[0].stack, "");  // from the file name, not a container
  EXPECT_EQ(m.resources[0].stack, "orders-dr");

  // The same template under its full path as the --region key.
  LoadOptions by_path;
  std::string path = fixture("template-with-region/orders-dr.template.json");
  by_path.cfn_regions[path] = "eu-west-1";
  Model p = load(path, by_path);
  EXPECT_EQ(p.find("orders-dr/DrKey")->region.value_or(""), "eu-west-1");
}

TEST(CfnLoader, TemplateWithoutRegionIsNullWithReason) {
  Model m = load(fixture("no-region/template.json"));
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  const char* why =
      "CloudFormation template has no region (use --region FILE=REGION or a "
      "cdk.out)";
  check_all(
      m,
      {
          {"template/AssetsBucket",
           "aws_s3_bucket",
           "",
           why,
           {{"Environment", "prod"}},
           "",
           "",
           {},
           {}},
          {"template/EventsQueue",
           "aws_sqs_queue",
           "",
           why,
           {},
           "assets-events-prod",
           "",
           {},
           {}},
          {"template/EventsQueuePolicy",
           "aws_sqs_queue_policy",
           "",
           why,
           {},
           "",
           "",
           {},
           {{"queues[0]", "template/EventsQueue"},
            {"policy_document.statement[0].resource", "template/EventsQueue"}}},
      });
  for (const auto& r : m.resources) EXPECT_EQ(r.role, Role::kUnknown);
}

TEST(CfnLoader, IntrinsicReferencesInEveryForm) {
  Model m = load_text(R"json({
  "Parameters": {"Env": {"Type": "String"}},
  "Resources": {
    "Vault": {"Type": "AWS::Backup::BackupVault",
              "Properties": {"BackupVaultName": "v"}},
    "Plan": {"Type": "AWS::Backup::BackupPlan", "Properties": {
      "BackupPlan": {"BackupPlanName": "p", "BackupPlanRule": [
        {"RuleName": "daily", "TargetBackupVault": {"Ref": "Vault"},
         "CopyActions": [{"DestinationBackupVaultArn":
            {"Fn::Sub": "arn:${AWS::Partition}:backup:us-west-2:${AWS::AccountId}:backup-vault:${Env}"}}]},
        {"RuleName": "weekly", "TargetBackupVault": "v",
         "CopyActions": [{"DestinationBackupVaultArn":
            {"Fn::GetAtt": ["Vault", "BackupVaultArn"]}}]}]}}},
    "Topic": {"Type": "AWS::SNS::Topic", "Properties": {
      "TopicName": {"Fn::Join": ["-", [{"Ref": "Env"}, {"Fn::Select": [0, [{"Ref": "Vault"}]]}]]},
      "DisplayName": {"Fn::Sub": "${Vault.BackupVaultArn} ${!Vault} ${Local}",
                      "Ignored": 1},
      "KmsMasterKeyId": {"Fn::Sub": ["${Local}-${Plan}", {"Local": {"Fn::GetAtt": "Plan.BackupPlanArn"}}]},
      "Tags": [{"Key": "k", "Value": {"Fn::If": ["C", {"Ref": "Vault"}, "x"]}}]
    }}
  }
})json");
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  const Resource* plan = m.find("t/Plan");
  ASSERT_NE(plan, nullptr);
  ASSERT_EQ(plan->references.size(), 2u);
  EXPECT_EQ(plan->references[0].attribute,
            "backup_plan.backup_plan_rule[0].target_backup_vault");
  EXPECT_EQ(plan->references[1].attribute,
            "backup_plan.backup_plan_rule[1].copy_actions[0]."
            "destination_backup_vault_arn");
  EXPECT_EQ(plan->references[1].target, "t/Vault");
  EXPECT_EQ(plan->ref("backup_plan.backup_plan_rule[1]")->target, "t/Vault");
  const Resource* topic = m.find("t/Topic");
  ASSERT_NE(topic, nullptr);
  std::vector<std::pair<std::string, std::string>> refs;
  for (const auto& r : topic->references)
    refs.emplace_back(r.attribute, r.target);
  // "DisplayName" is an object with two members, not an intrinsic: its
  // "Fn::Sub" member is walked as a plain property.
  EXPECT_EQ(refs, (std::vector<std::pair<std::string, std::string>>{
                      {"topic_name", "t/Vault"},
                      {"kms_master_key_id", "t/Plan"},
                      {"tags[0].value", "t/Vault"},
                  }));
  EXPECT_EQ(topic->tag("k")->value, "");
}

TEST(CfnLoader, TemplateWithoutResourcesLoadsNothing) {
  Model m = load_text(
      R"json({"AWSTemplateFormatVersion": "2010-09-09", "Outputs": {}})json");
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kCloudFormation);
  EXPECT_EQ(m.resources.size(), 0u);
}

struct BadCase {
  const char* name;
  const char* text;
  const char* message;  // substring of the one expected error
  uint32_t line, column;
  std::vector<std::string> loaded;  // addresses that still load
};

TEST(CfnLoader, WrongShapesAreErrorsAtTheValueAndTheRestLoads) {
  const BadCase cases[] = {
      {"resources number",
       "{\n \"Resources\": 5\n}",
       "\"Resources\" must be",
       2,
       15,
       {}},
      {"resources null", "{\"Resources\": null}", "not null", 1, 15, {}},
      {"resources array", "{\"Resources\": [1]}", "not an array", 1, 15, {}},
      {"resource number",
       "{\"Resources\": {\n \"A\": 5,\n \"B\": {\"Type\": "
       "\"AWS::SQS::Queue\"}}}",
       "resource \"t/A\" must be an object, not a number",
       2,
       7,
       {"t/B"}},
      {"resource null",
       "{\"Resources\": {\"A\": null, \"B\": {\"Type\": \"AWS::SQS::Queue\"}}}",
       "not null",
       1,
       21,
       {"t/B"}},
      {"no type",
       "{\"Resources\": {\n  \"A\": {\"Properties\": {}},\n  \"B\": {\"Type\": "
       "\"AWS::SQS::Queue\"}}}",
       "\"t/A\" has no \"Type\"",
       2,
       8,
       {"t/B"}},
      {"type number",
       "{\"Resources\": {\"A\": {\"Type\": 3}, \"B\": {\"Type\": "
       "\"AWS::SQS::Queue\"}}}",
       "\"Type\" of resource \"t/A\" must be a string",
       1,
       30,
       {"t/B"}},
      {"properties null",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\",\n "
       "\"Properties\": null}, \"B\": {\"Type\": \"AWS::SQS::Queue\"}}}",
       "\"Properties\" of resource \"t/A\" must be an object, not null",
       2,
       16,
       {"t/B"}},
      {"properties array",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", "
       "\"Properties\": [1]}}}",
       "not an array",
       1,
       63,
       {}},
      {"metadata string",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", \"Metadata\": "
       "\"x\"}}}",
       "\"Metadata\" of resource \"t/A\" must be an object",
       1,
       61,
       {"t/A"}},
      {"tags number",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", "
       "\"Properties\": {\"Tags\": 4}}}}",
       "tags of resource \"t/A\" must be a list",
       1,
       72,
       {"t/A"}},
      {"tag string",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", "
       "\"Properties\": {\"Tags\": [\"k=v\", {\"Key\": \"a\", \"Value\": "
       "\"b\"}]}}}}",
       "a tag of resource \"t/A\" must be an object",
       1,
       73,
       {"t/A"}},
      {"tag without key",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", "
       "\"Properties\": {\"Tags\": [{\"Value\": \"b\"}]}}}}",
       "has no \"Key\"",
       1,
       73,
       {"t/A"}},
      {"tag key number",
       "{\"Resources\": {\"A\": {\"Type\": \"AWS::SQS::Queue\", "
       "\"Properties\": {\"Tags\": [{\"Key\": 1, \"Value\": \"b\"}]}}}}",
       "\"Key\" of a tag of resource \"t/A\" must be a string",
       1,
       81,
       {"t/A"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Model m = load_text(c.text);
    ASSERT_EQ(m.errors.size(), 1u) << errors_of(m);
    EXPECT_NE(m.errors[0].message.find(c.message), std::string::npos)
        << m.errors[0].message;
    EXPECT_EQ(m.errors[0].file, "t.json");
    EXPECT_EQ(m.errors[0].line, c.line);
    EXPECT_EQ(m.errors[0].column, c.column);
    std::vector<std::string> loaded;
    for (const auto& r : m.resources) loaded.push_back(r.address);
    EXPECT_EQ(loaded, c.loaded);
  }
}

TEST(CfnLoader, StackNameComesFromTheFileName) {
  const char* text =
      R"json({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}})json";
  EXPECT_EQ(load_text(text, "dir/orders.template.json").resources[0].address,
            "orders/Q");
  EXPECT_EQ(load_text(text, "orders.json").resources[0].address, "orders/Q");
  EXPECT_EQ(load_text(text, "orders.cfn").resources[0].address, "orders.cfn/Q");
}

// The real `cdk synth` output in the shared corpus: an app run without the
// CLI (no path metadata) whose metadata side files are not in the corpus.
TEST(CfnLoader, CorpusSynthCdkOut) {
  const char* env = std::getenv("DRCHECK_CORPUS");
  std::string corpus =
      env && *env ? env : std::string(DRCHECK_SOURCE_DIR) + "/../shared/corpus";
  std::string dir = corpus + "/synth/cdk.out";
  if (!fs::exists(dir + "/manifest.json")) GTEST_SKIP() << dir;
  Model m = load(dir);
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  EXPECT_EQ(m.warnings.size(), 3u) << errors_of(m);
  ASSERT_EQ(m.inputs.size(), 3u);
  std::map<std::string, std::set<std::string>> regions;
  for (const auto& r : m.resources) {
    ASSERT_TRUE(r.region.has_value()) << r.address;
    regions[r.stack].insert(*r.region);
    EXPECT_FALSE(r.construct_path.empty()) << r.address;
    EXPECT_EQ(r.account, "111111111111");
  }
  EXPECT_EQ(regions, (std::map<std::string, std::set<std::string>>{
                         {"LegacyNoDr", {"us-east-1"}},
                         {"OrdersDr", {"us-east-2"}},
                         {"OrdersPrimary", {"us-east-1"}}}));
  const Resource* cluster = m.find("OrdersPrimary/OrdersA9B65338");
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(cluster->kind, "aws_rds_cluster");
  EXPECT_EQ(cluster->construct_path, "OrdersPrimary/Orders/Resource");
  EXPECT_EQ(cluster->ref("kms_key_id")->target,
            "OrdersPrimary/DataKey17AFBB84");
  const Resource* global = m.find("OrdersPrimary/GlobalCluster");
  ASSERT_NE(global, nullptr);
  // The Ref inside Fn::Join belongs to the property holding the join.
  ASSERT_NE(global->ref("source_db_cluster_identifier"), nullptr);
  EXPECT_EQ(global->ref("source_db_cluster_identifier")->index,
            m.index_of("OrdersPrimary/OrdersA9B65338"));
}

}  // namespace
}  // namespace drcheck
