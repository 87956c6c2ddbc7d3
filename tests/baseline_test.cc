// --baseline: new / unchanged / absent against an earlier drcheck SARIF,
// keyed on (fingerprint, artifact uri), never on rule + resource alone.
#include "sarif/baseline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "sarif/sarif_writer.h"
#include "sarif/text_writer.h"
#include "tests/report_fixture.h"

namespace drcheck::testing {
namespace {

namespace fs = std::filesystem;
using oj = nlohmann::ordered_json;

// The plan fixture with edits applied to planned_values resources.
std::string edited_plan(
    const std::map<std::string, std::function<void(oj&)>>& edits, int indent) {
  oj plan = oj::parse(read_text(plan_path()));
  std::function<void(oj&)> walk = [&](oj& module) {
    for (oj& r : module["resources"]) {
      auto it = edits.find(r["address"].get<std::string>());
      if (it != edits.end()) it->second(r["values"]);
    }
    if (module.contains("child_modules")) {
      for (oj& c : module["child_modules"]) walk(c);
    }
  };
  walk(plan["planned_values"]["root_module"]);
  return plan.dump(indent);
}

class Baseline : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("drcheck-baseline-" + std::to_string(::getpid()) + ".sarif"))
                .string();
    Scan old_scan;
    load_plan(old_scan);
    old_scan.run();
    std::ofstream(path_) << write_sarif(old_scan.report());
    Diagnostic d;
    ASSERT_TRUE(load_baseline(path_, baseline_, d)) << d.str();
  }
  void TearDown() override { fs::remove(path_); }

  // (rule, address) -> baselineState of the SARIF results.
  static std::map<std::string, std::string> states(const oj& log) {
    std::map<std::string, std::string> out;
    for (const oj& r : log["runs"][0]["results"]) {
      out[r["ruleId"].get<std::string>() + " " +
          r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
              .get<std::string>()] = r.value("baselineState", "");
    }
    return out;
  }

  std::string path_;
  std::vector<oj> baseline_;
};

TEST_F(Baseline, LoadsEveryDrcheckResult) {
  EXPECT_EQ(baseline_.size(), 7u);
  for (const oj& r : baseline_) {
    EXPECT_EQ(r["partialFingerprints"]["drcheck/v1"].get<std::string>().size(),
              64u);
  }
}

TEST_F(Baseline, NewUnchangedAndAbsent) {
  // Fix three findings, add one, and re-indent the whole plan (minified, as
  // terraform writes it): lines move, fingerprints do not.
  std::string text = edited_plan(
      {{"aws_s3_bucket.fail_logs",
        [](oj& v) { v["bucket"] = "orders-logs-prod"; }},
       {"aws_vpc.dr", [](oj& v) { v["cidr_block"] = "10.1.0.0/16"; }},
       {"aws_vpc.primary", [](oj& v) { v["tags"]["Owner"] = "team-orders"; }},
       {"module.legacy.aws_s3_bucket.archive",
        [](oj& v) { v["bucket"] = "orders-archive"; }}},
      -1);
  Scan now;
  load_plan(now, text);
  now.run();
  Report report = now.report();
  apply_baseline(baseline_, report);
  oj log = sarif_json(report);
  EXPECT_EQ(states(log),
            (std::map<std::string, std::string>{
                {"XT001 aws_s3_bucket.fail_logs", "unchanged"},
                {"XT001 aws_vpc.dr", "unchanged"},
                {"XT001 module.legacy.aws_s3_bucket.archive", "unchanged"},
                {"XT001 module.remote.aws_s3_bucket.this[0]", "unchanged"},
                {"XT002 module.legacy.aws_s3_bucket.archive", "new"},
                {"XT001 aws_vpc.primary", "absent"},
                {"XT002 aws_s3_bucket.fail_logs", "absent"},
                {"XT003 aws_vpc.primary", "absent"}}));
  // Absent results come last, as they were, with a current rule index.
  const oj& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 8u);
  for (size_t i = 5; i < 8; ++i) {
    EXPECT_EQ(results[i]["baselineState"], "absent");
    EXPECT_EQ(
        results[i]["locations"][0]["physicalLocation"]["region"]["startLine"]
                .get<int>() > 1,
        true);  // the old, indented file's lines
  }
  EXPECT_EQ(results[7]["ruleId"], "XT003");
  EXPECT_EQ(results[7]["ruleIndex"], 2);

  ReportView view(report);
  EXPECT_EQ(view.counted(), 1u);
  EXPECT_EQ(view.unchanged(), 4u);
  std::string text_report = write_text(report, false);
  EXPECT_NE(text_report.find("XT002 module.legacy.aws_s3_bucket.archive: name "
                             "\"orders-archive\" does not end in -prod"),
            std::string::npos);
  EXPECT_EQ(text_report.find("XT001 aws_vpc.dr"), std::string::npos);
  EXPECT_NE(text_report.find("4 unchanged vs baseline, 3 fixed since baseline"),
            std::string::npos);
}

TEST_F(Baseline, SameRuleAndResourceButOtherFactsIsNew) {
  std::string text =
      edited_plan({{"aws_s3_bucket.fail_logs",
                    [](oj& v) { v["bucket"] = "orders-logs2"; }}},
                  2);
  Scan now;
  load_plan(now, text);
  now.run();
  Report report = now.report();
  apply_baseline(baseline_, report);
  oj log = sarif_json(report);
  auto s = states(log);
  // The same rule on the same resource, but a different name: a new
  // problem, and the old one is gone.
  EXPECT_EQ(s["XT002 aws_s3_bucket.fail_logs"], "absent");
  size_t news = 0, absents = 0;
  for (const oj& r : log["runs"][0]["results"]) {
    if (r["ruleId"] == "XT002") {
      news += r["baselineState"] == "new";
      absents += r["baselineState"] == "absent";
    }
  }
  EXPECT_EQ(news, 1u);
  EXPECT_EQ(absents, 1u);
}

TEST_F(Baseline, SameFingerprintInAnotherFileIsNew) {
  for (oj& r : baseline_) {
    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "environments/staging/plan.json";
  }
  Scan now;
  load_plan(now);
  now.run();
  Report report = now.report();
  apply_baseline(baseline_, report);
  for (BaselineState st : report.baseline) EXPECT_EQ(st, BaselineState::kNew);
  EXPECT_EQ(report.absent.size(), 7u);
}

TEST_F(Baseline, IdenticalScanIsAllUnchanged) {
  Scan now;
  load_plan(now);
  now.run();
  Report report = now.report();
  apply_baseline(baseline_, report);
  ASSERT_EQ(report.baseline.size(), 7u);
  for (BaselineState st : report.baseline) {
    EXPECT_EQ(st, BaselineState::kUnchanged);
  }
  EXPECT_TRUE(report.absent.empty());
  EXPECT_EQ(ReportView(report).counted(), 0u);
}

TEST_F(Baseline, AbsentResultsOfTheBaselineItselfAreIgnored) {
  // A SARIF written with a baseline holds absent results; used as the next
  // baseline they must not come back.
  Scan fixed;
  load_plan(
      fixed,
      edited_plan(
          {{"aws_vpc.dr", [](oj& v) { v["cidr_block"] = "10.1.0.0/16"; }}}, 2));
  fixed.run();
  Report r1 = fixed.report();
  apply_baseline(baseline_, r1);
  ASSERT_EQ(r1.absent.size(), 1u);
  std::ofstream(path_) << write_sarif(r1);
  std::vector<oj> second;
  Diagnostic d;
  ASSERT_TRUE(load_baseline(path_, second, d));
  EXPECT_EQ(second.size(), 6u);
  Report r2 = fixed.report();
  apply_baseline(second, r2);
  EXPECT_TRUE(r2.absent.empty());
}

TEST(BaselineFile, Errors) {
  std::string path = (fs::temp_directory_path() /
                      ("drcheck-bad-baseline-" + std::to_string(::getpid())))
                         .string();
  std::vector<oj> results;
  Diagnostic d;
  std::ofstream(path) << "{\"runs\": [\n  {\"tool\": }\n]}";
  EXPECT_FALSE(load_baseline(path, results, d));
  EXPECT_EQ(d.file, path);
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 12u);  // the unexpected '}'
  std::ofstream(path) << "{\"version\": \"2.1.0\"}";
  EXPECT_FALSE(load_baseline(path, results, d));
  EXPECT_EQ(d.str(), path + ": error: not a SARIF log (no \"runs\" array)");
  std::ofstream(path)
      << R"({"runs": [{"tool": {"driver": {"name": "checkov"}}, "results": []}]})";
  EXPECT_FALSE(load_baseline(path, results, d));
  EXPECT_EQ(d.str(), path + ": error: no drcheck run in this SARIF log");
  fs::remove(path);
  EXPECT_FALSE(load_baseline(path, results, d));
  EXPECT_TRUE(results.empty());
}

}  // namespace
}  // namespace drcheck::testing
