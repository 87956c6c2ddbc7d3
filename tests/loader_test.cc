// Loader dispatch: format detection from content, folder walking, parallel
// loading that gives the same model as serial loading.
#include "analyzer/loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analyzer/model_json.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

json::JValue root_of(const std::string& text,
                     std::shared_ptr<const json::JsonDoc>& keep) {
  auto r = json::JsonDoc::parse(SourceFile::from_string("d.json", text));
  keep = std::get<std::shared_ptr<const json::JsonDoc>>(r);
  return keep->root();
}

TEST(Detect, EachFormatFromContentAlone) {
  std::shared_ptr<const json::JsonDoc> keep;
  EXPECT_EQ(
      detect_format(
          root_of(R"({"format_version":"1.2","planned_values":{}})", keep))
          .format,
      Format::kTerraformPlan);
  EXPECT_EQ(
      detect_format(root_of(R"({"format_version":"1.0","values":{}})", keep))
          .format,
      Format::kTerraformPlan);
  EXPECT_EQ(
      detect_format(root_of(R"({"resource":{"aws_vpc":{}}})", keep)).format,
      Format::kTerraformJson);
  EXPECT_EQ(
      detect_format(root_of(R"({"//":{},"provider":{"aws":[]}})", keep)).format,
      Format::kTerraformJson);
  EXPECT_EQ(detect_format(
                root_of(R"({"AWSTemplateFormatVersion":"2010-09-09"})", keep))
                .format,
            Format::kCloudFormation);
  EXPECT_EQ(detect_format(root_of(R"({"Resources":{}})", keep)).format,
            Format::kCloudFormation);
  EXPECT_EQ(detect_format(
                root_of(R"({"version":3,"deployment":{"resources":[]}})", keep))
                .format,
            Format::kPulumiState);
  EXPECT_EQ(detect_format(
                root_of(R"({"version":3,"checkpoint":{"latest":{}}})", keep))
                .format,
            Format::kPulumiState);
  Detection unknown = detect_format(root_of(R"({"foo":1,"bar":2})", keep));
  EXPECT_EQ(unknown.format, Format::kUnknown);
  EXPECT_EQ(unknown.why, "an object with keys \"foo\", \"bar\"");
  EXPECT_EQ(detect_format(root_of("[1]", keep)).why,
            "the top-level value is an array, not an object");
  EXPECT_EQ(
      detect_format(root_of(R"({"version":"55.0.0","artifacts":{}})", keep))
          .why,
      "a CDK cloud assembly manifest (pass its folder)");
}

TEST(LoadPaths, ParallelLoadingGivesTheSameModelAsSerial) {
  fs::path dir =
      fs::temp_directory_path() / ("drcheck-par-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < 24; ++i) {
    std::ofstream(dir / ("t" + std::to_string(100 + i) + ".json"))
        << "{\"Resources\": {\"Q" << i
        << "\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {}}}}";
  }
  std::ofstream(dir / "t107-bad.json") << "{";
  std::string serial, parallel;
  for (unsigned jobs : {1u, 4u}) {
    Model m;
    LoadOptions lo;
    lo.jobs = jobs;
    load_paths({dir.string()}, lo, m);
    m.finalize({});
    EXPECT_EQ(m.inputs.size(), 24u);
    EXPECT_EQ(m.errors.size(), 1u);
    (jobs == 1 ? serial : parallel) = model_to_json(m).dump();
  }
  EXPECT_EQ(serial, parallel);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drcheck
