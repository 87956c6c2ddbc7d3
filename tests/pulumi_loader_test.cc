// Tests of the Pulumi state loader (load_pulumi) on the fixtures under
// fixtures/formats/pulumi/ and on in-memory states with wrong shapes.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzer/loader.h"
#include "analyzer/model.h"

namespace drcheck {
namespace {

std::string fixture(const std::string& rel) {
  return std::string(DRCHECK_SOURCE_DIR) + "/fixtures/formats/pulumi/" + rel;
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
  Src source;
  std::vector<std::pair<std::string, std::string>> refs;  // attr, resolved
  std::string stack;
};

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
    EXPECT_EQ(r->format, Format::kPulumiState);
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
    EXPECT_EQ(r->construct_path, "");
    if (e.source.file.empty()) {
      EXPECT_FALSE(r->source_ref.has_value());
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
    EXPECT_EQ(r->stack, e.stack);
    // `at` is where the resource object starts: its "urn" follows.
    ASSERT_TRUE(r->at.valid());
    EXPECT_EQ(r->at.file->text()[r->at.offset], '{');
    EXPECT_EQ(r->envelope["urn"].str(), r->address);
  }
}

Model load(const std::string& path) {
  Model m;
  load_path(path, LoadOptions{}, m);
  m.finalize({});
  return m;
}

std::string errors_of(const Model& m) {
  std::string out;
  for (const auto& d : m.errors) out += d.str() + "\n";
  for (const auto& d : m.warnings) out += d.str() + "\n";
  return out;
}

Model load_text(const std::string& text) {
  Model m;
  auto src = SourceFile::from_string("s.json", text);
  auto doc = json::JsonDoc::parse(src);
  if (auto* d = std::get_if<Diagnostic>(&doc)) {
    ADD_FAILURE() << d->str();
    return m;
  }
  load_document(std::get<std::shared_ptr<const json::JsonDoc>>(doc), "s.json",
                LoadOptions{}, m, true);
  m.finalize({});
  return m;
}

const std::string kNet = "urn:pulumi:prod::payments-network::";

TEST(PulumiLoader, ExplicitProvidersInTwoRegions) {
  Model m = load(fixture("explicit-providers/stack.json"));
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  const std::string use1 = "provider " + kNet + "pulumi:providers:aws::use1";
  const std::string usw2 = "provider " + kNet + "pulumi:providers:aws::usw2";
  const std::string pvpc =
      kNet + "acme:network:RegionalVpc$aws:ec2/vpc:Vpc::primary-vpc";
  const std::string dvpc =
      kNet + "acme:network:RegionalVpc$aws:ec2/vpc:Vpc::dr-vpc";
  const std::string pcx =
      kNet + "aws:ec2/vpcPeeringConnection:VpcPeeringConnection::primary-to-dr";
  check_all(m, {
                   {pvpc,
                    "aws_vpc",
                    "us-east-1",
                    use1,
                    {{"DR-Role", "primary"},
                     {"Environment", "prod"},
                     {"Name", "payments-primary"}},
                    "",
                    {"network.ts", 21, 21},
                    {},
                    "prod"},
                   {dvpc,
                    "aws_vpc",
                    "us-west-2",
                    usw2,
                    {{"DR-Role", "dr"},
                     {"Environment", "prod"},
                     {"Name", "payments-dr"}},
                    "",
                    {"network.ts", 21, 21},
                    {},
                    "prod"},
                   {pcx,
                    "aws_vpc_peering_connection",
                    "us-east-1",
                    use1,
                    {{"DR-Role", "primary"},
                     {"Environment", "prod"},
                     {"Name", "payments-primary-to-dr"}},
                    "",
                    {"index.ts", 13, 23},
                    {{"peer_vpc_id", dvpc}, {"vpc_id", pvpc}},
                    "prod"},
                   {kNet + "aws:ec2/vpcPeeringConnectionAccepter:"
                           "VpcPeeringConnectionAccepter::dr-accept",
                    "aws_vpc_peering_connection_accepter",
                    "us-west-2",
                    usw2,
                    {{"DR-Role", "dr"},
                     {"Environment", "prod"},
                     {"Name", "payments-dr-accept"}},
                    "",
                    {"index.ts", 19, 19},
                    {{"vpc_peering_connection_id", pcx}},
                    "prod"},
                   {kNet + "aws:dynamodb/table:Table::sessions",
                    "aws_dynamodb_table",
                    "us-east-1",
                    use1,
                    {{"DR-Role", "primary"}, {"Environment", "prod"}},
                    "payments-sessions-prod",
                    {"index.ts", 25, 18},
                    {},
                    "prod"},
               });
  const Resource* vpc = m.find(pvpc);
  EXPECT_EQ(vpc->id, "vpc-0a1b2c3d4e5f60718");
  EXPECT_EQ(vpc->arn,
            "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d4e5f60718");
  EXPECT_EQ(vpc->account, "123456789012");
  EXPECT_EQ(vpc->attr("cidr_block").str(), "10.10.0.0/16");
  EXPECT_EQ(vpc->attributes.key(), "outputs");
  EXPECT_FALSE(vpc->tag("Name")->from_default);
  EXPECT_EQ(vpc->provider_key,
            kNet +
                "pulumi:providers:aws::use1::5b0f8c3e-1a2d-4c6e-9f7a-"
                "2b3c4d5e6f70");
  // The peer VPC is found by literal id too (Model::by_id_or_arn).
  const Resource* peering = m.find(pcx);
  EXPECT_EQ(m.by_id_or_arn(peering->attr("peer_vpc_id").str()), m.find(dvpc));
  EXPECT_EQ(peering->ref("peer_vpc_id")->at.position().line, 225u);
  EXPECT_EQ(m.primary_region, "us-east-1");
  EXPECT_EQ(m.dr_region, "us-west-2");
}

TEST(PulumiLoader, DefaultProviderAndNonAwsResources) {
  Model m = load(fixture("default-provider/stack.json"));
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  const std::string l = "urn:pulumi:dev::ledger::";
  const std::string def =
      "provider " + l + "pulumi:providers:aws::default_6_66_2 inputs.region";
  const std::map<std::string, std::string> t = {{"DR-Role", "primary"},
                                                {"Environment", "dev"}};
  check_all(m,
            {
                {l + "random:index/randomPet:RandomPet::suffix",
                 "random:index/randomPet:RandomPet",
                 "",
                 "its provider " + l +
                     "pulumi:providers:random::default_4_16_8 sets no region",
                 {},
                 "",
                 {"__main__.py", 8, 0},
                 {},
                 "dev"},
                // pulumi-aws v6 BucketV2, auto-named: the input is the name.
                {l + "aws:s3/bucketV2:BucketV2::archive",
                 "aws_s3_bucket",
                 "eu-west-1",
                 def,
                 t,
                 "archive-7c3e9a1",
                 {"__main__.py", 11, 0},
                 {},
                 "dev"},
                {l + "aws:s3/bucketVersioningV2:BucketVersioningV2::"
                     "archive-versioning",
                 "aws_s3_bucket_versioning",
                 "eu-west-1",
                 def,
                 {},
                 "",
                 {"__main__.py", 14, 0},
                 {{"bucket", l + "aws:s3/bucketV2:BucketV2::archive"}},
                 "dev"},
                {l + "aws:sqs/queue:Queue::ledger-events",
                 "aws_sqs_queue",
                 "eu-west-1",
                 def,
                 t,
                 "ledger-events-dev-quiet-heron",
                 {"__main__.py", 19, 0},
                 {{"name", l + "random:index/randomPet:RandomPet::suffix"}},
                 "dev"},
                {l + "aws:iam/role:Role::ledger-worker",
                 "aws_iam_role",
                 "eu-west-1",
                 def,
                 {},
                 "ledger-worker-3f8d2b6",
                 {"__main__.py", 24, 0},
                 {},
                 "dev"},
            });
  const Resource* queue = m.find(l + "aws:sqs/queue:Queue::ledger-events");
  EXPECT_EQ(queue->name_attribute, "name");
  EXPECT_EQ(queue->name_at.key(), "name");
  EXPECT_EQ(queue->name_at.position().line, 177u);  // in "inputs"
  EXPECT_EQ(queue->arn,
            "arn:aws:sqs:eu-west-1:210987654321:ledger-events-dev-quiet-heron");
  EXPECT_EQ(m.find(l + "aws:iam/role:Role::ledger-worker")->role,
            Role::kGlobal);
}

TEST(PulumiLoader, SelfManagedCheckpointVersion3) {
  Model m = load(fixture("checkpoint-v3"));  // a walk finds .pulumi/stacks
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kPulumiState);
  const std::string o = "urn:pulumi:dev::orders-db::";
  const std::string def =
      "provider " + o + "pulumi:providers:aws::default_6_59_1 inputs.region";
  const std::string global =
      o + "aws:rds/globalCluster:GlobalCluster::orders-global";
  const std::string cluster = o + "aws:rds/cluster:Cluster::orders-primary";
  const std::map<std::string, std::string> t = {{"DR-Role", "primary"},
                                                {"Environment", "dev"}};
  check_all(
      m, {
             {global,
              "aws_rds_global_cluster",
              "us-east-2",
              def,
              {},
              "orders-global-dev",
              {"index.ts", 4, 23},
              {},
              "dev"},
             {cluster,
              "aws_rds_cluster",
              "us-east-2",
              def,
              t,
              "orders-primary-dev",
              {"index.ts", 12, 24},
              {{"engine", global},
               {"engine_version", global},
               {"global_cluster_identifier", global}},
              "dev"},
             // The replaced copy marked "delete": true is not loaded.
             {o + "aws:rds/clusterInstance:ClusterInstance::orders-primary-1",
              "aws_rds_cluster_instance",
              "us-east-2",
              def,
              t,
              "orders-primary-dev-1",
              {"index.ts", 27, 27},
              {{"cluster_identifier", cluster}, {"engine", cluster}},
              "dev"},
         });
  EXPECT_EQ(m.find(global)->role, Role::kGlobal);
  // A secret stays an object the rules can see is not a literal.
  EXPECT_TRUE(m.find(cluster)->attr("master_password").is_object());
  EXPECT_EQ(m.find(cluster)->attr("deletion_protection").boolean(), true);
}

TEST(PulumiLoader, ProviderDefaultTagsAsJsonStringOrObject) {
  Model m = load(fixture("default-tags-string/stack.json"));
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  const std::string r = "urn:pulumi:prod::reporting::";
  const std::string def =
      "provider " + r + "pulumi:providers:aws::default_6_67_0 inputs.region";
  check_all(m, {
                   {r + "aws:sns/topic:Topic::alerts",
                    "aws_sns_topic",
                    "us-east-1",
                    def,
                    {{"CostCenter", ""},
                     {"DR-Role", "primary"},
                     {"Environment", "prod"},
                     {"Name", "reporting-alerts"},
                     {"Owner", "reporting-team"}},
                    "reporting-alerts-prod",
                    {"index.ts", 9, 15},
                    {},
                    "prod"},
                   {r + "aws:kms/key:Key::reports-key",
                    "aws_kms_key",
                    "us-east-1",
                    def,
                    {{"DR-Role", "primary"},
                     {"Environment", "prod"},
                     {"Name", "reports"},
                     {"Owner", "reporting-team"}},
                    "",
                    {"index.ts", 14, 20},
                    {},
                    "prod"},
                   {r + "aws:sqs/queue:Queue::dr-queue",
                    "aws_sqs_queue",
                    "us-west-2",
                    "provider " + r + "pulumi:providers:aws::dr inputs.region",
                    {{"DR-Role", "dr"},
                     {"Environment", "prod"},
                     {"Name", "reporting-dr"}},
                    "reporting-dr-prod",
                    {"index.ts", 18, 17},
                    {},
                    "prod"},
               });
  // Topic: explicit tags, then tagsAll (which already holds the defaults).
  const Resource* topic = m.find(r + "aws:sns/topic:Topic::alerts");
  EXPECT_FALSE(topic->tag("Name")->from_default);
  EXPECT_TRUE(topic->tag("Owner")->from_default);
  EXPECT_EQ(topic->tag("Owner")->at.position().line, 113u);  // tagsAll
  // A secret tag value is unknown: empty value, `at` on the secret object.
  EXPECT_TRUE(topic->tag("CostCenter")->at.is_object());
  // Key: no tagsAll, so the provider's JSON-string defaultTags apply; `at`
  // is that string in the state file.
  const Resource* key = m.find(r + "aws:kms/key:Key::reports-key");
  const Tag* owner = key->tag("Owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_TRUE(owner->from_default);
  EXPECT_TRUE(owner->at.is_string());
  EXPECT_EQ(owner->at.key(), "defaultTags");
  EXPECT_EQ(owner->at.position().line, 30u);
  EXPECT_EQ(owner->at.source(), key->at.file);
  EXPECT_FALSE(key->tag("Name")->from_default);
  // Queue: the explicit provider's defaultTags object.
  const Resource* queue = m.find(r + "aws:sqs/queue:Queue::dr-queue");
  EXPECT_TRUE(queue->tag("DR-Role")->from_default);
  EXPECT_EQ(queue->tag("DR-Role")->at.str(), "dr");
  EXPECT_EQ(queue->tag("DR-Role")->at.position().line, 54u);
}

TEST(PulumiLoader, PerResourceRegionProviderRegionArnOrNull) {
  Model m = load(fixture("per-resource-region/stack.json"));
  EXPECT_TRUE(m.errors.empty() && m.warnings.empty()) << errors_of(m);
  const std::string p = "urn:pulumi:prod::media::";
  const std::string def =
      "provider " + p + "pulumi:providers:aws::default_7_2_0 inputs.region";
  const std::map<std::string, std::string> pri = {{"DR-Role", "primary"},
                                                  {"Environment", "prod"}};
  check_all(
      m, {
             {p + "aws:s3/bucket:Bucket::source",
              "aws_s3_bucket",
              "us-east-1",
              def,
              pri,
              "media-source-prod",
              {"src/storage.ts", 8, 20},
              {},
              "prod"},
             // pulumi-aws v7: the resource's own region input wins.
             {p + "aws:s3/bucket:Bucket::replica",
              "aws_s3_bucket",
              "us-west-2",
              "resource input region",
              {{"DR-Role", "dr"}, {"Environment", "prod"}},
              "media-replica-prod",
              {"src/storage.ts", 14, 21},
              {},
              "prod"},
             {p + "aws:s3/bucketReplicationConfig:BucketReplicationConfig::"
                  "source-to-replica",
              "aws_s3_bucket_replication_configuration",
              "us-east-1",
              def,
              {},
              "",
              {"src/storage.ts", 20, 5},
              {{"bucket", p + "aws:s3/bucket:Bucket::source"},
               {"rules", p + "aws:s3/bucket:Bucket::replica"}},
              "prod"},
             // Its provider sets no region: the ARN tells.
             {p + "aws:dynamodb/table:Table::catalog",
              "aws_dynamodb_table",
              "us-east-2",
              "ARN arn:aws:dynamodb:us-east-2:123456789012:table/"
              "media-catalog-prod",
              pri,
              "media-catalog-prod",
              {"src/catalog.ts", 6, 22},
              {},
              "prod"},
             {p + "aws:route53/healthCheck:HealthCheck::cdn-origin",
              "aws_route53_health_check",
              "",
              "its provider " + p +
                  "pulumi:providers:aws::legacy sets no region (it came from "
                  "the environment at deploy time)",
              {{"DR-Role", "global"}, {"Environment", "prod"}},
              "",
              {"src/dns.ts", 11, 25},
              {},
              "prod"},
         });
}

TEST(PulumiLoader, OtherStateShapes) {
  // Version 0 checkpoint: {"target", "latest"}; no provider: default aws.
  Model v0 = load_text(R"json({"target": "foo", "latest": {"resources": [
    {"urn": "urn:pulumi:foo::p::pulumi:providers:aws::default", "custom": true,
     "type": "pulumi:providers:aws", "inputs": {"region": "us-east-2"}},
    {"urn": "urn:pulumi:foo::p::aws:sns/topic:Topic::t", "custom": true,
     "id": "arn:aws:sns:us-east-2:1:t", "type": "aws:sns/topic:Topic",
     "outputs": {"name": "t"}}]}})json");
  EXPECT_TRUE(v0.errors.empty()) << errors_of(v0);
  ASSERT_EQ(v0.resources.size(), 1u);
  EXPECT_EQ(v0.resources[0].region.value_or(""), "us-east-2");
  EXPECT_NE(v0.resources[0].region_source.find("default"), std::string::npos);
  EXPECT_EQ(v0.resources[0].arn, "arn:aws:sns:us-east-2:1:t");  // from id
  EXPECT_EQ(v0.resources[0].stack, "foo");
  EXPECT_EQ(v0.resources[0].name.value_or(""), "t");  // no inputs: outputs

  // A bare deployment; URNs without "urn:pulumi:" take no stack.
  Model bare = load_text(R"json({"manifest": {}, "resources": [
    {"urn": "x", "custom": true, "type": "aws:sqs/queue:Queue",
     "outputs": {"arn": "arn:aws:sqs:eu-west-3:1:q"}}]})json");
  EXPECT_TRUE(bare.errors.empty()) << errors_of(bare);
  ASSERT_EQ(bare.resources.size(), 1u);
  EXPECT_EQ(bare.resources[0].region.value_or(""), "eu-west-3");
  EXPECT_EQ(bare.resources[0].stack, "");

  // Two default aws providers that disagree: no guess.
  Model two = load_text(R"json({"version": 3, "deployment": {"resources": [
    {"urn": "urn:pulumi:s::p::pulumi:providers:aws::default_5_0_0",
     "custom": true, "type": "pulumi:providers:aws",
     "inputs": {"region": "us-east-1"}},
    {"urn": "urn:pulumi:s::p::pulumi:providers:aws::default_6_0_0",
     "custom": true, "type": "pulumi:providers:aws",
     "inputs": {"region": "us-west-1"}},
    {"urn": "urn:pulumi:s::p::aws:sqs/queue:Queue::q", "custom": true,
     "type": "aws:sqs/queue:Queue"},
    {"urn": "urn:pulumi:s::p::aws:sqs/queue:Queue::r", "custom": true,
     "type": "aws:sqs/queue:Queue",
     "provider": "urn:pulumi:s::p::pulumi:providers:aws::gone::1234"}]}})json");
  EXPECT_TRUE(two.errors.empty()) << errors_of(two);
  ASSERT_EQ(two.resources.size(), 2u);
  EXPECT_FALSE(two.resources[0].region.has_value());
  EXPECT_NE(two.resources[0].region_source.find("disagree"), std::string::npos);
  EXPECT_FALSE(two.resources[1].region.has_value());
  EXPECT_NE(two.resources[1].region_source.find(
                "urn:pulumi:s::p::pulumi:providers:aws::gone is not in the "
                "state"),
            std::string::npos)
      << two.resources[1].region_source;

  // Version 4 with known features loads; an empty stack loads nothing.
  Model v4 =
      load_text(R"json({"version": 4, "features": ["refreshBeforeUpdate"],
    "checkpoint": {"stack": "s", "latest": {"resources": [
      {"urn": "urn:pulumi:s::p::aws:sqs/queue:Queue::q", "custom": true,
       "type": "aws:sqs/queue:Queue", "refreshBeforeUpdate": true}]}}})json");
  EXPECT_TRUE(v4.errors.empty()) << errors_of(v4);
  EXPECT_EQ(v4.resources.size(), 1u);
  Model empty =
      load_text(R"json({"version": 3, "checkpoint": {"stack": "s"}})json");
  EXPECT_TRUE(empty.errors.empty()) << errors_of(empty);
  EXPECT_EQ(empty.resources.size(), 0u);
  EXPECT_EQ(empty.inputs.size(), 1u);
}

TEST(PulumiLoader, UnsupportedVersionsAndFeaturesAreRejected) {
  struct Case {
    const char* text;
    const char* message;
    uint32_t line, column;
  };
  const Case cases[] = {
      {"{\"version\": 4,\n \"features\": [\"refreshBeforeUpdate\", "
       "\"unsupported-feature\"],\n \"checkpoint\": {\"latest\": "
       "{\"resources\": "
       "[{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::q\", \"custom\": "
       "true, \"type\": \"aws:sqs/queue:Queue\"}]}}}",
       "uses the feature \"unsupported-feature\"", 2, 38},
      {"{\"version\": 9, \"deployment\": {\"resources\": []}}",
       "version 9 is not supported", 1, 13},
      {"{\"version\": \"3\", \"deployment\": {\"resources\": []}}",
       "\"version\" must be an integer, not a string", 1, 13},
      {"{\"version\": 4, \"features\": \"x\", \"deployment\": {}}",
       "\"features\" must be an array", 1, 28},
      {"{\"version\": 4, \"features\": [7], \"deployment\": {}}",
       "feature must be a string", 1, 29},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Model m = load_text(c.text);
    ASSERT_EQ(m.errors.size(), 1u) << errors_of(m);
    EXPECT_NE(m.errors[0].message.find(c.message), std::string::npos)
        << m.errors[0].message;
    EXPECT_EQ(m.errors[0].line, c.line);
    EXPECT_EQ(m.errors[0].column, c.column);
    EXPECT_EQ(m.resources.size(), 0u);
  }
}

TEST(PulumiLoader, WrongShapesAreErrorsAtTheValueAndTheRestLoads) {
  struct Case {
    const char* name;
    const char* resources;  // the "resources" value
    const char* message;
    uint32_t column;  // all on line 2
    size_t loaded;
  };
  const std::string good =
      "{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::ok\", \"custom\": "
      "true, \"type\": \"aws:sqs/queue:Queue\"}";
  const Case cases[] = {
      {"resources object", "{}", "\"resources\" must be an array", 2, 0},
      {"resources string", "\"x\"", "not a string", 2, 0},
      {"resources null", "null", "not null", 2, 0},
      {"outputs null",
       "[{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::x\", \"custom\": "
       "true, \"type\": \"aws:sqs/queue:Queue\", \"outputs\": null}]",
       "must be an object, not null", 112, 1},
      {"element number", "[5, GOOD]",
       "resource must be an object, not a number", 3, 1},
      {"element null", "[null, GOOD]", "not null", 3, 1},
      {"no urn", "[{\"type\": \"aws:sqs/queue:Queue\"}, GOOD]",
       "needs a \"urn\" string", 3, 1},
      {"urn number", "[{\"urn\": 1, \"type\": \"t\"}, GOOD]",
       "needs a \"urn\" string", 11, 1},
      {"no type",
       "[{\"urn\": \"urn:pulumi:s::p::t::x\", \"custom\": true}, GOOD]",
       "needs a \"type\" string", 3, 1},
      {"type array",
       "[{\"urn\": \"urn:pulumi:s::p::t::x\", \"type\": [], \"custom\": true}, "
       "GOOD]",
       "needs a \"type\" string", 44, 1},
      {"inputs array",
       "[{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::x\", \"custom\": "
       "true, \"type\": \"aws:sqs/queue:Queue\", \"inputs\": []}, GOOD]",
       "\"inputs\" of Pulumi resource urn:pulumi:s::p::aws:sqs/queue:Queue::x "
       "must be an object, not an array",
       111, 2},
      {"custom string",
       "[{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::x\", \"custom\": "
       "\"yes\", \"type\": \"aws:sqs/queue:Queue\"}, GOOD]",
       "\"custom\" of Pulumi resource", 64, 1},
      {"property dependencies array",
       "[{\"urn\": \"urn:pulumi:s::p::aws:sqs/queue:Queue::x\", \"custom\": "
       "true, \"type\": \"aws:sqs/queue:Queue\", \"propertyDependencies\": "
       "[1]}]",
       "\"propertyDependencies\" of Pulumi resource", 125, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string resources = c.resources;
    if (auto pos = resources.find("GOOD"); pos != std::string::npos) {
      resources.replace(pos, 4, good);
    }
    Model m = load_text("{\"version\": 3, \"deployment\": {\"resources\":\n " +
                        resources + "}}");
    ASSERT_EQ(m.errors.size(), 1u) << errors_of(m);
    EXPECT_NE(m.errors[0].message.find(c.message), std::string::npos)
        << m.errors[0].message;
    EXPECT_EQ(m.errors[0].file, "s.json");
    EXPECT_EQ(m.errors[0].line, 2u);
    EXPECT_EQ(m.errors[0].column, c.column);
    EXPECT_EQ(m.resources.size(), c.loaded);
  }

  // Wrong deployment / checkpoint shapes.
  Model d = load_text("{\"version\": 3, \"deployment\": [1]}");
  ASSERT_EQ(d.errors.size(), 1u) << errors_of(d);
  EXPECT_EQ(d.errors[0].column, 30u);
  Model c = load_text("{\"version\": 3, \"checkpoint\": 5}");
  ASSERT_EQ(c.errors.size(), 1u) << errors_of(c);
  EXPECT_NE(c.errors[0].message.find("\"checkpoint\" must be an object"),
            std::string::npos);
  Model n = load_text("{\"version\": 3, \"deployment\": null}");
  ASSERT_EQ(n.errors.size(), 1u) << errors_of(n);
  EXPECT_NE(n.errors[0].message.find("must be an object, not null"),
            std::string::npos);
  EXPECT_EQ(n.errors[0].column, 30u);
  Model cn = load_text("{\"version\": 3, \"checkpoint\": null}");
  ASSERT_EQ(cn.errors.size(), 1u) << errors_of(cn);
  EXPECT_EQ(cn.errors[0].column, 30u);
  // A checkpoint whose "latest" is null was never deployed: no error.
  Model never = load_text(
      "{\"version\": 3, \"checkpoint\": {\"stack\": \"s\", \"latest\": null}}");
  EXPECT_TRUE(never.errors.empty()) << errors_of(never);
  EXPECT_EQ(never.resources.size(), 0u);
}

TEST(PulumiLoader, UnreadableDefaultTagsStringIsAWarning) {
  Model m = load_text(R"json({"version": 3, "deployment": {"resources": [
    {"urn": "urn:pulumi:s::p::pulumi:providers:aws::default_6_0_0",
     "custom": true, "type": "pulumi:providers:aws",
     "inputs": {"region": "us-east-1", "defaultTags": "{\"tags\": {"}},
    {"urn": "urn:pulumi:s::p::aws:sqs/queue:Queue::q", "custom": true,
     "type": "aws:sqs/queue:Queue", "outputs": {"tags": {"A": "b"}}}]}})json");
  EXPECT_TRUE(m.errors.empty()) << errors_of(m);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_NE(m.warnings[0].message.find("defaultTags is not valid JSON"),
            std::string::npos);
  EXPECT_EQ(m.warnings[0].line, 4u);
  EXPECT_EQ(m.warnings[0].column, 55u);
  ASSERT_EQ(m.resources.size(), 1u);
  EXPECT_EQ(m.resources[0].region.value_or(""), "us-east-1");
  EXPECT_EQ(m.resources[0].tags.size(), 1u);
}

}  // namespace
}  // namespace drcheck
