// --tf-source: finding the .tf block that declares a plan address.
#include "analyzer/tf_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

TEST(TfSource, ScansTopLevelBlocksOnly) {
  const std::string text =
      "# resource \"aws_vpc\" \"hash_comment\" {\n"
      "// resource \"aws_vpc\" \"slash_comment\" {\n"
      "/* resource \"aws_vpc\" \"block_comment\" {\n"
      "   } */\n"
      "locals {\n"
      "  s = \"resource \\\"aws_vpc\\\" \\\"escaped\\\" {\"\n"
      "  t = \"${var.x == \"}\" ? \"{\" : \"b\"} resource \"\n"
      "  h = <<-EOT\n"
      "    resource \"aws_vpc\" \"heredoc\" {\n"
      "    }\n"
      "    EOT\n"
      "}\n"
      "resource \"aws_vpc\" \"main\" {\n"
      "  cidr_block = \"10.0.0.0/16\"\n"
      "  dynamic \"tag\" {\n"
      "    for_each = {}\n"
      "  }\n"
      "}\n"
      "\r\n"
      "  resource aws_subnet unquoted {}\n"
      "data \"aws_region\" \"current\" {}\n"
      "module \"net\" {\n"
      "  source  = \"./modules/net\"\n"
      "  inputs = { source = \"not me\" }\n"
      "}\n"
      "resource \"aws_vpc\" \"main\" {}\n"  // a duplicate: the first wins
      "resource \"aws_s3_bucket\" \"café\" {}\n";
  TfFolder f;
  scan_tf_file(text, "infra/main.tf", f);
  std::map<std::string, std::pair<uint32_t, uint32_t>> got;
  for (const auto& [key, ref] : f.blocks) {
    EXPECT_EQ(ref.file, "infra/main.tf");
    got[key] = {ref.line, ref.column};
  }
  EXPECT_EQ(got, (std::map<std::string, std::pair<uint32_t, uint32_t>>{
                     {"aws_vpc.main", {13, 1}},
                     {"aws_subnet.unquoted", {20, 3}},
                     {"data.aws_region.current", {21, 1}},
                     {"aws_s3_bucket.café", {27, 1}}}));
  EXPECT_EQ(f.module_sources,
            (std::map<std::string, std::string>{{"net", "./modules/net"}}));
}

class TfSourceTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("drcheck-tf-source-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    write("infra/main.tf",
          "module \"app\" {\n  source = \"./modules/app\"\n}\n"
          "module \"outside\" {\n  source = \"../shared\"\n}\n"
          "module \"git\" {\n  source = \"git::https://example.com/m.git\"\n}\n"
          "resource \"aws_vpc\" \"main\" {}\n");
    write("infra/modules/app/main.tf",
          "module \"db\" {\n  source = \"../db\"\n}\n"
          "resource \"aws_s3_bucket\" \"assets\" {}\n");
    write("infra/modules/db/rds.tf",
          "\n\nresource \"aws_rds_cluster\" \"this\" {}\n");
    write("shared/main.tf", "resource \"aws_vpc\" \"shared\" {}\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  std::string dir() const { return (root_ / "infra").string(); }
  fs::path root_;
};

TEST_F(TfSourceTree, FollowsLocalModuleSourcesUnderTheFolder) {
  TfSourceIndex index(dir());
  auto main = index.find("aws_vpc.main");
  ASSERT_TRUE(main);
  EXPECT_EQ(main->file, dir() + "/main.tf");
  EXPECT_EQ(main->line, 10u);
  auto assets = index.find("module.app.aws_s3_bucket.assets");
  ASSERT_TRUE(assets);
  EXPECT_EQ(assets->file, dir() + "/modules/app/main.tf");
  EXPECT_EQ(assets->line, 4u);
  auto db = index.find(
      "module.app[0].module.db[\"eu.west\"].aws_rds_cluster.this[2]");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->file, dir() + "/modules/db/rds.tf");
  EXPECT_EQ(db->line, 3u);
  EXPECT_EQ(db->column, 1u);
  // Outside the folder, remote, unknown module, unknown resource.
  EXPECT_FALSE(index.find("module.outside.aws_vpc.shared"));
  EXPECT_FALSE(index.find("module.git.aws_vpc.main"));
  EXPECT_FALSE(index.find("module.nope.aws_vpc.main"));
  EXPECT_FALSE(index.find("aws_vpc.other"));
  EXPECT_FALSE(index.find("not an address"));
}

TEST_F(TfSourceTree, MapsOnlyTerraformPlanResourcesWithoutASourceRef) {
  Model model;
  auto add = [&](std::string address, Format format) {
    Resource r;
    r.address = std::move(address);
    r.format = format;
    model.resources.push_back(r);
  };
  add("aws_vpc.main", Format::kTerraformPlan);
  add("module.app.aws_s3_bucket.assets", Format::kTerraformPlan);
  add("aws_vpc.main", Format::kTerraformJson);  // CDKTF: not .tf source
  add("aws_vpc.other", Format::kTerraformPlan);
  add("aws_vpc.main", Format::kTerraformPlan);
  model.resources.back().source_ref = SourceRef{"app.ts", 7, 1};
  EXPECT_EQ(map_tf_sources(dir(), model), 2u);
  ASSERT_TRUE(model.resources[0].source_ref);
  EXPECT_EQ(model.resources[0].source_ref->line, 10u);
  ASSERT_TRUE(model.resources[1].source_ref);
  EXPECT_EQ(model.resources[1].source_ref->file,
            dir() + "/modules/app/main.tf");
  EXPECT_FALSE(model.resources[2].source_ref);
  EXPECT_FALSE(model.resources[3].source_ref);
  EXPECT_EQ(model.resources[4].source_ref->file, "app.ts");
}

TEST_F(TfSourceTree, PlansBesideTheirConfiguration) {
  Model model;
  Input beside, elsewhere;
  beside.file = dir() + "/plan.json";
  elsewhere.file = (root_ / "shared" / "deeper" / "plan.json").string();
  model.inputs = {beside, elsewhere};
  auto add = [&](std::string address, int input) {
    Resource r;
    r.address = std::move(address);
    r.format = Format::kTerraformPlan;
    r.input = input;
    model.resources.push_back(r);
  };
  add("module.app.aws_s3_bucket.assets", 0);
  add("aws_vpc.shared", 1);  // declared in shared/, not beside the plan
  EXPECT_EQ(map_tf_sources_beside_plans(model), 1u);
  ASSERT_TRUE(model.resources[0].source_ref);
  EXPECT_EQ(model.resources[0].source_ref->file,
            dir() + "/modules/app/main.tf");
  EXPECT_FALSE(model.resources[1].source_ref);
}

TEST(TfSource, FixtureFolder) {
  TfSourceIndex index(testing::fixture("sarif/tf-plan/infra"));
  auto ref = index.find("aws_s3_bucket.fail_logs");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->line, 47u);
  EXPECT_FALSE(index.find("aws_s3_bucket.decoy"));
  EXPECT_FALSE(index.find("aws_s3_bucket.in_a_heredoc"));
  EXPECT_FALSE(index.find("aws_s3_bucket.in_a_string"));
}

}  // namespace
}  // namespace drcheck
