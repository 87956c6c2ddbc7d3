// DR002 environment-suffix: fixtures in every format, exact messages, the
// token matcher, Pulumi auto-names, and the engine's suffix inference.
#include "rules/environment_suffix.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzer/engine.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using testing::case_dirs;
using testing::CaseResult;
using testing::run_case;

TEST(EnvironmentSuffix, FailFixturesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR002", "fail");
  ASSERT_GE(dirs.size(), 4u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR002");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
    for (const auto& f : r.findings) EXPECT_EQ(f.level, Level::kWarning);
  }
}

TEST(EnvironmentSuffix, PassFixturesReportNothing) {
  auto dirs = case_dirs("DR002", "pass");
  ASSERT_GE(dirs.size(), 4u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR002");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty()) << *r.reported.begin();
    EXPECT_GE(r.model.resources.size(), 3u);
  }
}

const Finding* find(const CaseResult& r, const std::string& address) {
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address) {
      return &f;
    }
  }
  return nullptr;
}

TEST(EnvironmentSuffix, MessagesNameTheAttributeValueAndSuffix) {
  CaseResult r =
      run_case(testing::fixture("rules/DR002/fail/tf-plan-suffix"), "DR002");
  EXPECT_EQ(r.reported, (std::set<std::string>{"aws_iam_role.fail_exec_role",
                                               "aws_lambda_function.fail_api",
                                               "aws_s3_bucket.fail_logs"}));
  const Finding* logs = find(r, "aws_s3_bucket.fail_logs");
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ(logs->message,
            "aws_s3_bucket.fail_logs bucket 'transaction-logs-prod' does not "
            "contain the environment suffix 'dev' as a token delimited by "
            "'-', '_', '.', '/' or the ends of the name");
  EXPECT_EQ(logs->facts,
            (std::vector<std::string>{"transaction-logs-prod", "dev"}));
  EXPECT_EQ(logs->at.str(), "transaction-logs-prod");
  EXPECT_EQ(logs->at.key(), "bucket");

  CaseResult cfn =
      run_case(testing::fixture("rules/DR002/fail/cfn-suffix"), "DR002");
  const Finding* bucket = find(cfn, "OrdersPrimary/FailBucket31A9C2F0");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->message,
            "OrdersPrimary/FailBucket31A9C2F0 BucketName 'orders-archive-prod' "
            "does not contain the environment suffix 'dev' as a token "
            "delimited by '-', '_', '.', '/' or the ends of the name");

  CaseResult cdktf =
      run_case(testing::fixture("rules/DR002/fail/cdktf-suffix"), "DR002");
  const Finding* api = find(cdktf, "aws_lambda_function.fail-api");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->message,
            "aws_lambda_function.fail-api function_name 'orders-api-Dev' "
            "does not contain the environment suffix 'dev' as a token "
            "delimited by '-', '_', '.', '/' or the ends of the name (found "
            "'Dev'; the suffix is case-sensitive)");
}

TEST(EnvironmentSuffix, InferredSuffixIsSaidInTheMessage) {
  CaseResult r = run_case(
      testing::fixture("rules/DR002/fail/tf-plan-inferred-suffix"), "DR002");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].message,
            "aws_sqs_queue.fail_reports name 'reports-prod' does not contain "
            "the environment suffix 'dev' as a token delimited by '-', '_', "
            "'.', '/' or the ends of the name; the suffix was inferred as the "
            "most common trailing token of resource names (set --env-suffix "
            "to choose it)");
}

TEST(EnvironmentSuffix, TokenMatching) {
  EXPECT_TRUE(has_env_token("app-dev", "dev"));
  EXPECT_TRUE(has_env_token("app_dev", "dev"));
  EXPECT_TRUE(has_env_token("db-v2-dev", "dev"));
  EXPECT_TRUE(has_env_token("api.payments-dev.example.org", "dev"));
  EXPECT_TRUE(has_env_token("dev/orders", "dev"));
  EXPECT_TRUE(has_env_token("dev", "dev"));
  EXPECT_TRUE(has_env_token("devx-dev", "dev"));  // a later occurrence
  EXPECT_TRUE(has_env_token("orders-pr-12", "pr-12"));
  EXPECT_FALSE(has_env_token("devops-api", "dev"));
  EXPECT_FALSE(has_env_token("app-devx", "dev"));
  EXPECT_FALSE(has_env_token("appdev", "dev"));
  EXPECT_FALSE(has_env_token("orders-pr-123", "pr-12"));
  EXPECT_FALSE(has_env_token("APP-DEV", "dev"));
  EXPECT_FALSE(has_env_token("", "dev"));
  EXPECT_FALSE(has_env_token("app-dev", ""));
  EXPECT_EQ(find_env_token_ignoring_case("APP-DEV", "dev"), "DEV");
  EXPECT_EQ(find_env_token_ignoring_case("devops", "dev"), "");
}

class EnvSuffixModel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = json::JsonDoc::parse(SourceFile::from_string(
        "t.json", R"({"s": "x", "sub": {"Fn::Sub": "orders-${Env}"},
                      "inputs": {"__defaults": ["name"]}})"));
    doc_ = std::get<std::shared_ptr<const json::JsonDoc>>(parsed);
  }
  Resource& add(const std::string& address, std::string name,
                Format format = Format::kTerraformPlan) {
    Resource r;
    r.address = address;
    r.kind = "aws_s3_bucket";
    r.format = format;
    r.name = std::move(name);
    r.name_attribute = "bucket";
    r.name_at = doc_->root()["s"];
    model_.resources.push_back(std::move(r));
    return model_.resources.back();
  }
  // The suffix inferred on one thread; every job count must agree (the
  // model is read in chunks of 4096 resources, see the large cases below).
  std::string inferred() {
    ScanOptions options;
    infer_env_suffix(model_, options);
    EXPECT_EQ(options.env_suffix_inferred, !options.env_suffix.empty());
    for (unsigned jobs : {2u, 3u, 8u}) {
      ScanOptions sliced;
      infer_env_suffix(model_, sliced, jobs);
      EXPECT_EQ(sliced.env_suffix, options.env_suffix) << jobs << " jobs";
    }
    return options.env_suffix;
  }
  std::shared_ptr<const json::JsonDoc> doc_;
  Model model_;
};

TEST_F(EnvSuffixModel, InferenceCutsRegionsAndNumbers) {
  add("a", "logs-dev-us-east-1");
  add("b", "archive-dev-123456789012");
  add("c", "web-dev-01");
  add("d", "reports-prod");
  add("e", "db-gov-dev-us-gov-west-1");
  EXPECT_EQ(inferred(), "dev");
}

TEST_F(EnvSuffixModel, InferenceNeedsMostNamesToAgree) {
  add("a", "orders-x");
  add("b", "sessions-y");
  add("c", "single");  // one token: no vote, but a name without the token
  EXPECT_EQ(inferred(), "");
  add("d", "archive-y");
  EXPECT_EQ(inferred(), "");  // 2 of 4 names: no majority
  add("e", "media-y");
  EXPECT_EQ(inferred(), "y");
}

TEST_F(EnvSuffixModel, InferenceNeedsAMajorityAndGivenSuffixWins) {
  add("a", "a-prod");
  add("b", "b-prod");
  add("c", "c-dev");
  add("d", "d-dev");
  EXPECT_EQ(inferred(), "");  // a tie is no convention
  add("e", "e-dev");
  EXPECT_EQ(inferred(), "dev");
  ScanOptions options;
  options.env_suffix = "qa";
  infer_env_suffix(model_, options);
  EXPECT_EQ(options.env_suffix, "qa");
  EXPECT_FALSE(options.env_suffix_inferred);
}

TEST_F(EnvSuffixModel, InferenceCutsRegionCodesAndRoleWords) {
  add("a", "orders-dev-use1");
  add("b", "sessions-dev-primary");
  add("c", "logs-dev-dr");
  add("d", "archive-dev-apse2-0");
  add("e", "orders-dr");           // no vote: one token left
  add("f", "alerts-dev-eaa321d");  // Pulumi auto-name suffix
  EXPECT_EQ(inferred(), "dev");
}

// Counts from several chunks of the model add up: the first chunk alone
// would choose "qa", the whole model chooses "prod"; an even split is no
// convention.
TEST_F(EnvSuffixModel, InferenceCountsEveryChunkOfALargeModel) {
  for (int i = 0; i < 10000; ++i) {
    std::string n = "bucket" + std::to_string(i);
    add(n, n + (i < 4096 ? "-qa" : "-prod"));
  }
  EXPECT_EQ(inferred(), "prod");
  model_.resources.clear();
  for (int i = 0; i < 10000; ++i) {
    std::string n = "bucket" + std::to_string(i);
    add(n, n + (i % 2 ? "-qa" : "-prod"));
  }
  EXPECT_EQ(inferred(), "");
}

TEST_F(EnvSuffixModel, NoConventionNoInference) {
  // The names of corpus/synth/cdk.out: role words and bare names.
  for (const char* n :
       {"alias/orders", "alias/orders-dr", "orders", "orders-dr",
        "orders-global", "orders-primary", "sessions"}) {
    add(n, n);
  }
  EXPECT_EQ(inferred(), "");
  // corpus/synth/cdktf.out: region codes, roles, indexes, plain words.
  for (const char* n :
       {"billing-use1", "orders-use1", "orders-use1-0", "orders-use2-1",
        "profiles-euc1", "profiles-euw1", "primary-db", "secondary-db",
        "only-db", "orders-backup", "orders-daily", "billing-global"}) {
    add(n, n);
  }
  EXPECT_EQ(inferred(), "");
}

TEST_F(EnvSuffixModel, ComputedNamesNeitherVoteNorGetJudged) {
  add("a", "${var.prefix}-staging");
  add("b", "orders-${var.env}-staging");
  add("c", "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  Resource& d = add("d", "orders-staging");
  d.name_at = doc_->root()["sub"];  // a CloudFormation Fn::Sub
  add("e", "reports-dev");
  EXPECT_EQ(inferred(), "");
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_FALSE(is_literal_name(model_.resources[i])) << i;
  }
  EXPECT_TRUE(is_literal_name(model_.resources[4]));

  ScanOptions options;
  options.env_suffix = "dev";
  std::vector<Finding> out;
  EnvironmentSuffixRule().check(model_, options, out);
  EXPECT_TRUE(out.empty());
}

TEST_F(EnvSuffixModel, PulumiAutoNamesAreNotUserSet) {
  const std::string urn = "urn:pulumi:dev::orders::aws:s3/bucket:Bucket::";
  add(urn + "logs", "logs-3f9c2a1", Format::kPulumiState);
  add(urn + "logs2", "logs2-3F9C2A1", Format::kPulumiState);  // not hex-lower
  add(urn + "media", "media-3f9c2a", Format::kPulumiState);   // 6 digits
  Resource& d = add(urn + "other", "orders-logs", Format::kPulumiState);
  d.name_attribute = "name";
  d.envelope = doc_->root();  // inputs.__defaults lists "name"
  EXPECT_FALSE(is_literal_name(model_.resources[0]));
  EXPECT_TRUE(is_literal_name(model_.resources[1]));
  EXPECT_TRUE(is_literal_name(model_.resources[2]));
  EXPECT_FALSE(is_literal_name(model_.resources[3]));
  // In Terraform the same shape is a user-set name.
  add("aws_s3_bucket.logs", "logs-3f9c2a1");
  EXPECT_TRUE(is_literal_name(model_.resources[4]));
}

TEST_F(EnvSuffixModel, NoSuffixNoFindings) {
  add("a", "orders-prod");
  std::vector<Finding> out;
  EnvironmentSuffixRule().check(model_, ScanOptions{}, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace drcheck
