// DR001 required-tags: fixtures in every format, exact messages, and the
// rule's helpers on hand-built models.
#include "rules/required_tags.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using testing::case_dirs;
using testing::CaseResult;
using testing::run_case;

TEST(RequiredTags, FailFixturesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR001", "fail");
  ASSERT_GE(dirs.size(), 4u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR001");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
  }
}

TEST(RequiredTags, PassFixturesReportNothing) {
  auto dirs = case_dirs("DR001", "pass");
  ASSERT_GE(dirs.size(), 4u);
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR001");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty()) << *r.reported.begin();
    EXPECT_GE(r.model.resources.size(), 2u);
  }
}

// The finding on `address` whose first fact is `kind`.
const Finding* find(const CaseResult& r, const std::string& address,
                    const std::string& kind) {
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address &&
        !f.facts.empty() && f.facts[0] == kind) {
      return &f;
    }
  }
  return nullptr;
}

TEST(RequiredTags, MissingKeysWithCaseHintAndEmptyValue) {
  CaseResult r = run_case(
      testing::fixture("rules/DR001/fail/tf-plan-missing-tags"), "DR001");
  ASSERT_EQ(r.findings.size(), 3u);

  const Finding* events = find(r, "aws_sqs_queue.fail_events", "missing");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(events->message,
            "aws_sqs_queue.fail_events is missing required tag DR-Role "
            "(found 'dr-role'; tag keys are case-sensitive); its tags: "
            "Environment, Project, dr-role");
  EXPECT_EQ(events->facts, (std::vector<std::string>{"missing", "DR-Role"}));
  EXPECT_EQ(events->level, Level::kError);
  // `at` is the resource's tags object in planned_values.
  ASSERT_TRUE(events->at.is_object());
  EXPECT_EQ(events->at.key(), "tags");
  EXPECT_EQ(events->at["dr-role"].str(), "primary");

  const Finding* sessions =
      find(r, "aws_dynamodb_table.fail_sessions", "missing");
  ASSERT_NE(sessions, nullptr);
  EXPECT_EQ(sessions->message,
            "aws_dynamodb_table.fail_sessions is missing required tag "
            "Environment (set but empty); its tags: DR-Role, Environment, "
            "Project");
  EXPECT_EQ(sessions->facts,
            (std::vector<std::string>{"missing", "Environment"}));

  // Environment comes from the provider's default_tags; DR-Role from
  // nowhere.
  const Finding* logs = find(r, "aws_s3_bucket.fail_logs", "missing");
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ(logs->message,
            "aws_s3_bucket.fail_logs is missing required tag DR-Role; its "
            "tags: Environment, Owner, Project");
}

TEST(RequiredTags, DrRolePatternAndRegionAgreement) {
  CaseResult r =
      run_case(testing::fixture("rules/DR001/fail/tf-plan-dr-role"), "DR001");
  ASSERT_EQ(r.findings.size(), 4u);

  const Finding* vpc = find(r, "aws_vpc.fail_dr_vpc", "dr-role-region");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->message,
            "aws_vpc.fail_dr_vpc has DR-Role 'primary' (from provider "
            "default tags) but is in us-west-2, the DR region; expected "
            "DR-Role 'dr'");
  EXPECT_EQ(vpc->facts,
            (std::vector<std::string>{"dr-role-region", "primary", "dr"}));
  EXPECT_EQ(vpc->at.str(), "primary");

  const Finding* role = find(r, "aws_iam_role.fail_app_role", "dr-role-region");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->message,
            "aws_iam_role.fail_app_role has DR-Role 'primary' (from provider "
            "default tags) but is a global resource (aws_iam_role); expected "
            "DR-Role 'global'");

  const Finding* queue = find(r, "aws_sqs_queue.fail_queue", "dr-role-value");
  ASSERT_NE(queue, nullptr);
  EXPECT_EQ(queue->message,
            "aws_sqs_queue.fail_queue has DR-Role 'secondary', which does not "
            "match the allowed pattern ^(primary|dr|global)$");
  EXPECT_EQ(queue->facts,
            (std::vector<std::string>{"dr-role-value", "secondary"}));
  EXPECT_EQ(queue->at.str(), "secondary");
  EXPECT_EQ(queue->at.key(), "DR-Role");

  const Finding* dlq = find(r, "aws_sqs_queue.fail_dlq", "dr-role-value");
  ASSERT_NE(dlq, nullptr);
  EXPECT_EQ(dlq->message,
            "aws_sqs_queue.fail_dlq has DR-Role 'Primary', which does not "
            "match the allowed pattern ^(primary|dr|global)$ (values are "
            "case-sensitive)");
}

TEST(RequiredTags, CloudFormationAndPulumiMessages) {
  CaseResult cfn =
      run_case(testing::fixture("rules/DR001/fail/cfn-missing-tags"), "DR001");
  const Finding* bucket =
      find(cfn, "OrdersDr/FailDrBucket9B3E77D0", "dr-role-region");
  ASSERT_NE(bucket, nullptr);
  EXPECT_EQ(bucket->message,
            "OrdersDr/FailDrBucket9B3E77D0 has DR-Role 'primary' but is in "
            "us-west-2, the DR region; expected DR-Role 'dr'");
  // CloudFormation Tags is an array of {Key, Value}: `at` is that array.
  const Finding* queue =
      find(cfn, "OrdersPrimary/FailQueue7C2B9E41", "missing");
  ASSERT_NE(queue, nullptr);
  EXPECT_TRUE(queue->at.is_array());
  EXPECT_EQ(queue->at.key(), "Tags");

  CaseResult pulumi = run_case(
      testing::fixture("rules/DR001/fail/pulumi-missing-tags"), "DR001");
  const Finding* role = find(
      pulumi, "urn:pulumi:prod::orders::aws:iam/role:Role::fail-lambda-role",
      "missing");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->facts, (std::vector<std::string>{"missing", "Environment"}));
}

TEST(RequiredTags, ValidatesThePattern) {
  std::string error;
  EXPECT_TRUE(valid_dr_role_pattern("^(primary|dr|global)$", &error));
  EXPECT_TRUE(error.empty());
  EXPECT_FALSE(valid_dr_role_pattern("^(primary|dr", &error));
  EXPECT_EQ(error,
            "invalid DR-Role pattern '^(primary|dr': missing ): ^(primary|dr");
  EXPECT_FALSE(valid_dr_role_pattern("*primary", nullptr));
}

// A hand-built model: resources with tags whose values live in `doc`.
class RequiredTagsModel : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = json::JsonDoc::parse(SourceFile::from_string(
        "t.json",
        R"({"primary": "primary", "dr": "dr", "empty": "", "null": null,
            "ref": {"Ref": "Env"}, "interp": "${var.env}",
            "shared": "shared", "prod": "prod"})"));
    doc_ = std::get<std::shared_ptr<const json::JsonDoc>>(parsed);
  }
  json::JValue v(const char* key) const { return doc_->root()[key]; }
  Tag tag(const char* key, std::string value) const {
    return Tag{std::move(value), v(key), false};
  }
  Resource& add(const std::string& address, const std::string& kind,
                const char* region) {
    Resource r;
    r.address = address;
    r.kind = kind;
    r.type = kind;
    r.format = Format::kTerraformJson;
    if (region) r.region = region;
    model_.resources.push_back(std::move(r));
    return model_.resources.back();
  }
  std::vector<Finding> run(ScanOptions options = {}) {
    model_.finalize({"us-east-1", "us-west-2"});
    std::vector<Finding> out;
    RequiredTagsRule().check(model_, options, out);
    return out;
  }
  std::shared_ptr<const json::JsonDoc> doc_;
  Model model_;
};

TEST_F(RequiredTagsModel, ClassifiesTagValues) {
  EXPECT_EQ(classify_tag_value(tag("prod", "prod")), TagValueKind::kLiteral);
  EXPECT_EQ(classify_tag_value(tag("empty", "")), TagValueKind::kEmpty);
  EXPECT_EQ(classify_tag_value(tag("null", "")), TagValueKind::kEmpty);
  // An intrinsic function, a computed value (no position), an
  // interpolation, Pulumi's unknown sentinel: present but not checkable.
  EXPECT_EQ(classify_tag_value(tag("ref", "")), TagValueKind::kUnknown);
  EXPECT_EQ(classify_tag_value(Tag{"", json::JValue(), false}),
            TagValueKind::kUnknown);
  EXPECT_EQ(classify_tag_value(tag("interp", "${var.env}")),
            TagValueKind::kUnknown);
  EXPECT_EQ(classify_tag_value(
                Tag{"04da6b54-80e4-46f7-96ec-b56ff0331ba9", {}, false}),
            TagValueKind::kUnknown);
}

TEST_F(RequiredTagsModel, UnknownValuesCountAsPresentAndAreNotJudged) {
  Resource& a = add("aws_s3_bucket.a", "aws_s3_bucket", "us-west-2");
  a.tags["Environment"] = tag("ref", "");
  a.tags["DR-Role"] = Tag{"", json::JValue(), false};  // computed
  Resource& b = add("aws_s3_bucket.b", "aws_s3_bucket", "us-east-1");
  b.tags["Environment"] = tag("interp", "${var.env}");
  b.tags["DR-Role"] = tag("interp", "${var.role}");
  EXPECT_TRUE(run().empty());
}

TEST_F(RequiredTagsModel, UntaggableKindsAndUnknownRolesAreSkipped) {
  add("aws_route.r", "aws_route", "us-east-1");  // no tags, not taggable
  Resource& far = add("aws_s3_bucket.far", "aws_s3_bucket", "eu-west-1");
  far.tags["Environment"] = tag("prod", "prod");
  far.tags["DR-Role"] = tag("dr", "dr");  // region has no role: no check
  Resource& nowhere = add("aws_s3_bucket.nowhere", "aws_s3_bucket", nullptr);
  nowhere.tags["Environment"] = tag("prod", "prod");
  nowhere.tags["DR-Role"] = tag("primary", "primary");
  EXPECT_TRUE(run().empty());
}

TEST_F(RequiredTagsModel, CustomKeysAndPatternAndInvalidPattern) {
  Resource& a = add("aws_s3_bucket.a", "aws_s3_bucket", "us-east-1");
  a.tags["DR-Role"] = tag("shared", "shared");
  a.tags["Environment"] = tag("prod", "prod");
  ScanOptions options;
  options.required_tags = {"Owner", "Environment", "DR-Role", "Owner"};
  options.dr_role_pattern = "^(primary|dr|global|shared)$";
  auto found = run(options);
  ASSERT_EQ(found.size(), 1u);  // "shared" matches; its role is not judged
  EXPECT_EQ(found[0].facts, (std::vector<std::string>{"missing", "Owner"}));
  EXPECT_EQ(found[0].message,
            "aws_s3_bucket.a is missing required tag Owner; its tags: "
            "DR-Role, Environment");
  EXPECT_TRUE(found[0].at.absent());  // no tags object was written

  // An invalid pattern disables only the value check (the CLI rejects it
  // before a scan); a missing key is still reported.
  std::vector<Finding> out;
  options.dr_role_pattern = "^(primary|dr";
  options.required_tags = {"DR-Role", "Environment", "Owner"};
  RequiredTagsRule().check(model_, options, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].facts[0], "missing");
}

TEST_F(RequiredTagsModel, SeveralMissingKeysInOneFindingSorted) {
  add("aws_sqs_queue.q", "aws_sqs_queue", "us-east-1");
  auto found = run();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message,
            "aws_sqs_queue.q is missing required tags DR-Role, Environment; "
            "it has no tags");
  EXPECT_EQ(found[0].facts,
            (std::vector<std::string>{"missing", "DR-Role", "Environment"}));
}

TEST_F(RequiredTagsModel, RegionalResourceTaggedGlobalDisagrees) {
  Resource& a = add("aws_sqs_queue.q", "aws_sqs_queue", "us-west-2");
  a.tags["Environment"] = tag("prod", "prod");
  a.tags["DR-Role"] = tag("primary", "global");
  auto found = run();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message,
            "aws_sqs_queue.q has DR-Role 'global' but is in us-west-2, the "
            "DR region; expected DR-Role 'dr'");
}

}  // namespace
}  // namespace drcheck
