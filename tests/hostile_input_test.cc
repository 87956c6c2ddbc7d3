// Hostile and odd inputs: rejected ones give file:line:col errors, odd but
// legal ones load, nothing crashes or hangs, and good inputs beside bad ones
// still load.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/loader.h"
#include "analyzer/model.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("drcheck-hostile-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  Model load(const std::string& path) {
    Model m;
    load_path(path, LoadOptions{}, m);
    m.finalize({});
    return m;
  }
  fs::path dir_;
};

// A tiny valid CloudFormation template, loadable whatever else is broken.
const char kGoodTemplate[] =
    "{\"Resources\": {\"Vpc\": {\"Type\": \"AWS::EC2::VPC\", "
    "\"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}}}}";

TEST_F(HostileInput, EmptyFileIsAnError) {
  Model m = load(write("empty.json", ""));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("empty"), std::string::npos);
  EXPECT_TRUE(m.inputs.empty());
}

TEST_F(HostileInput, TruncatedFileNamesWhereItEnds) {
  Model m = load(write("t.json", "{\n  \"Resources\": {\n    \"A\": {"));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].line, 3u);
  EXPECT_NE(m.errors[0].str().find("t.json:3:"), std::string::npos);
}

TEST_F(HostileInput, BinaryFileIsAnErrorNamedExplicitly) {
  std::string bin(
      "\x7f"
      "ELF\x02\x01\x01\0\0\0",
      10);
  Model m = load(write("b.json", bin));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].line, 1u);
  EXPECT_EQ(m.errors[0].column, 1u);
}

TEST_F(HostileInput, DeepNestingIsRejectedWithoutOverflow) {
  std::string deep =
      "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  Model m = load(write("deep.json", deep));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("nesting deeper than"), std::string::npos);
}

TEST_F(HostileInput, HugeStringsLoad) {
  std::string big(30u << 20, 'x');
  std::string text =
      "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", "
      "\"Properties\": {\"QueueName\": \"" +
      big + "\"}}}}";
  Model m = load(write("big.json", text));
  EXPECT_TRUE(m.errors.empty());
  ASSERT_EQ(m.inputs.size(), 1u);
}

TEST_F(HostileInput, NanAndInfinityAreRejected) {
  for (const char* bad :
       {"{\"a\": NaN}", "{\"a\": Infinity}", "{\"a\": -Infinity}"}) {
    Model m = load(write("n.json", bad));
    ASSERT_EQ(m.errors.size(), 1u) << bad;
    EXPECT_EQ(m.errors[0].column, 7u) << bad;
  }
}

TEST_F(HostileInput, DuplicateKeysBomAndCrlfLoad) {
  std::string text = "\xEF\xBB\xBF{\r\n\"Resources\": {},\r\n\"Resources\": " +
                     std::string(kGoodTemplate).substr(14);
  Model m = load(write("dup.json", text));
  EXPECT_TRUE(m.errors.empty()) << m.errors[0].str();
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kCloudFormation);
}

TEST_F(HostileInput, InvalidUtf8IsRejectedAtTheByte) {
  Model m = load(write("u.json", "{\"a\": \"ok\xC3\x28\"}"));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].line, 1u);
  EXPECT_EQ(m.errors[0].column, 10u);
}

TEST_F(HostileInput, Utf16WithBomIsTranscoded) {
  std::string u16 = "\xFF\xFE";
  for (char c : std::string(kGoodTemplate)) {
    u16 += c;
    u16 += '\0';
  }
  Model m = load(write("utf16.json", u16));
  EXPECT_TRUE(m.errors.empty());
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].format, Format::kCloudFormation);
}

TEST_F(HostileInput, MissingFileIsAnError) {
  Model m = load((dir_ / "nope.json").string());
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("cannot open"), std::string::npos);
}

TEST_F(HostileInput, FifoAndSymlinkLoopInAWalkedFolderAreSkipped) {
  write("walk/good.json", kGoodTemplate);
  ASSERT_EQ(mkfifo((dir_ / "walk/pipe.json").c_str(), 0600), 0);
  fs::create_directory_symlink(dir_ / "walk", dir_ / "walk/loop");
  fs::create_symlink(dir_ / "walk/self-a", dir_ / "walk/self-b");
  fs::create_symlink(dir_ / "walk/self-b", dir_ / "walk/self-a");
  Model m;
  std::vector<std::string> skipped;
  load_path((dir_ / "walk").string(), LoadOptions{}, m, &skipped);
  EXPECT_TRUE(m.errors.empty());
  ASSERT_EQ(m.inputs.size(), 1u);
  std::string all;
  for (const auto& s : skipped) all += s + "\n";
  EXPECT_NE(all.find("pipe.json: not a regular file"), std::string::npos)
      << all;
  EXPECT_NE(all.find("already visited"), std::string::npos) << all;
  EXPECT_NE(all.find("self-a"), std::string::npos) << all;
}

TEST_F(HostileInput, ExplicitFifoIsAnError) {
  std::string p = (dir_ / "fifo").string();
  ASSERT_EQ(mkfifo(p.c_str(), 0600), 0);
  Model m = load(p);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("not a regular file"), std::string::npos);
}

TEST_F(HostileInput, GoodInputBesideBadOneStillLoads) {
  write("mixed/a-bad.json", "{\"Resources\": ");
  write("mixed/b-good.json", kGoodTemplate);
  Model m = load((dir_ / "mixed").string());
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].file.find("a-bad.json"), std::string::npos);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_NE(m.inputs[0].file.find("b-good.json"), std::string::npos);
}

TEST_F(HostileInput, UnknownFormatNamedExplicitlyIsAnError) {
  Model m =
      load(write("schema.json", "{\"$schema\": \"x\", \"type\": \"object\"}"));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("not a recognized input format"),
            std::string::npos);
  EXPECT_EQ(m.errors[0].line, 1u);
}

TEST_F(HostileInput, YamlTemplateIsNamedUnsupported) {
  Model m = load(write("t.yaml",
                       "AWSTemplateFormatVersion: '2010-09-09'\n"
                       "Resources: {}\n"));
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("YAML"), std::string::npos);
}

TEST_F(HostileInput, FileOverTheSizeLimitIsRefused) {
  std::string p = write("big.json", kGoodTemplate);
  Model m;
  LoadOptions lo;
  lo.max_file_size = 10;
  load_path(p, lo, m);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].message.find("--max-file-size"), std::string::npos);
}

TEST_F(HostileInput, NullsAndWrongTypesAtTheTopLevel) {
  for (const char* text : {"null", "[]", "5", "\"x\"", "{\"Resources\": null}",
                           "{\"Resources\": 5}", "{\"Resources\": []}"}) {
    Model m = load(write("w.json", text));
    // Either an error with a position or a clean load: never a crash.
    for (const auto& d : m.errors) EXPECT_GT(d.line, 0u) << text;
  }
}

}  // namespace
}  // namespace drcheck
