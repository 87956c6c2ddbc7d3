// `drcheck scan` end to end: formats, atomic --output, exit codes, and the
// option wiring (baseline, suppressions, --tf-source, --src-root).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/report_fixture.h"

namespace drcheck::testing {
namespace {

namespace fs = std::filesystem;
using oj = nlohmann::ordered_json;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("drcheck-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }

  // Runs drcheck in the repository root (so a .drcheck.json elsewhere does
  // not apply); returns the exit code, fills out_ and err_.
  int run(const std::vector<std::string>& args) {
    std::string cmd =
        "cd " + quote(source_dir()) + " && " + quote(DRCHECK_BINARY);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " >" + quote((dir_ / "stdout").string()) + " 2>" +
           quote((dir_ / "stderr").string());
    int status = std::system(cmd.c_str());
    out_ = slurp(dir_ / "stdout");
    err_ = slurp(dir_ / "stderr");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // Files in the scratch folder other than the captured streams.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      std::string n = e.path().filename().string();
      if (n != "stdout" && n != "stderr") names.push_back(n);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
  std::string out_, err_;
};

const std::string kInputs = "fixtures/sarif/e2e";

TEST_F(Cli, EveryFormat) {
  ASSERT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never"}),
            0)
      << err_;
  oj log = oj::parse(out_);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "drcheck");
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file://" +
                fs::path(source_dir()).lexically_normal().generic_string() +
                "/");
  std::set<std::string> artifacts;
  for (const oj& a : log["runs"][0]["artifacts"]) {
    artifacts.insert(a["location"]["uri"].get<std::string>());
  }
  EXPECT_EQ(artifacts, (std::set<std::string>{"fixtures/sarif/e2e/plan.json"}));

  ASSERT_EQ(run({"scan", kInputs, "--format", "json", "--fail-on", "never"}),
            0);
  oj j = oj::parse(out_);
  EXPECT_EQ(j["tool"], "drcheck");
  EXPECT_EQ(j["summary"]["input_errors"], 0);

  ASSERT_EQ(run({"scan", kInputs, "--format", "junit", "--fail-on", "never"}),
            0);
  EXPECT_EQ(
      out_.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                 "name=\"drcheck\"",
                 0),
      0u);
  ASSERT_EQ(
      run({"scan", kInputs, "--format", "markdown", "--fail-on", "never"}), 0);
  EXPECT_EQ(out_.rfind("## drcheck: ", 0), 0u);
  // Text is the default, and plain when not on a terminal.
  ASSERT_EQ(run({"scan", kInputs, "--fail-on", "never"}), 0);
  EXPECT_NE(out_.find(" in "), std::string::npos);
  EXPECT_EQ(out_.find('\x1b'), std::string::npos);

  EXPECT_EQ(run({"scan", kInputs, "--format", "xml"}), 2);
  EXPECT_NE(err_.find("--format"), std::string::npos);
}

TEST_F(Cli, OutputIsWrittenAtomicallyAndIdentically) {
  fs::path out = dir_ / "drcheck.sarif";
  ASSERT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never",
                 "--output", out.string()}),
            0)
      << err_;
  EXPECT_EQ(out_, "");
  std::string first = slurp(out);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(leftovers(), (std::vector<std::string>{"drcheck.sarif"}));
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
  // Identical input, identical bytes (no timestamps).
  ASSERT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never",
                 "--output", out.string()}),
            0);
  EXPECT_EQ(slurp(out), first);
  // The same bytes as on stdout.
  ASSERT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never"}),
            0);
  EXPECT_EQ(out_, first);
}

TEST_F(Cli, UnwritableOutputIsExitTwoWithNoPartialFile) {
  fs::path missing = dir_ / "no-such-dir" / "out.sarif";
  EXPECT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never",
                 "--output", missing.string()}),
            2);
  EXPECT_EQ(
      err_.rfind(missing.string() + ": error: cannot create a file in ", 0), 0u)
      << err_;
  EXPECT_FALSE(fs::exists(missing.parent_path()));
}

TEST_F(Cli, ReadOnlyFolderKeepsTheOldReportWhole) {
  fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  std::ofstream(ro / "out.sarif") << "old report";
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
  if (::access(ro.c_str(), W_OK) == 0) GTEST_SKIP() << "running as root";
  EXPECT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never",
                 "--output", (ro / "out.sarif").string()}),
            2);
  EXPECT_NE(err_.find((ro / "out.sarif").string() + ": error: "),
            std::string::npos);
  EXPECT_EQ(slurp(ro / "out.sarif"), "old report");
  fs::permissions(ro, fs::perms::owner_all);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(ro)) {
    files.push_back(e.path().filename().string());
  }
  EXPECT_EQ(files, (std::vector<std::string>{"out.sarif"}));
}

TEST_F(Cli, OutputPathThatIsAFolder) {
  EXPECT_EQ(
      run({"scan", kInputs, "--output", dir_.string(), "--fail-on", "never"}),
      2);
  EXPECT_EQ(err_, dir_.string() + ": error: is a directory\n");
}

TEST_F(Cli, InputErrorsStillWriteSarifAndExitTwo) {
  fs::path bad = dir_ / "plan.json";
  std::ofstream(bad)
      << "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,}\n}\n";
  fs::path out = dir_ / "out.sarif";
  EXPECT_EQ(run({"scan", bad.string(), "--format", "sarif", "--output",
                 out.string(), "--src-root", dir_.string()}),
            2);
  EXPECT_EQ(err_,
            bad.string() + ":3:22: error: expected a string key, got ','\n");
  oj log = oj::parse(slurp(out));
  const oj& inv = log["runs"][0]["invocations"][0];
  EXPECT_EQ(inv["executionSuccessful"], false);
  EXPECT_EQ(inv["toolExecutionNotifications"], oj::parse(R"([{
    "level": "error", "message": {"text": "expected a string key, got ','"},
    "locations": [{"physicalLocation": {
      "artifactLocation": {"uri": "plan.json", "uriBaseId": "%SRCROOT%"},
      "region": {"startLine": 3, "startColumn": 22}}}]}])"));
  // A missing input: exit 2 even with --fail-on never.
  EXPECT_EQ(
      run({"scan", (dir_ / "missing.json").string(), "--fail-on", "never"}), 2);
}

TEST_F(Cli, SuppressionsFileErrorsAreUsageErrors) {
  fs::path sup = dir_ / "s.json";
  std::ofstream(sup) << "{\"suppressions\": [{\"rule\": \"DR002\"}]}";
  fs::path out = dir_ / "out.sarif";
  EXPECT_EQ(run({"scan", kInputs, "--suppressions", sup.string(), "--output",
                 out.string()}),
            2);
  EXPECT_EQ(err_, sup.string() +
                      ":1:19: error: a suppression needs a \"justification\" "
                      "saying why the finding is accepted\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(Cli, ExpiredSuppressionIsAWarningNotification) {
  fs::path out = dir_ / "out.sarif";
  ::setenv("SOURCE_DATE_EPOCH", "1798675200", 1);  // 2026-12-31
  int rc = run({"scan", kInputs, "--format", "sarif", "--suppressions",
                "fixtures/sarif/suppressions.json", "--fail-on", "never",
                "--output", out.string()});
  ::unsetenv("SOURCE_DATE_EPOCH");
  ASSERT_EQ(rc, 0) << err_;
  EXPECT_NE(err_.find("fixtures/sarif/suppressions.json:9:5: warning: "
                      "suppression of rule XT001 for aws_vpc.d? expired on "
                      "2026-06-30"),
            std::string::npos)
      << err_;
  oj log = oj::parse(slurp(out));
  bool found = false;
  for (const oj& n :
       log["runs"][0]["invocations"][0]["toolExecutionNotifications"]) {
    if (n["level"] == "warning" &&
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
            "fixtures/sarif/suppressions.json") {
      found = true;
      EXPECT_EQ(n["locations"][0]["physicalLocation"]["region"]["startLine"],
                9);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

TEST_F(Cli, ConfigSuppressionsPathIsRelativeToTheConfig) {
  fs::path cfg_dir = dir_ / "cfg";
  fs::create_directories(cfg_dir);
  std::ofstream(cfg_dir / ".drcheck.json")
      << "{\"suppressions\": \"supp.json\", \"fail_on\": \"never\"}";
  std::ofstream(cfg_dir / "supp.json")
      << "{\"suppressions\": [{\"rule\": \"DR0\"}]}";
  EXPECT_EQ(
      run({"scan", kInputs, "--config", (cfg_dir / ".drcheck.json").string()}),
      2);
  EXPECT_EQ(err_.rfind((cfg_dir / "supp.json").string() + ":1:19: error: ", 0),
            0u)
      << err_;
}

TEST_F(Cli, BaselineErrorsAndFolderOptions) {
  fs::path base = dir_ / "old.sarif";
  std::ofstream(base) << "{\"runs\": []}";
  EXPECT_EQ(run({"scan", kInputs, "--baseline", base.string()}), 2);
  EXPECT_EQ(err_,
            base.string() + ": error: no drcheck run in this SARIF log\n");
  EXPECT_EQ(run({"scan", kInputs, "--tf-source", (dir_ / "nope").string()}), 2);
  EXPECT_EQ(err_, (dir_ / "nope").string() + ": error: not a directory\n");
  EXPECT_EQ(run({"scan", kInputs, "--src-root", (dir_ / "nope").string()}), 2);
}

TEST_F(Cli, BaselineOfItselfCountsNothing) {
  fs::path base = dir_ / "old.sarif";
  ASSERT_EQ(run({"scan", kInputs, "--format", "sarif", "--fail-on", "never",
                 "--output", base.string()}),
            0);
  ASSERT_EQ(
      run({"scan", kInputs, "--format", "json", "--baseline", base.string()}),
      0)
      << err_;
  oj j = oj::parse(out_);
  EXPECT_EQ(j["summary"]["findings"], 0);
  EXPECT_EQ(j["summary"]["absent"], 0);
  for (const oj& f : j["findings"]) {
    EXPECT_TRUE(f["suppressed"] == true || f["baseline"] == "unchanged")
        << f.dump();
  }
}

// End to end with the registered rules (DR005 and DR006 find problems in
// fixtures/sarif/e2e: a backup plan rule without a cross-region copy, a
// primary table that no backup selection covers and that has no dr
// replica; a module table suppressed in source and by the file).
class EndToEnd : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    ::setenv("SOURCE_DATE_EPOCH", "1795651200", 1);  // 2026-11-26
  }
  void TearDown() override {
    ::unsetenv("SOURCE_DATE_EPOCH");
    Cli::TearDown();
  }
  std::vector<std::string> scan(std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "scan",           "fixtures/sarif/e2e/plan.json",
        "--tf-source",    "fixtures/sarif/e2e/infra",
        "--suppressions", "fixtures/sarif/e2e/suppressions.json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

TEST_F(EndToEnd, Goldens) {
  const std::string warning =
      "fixtures/sarif/e2e/suppressions.json:9:5: warning: suppression of rule "
      "DR006 for aws_dynamodb_table.orders expired on 2026-01-31; its findings "
      "count again (justification was: global table migration scheduled for "
      "January)\n";
  EXPECT_EQ(run(scan({})), 1) << err_;
  EXPECT_EQ(err_, "");  // the text report lists the warning itself
  expect_golden("e2e.txt", out_);
  for (std::string format : {"json", "junit", "markdown", "sarif"}) {
    SCOPED_TRACE(format);
    std::vector<std::string> extra = {"--format", format};
    if (format == "markdown") {
      extra.insert(extra.end(), {"--link-base",
                                 "https://github.com/acme/orders/blob/main/"});
    }
    EXPECT_EQ(run(scan(extra)), 1) << err_;
    EXPECT_EQ(err_, warning);
    std::string out = out_;
    if (format == "sarif") {
      // The rule descriptors belong to the rules' authors (and the SARIF
      // writer tests): keep their ids only, so a rule's help text can change
      // without touching this golden. The root varies by checkout.
      oj log = oj::parse(out);
      oj ids = oj::array();
      for (const oj& r : log["runs"][0]["tool"]["driver"]["rules"]) {
        ids.push_back(r["id"]);
      }
      log["runs"][0]["tool"]["driver"]["rules"] = ids;
      log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] =
          "file:///SRCROOT/";
      out = log.dump(2) + "\n";
    }
    expect_golden("e2e." + std::string(format == "junit"      ? "junit.xml"
                                       : format == "markdown" ? "md"
                                                              : format),
                  out);
  }
}

TEST_F(EndToEnd, SarifPointsAtTheTfLines) {
  ASSERT_EQ(run(scan({"--format", "sarif"})), 1);
  oj log = oj::parse(out_);
  std::set<std::string> where;
  for (const oj& r : log["runs"][0]["results"]) {
    const oj& pl = r["locations"][0]["physicalLocation"];
    where.insert(r["ruleId"].get<std::string>() + " " +
                 pl["artifactLocation"]["uri"].get<std::string>() + ":" +
                 std::to_string(pl["region"]["startLine"].get<int>()) +
                 (r.contains("suppressions") ? " suppressed" : ""));
    EXPECT_EQ(
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/sarif/e2e/plan.json");
  }
  EXPECT_EQ(where,
            (std::set<std::string>{
                "DR005 fixtures/sarif/e2e/infra/main.tf:41",
                "DR005 fixtures/sarif/e2e/infra/main.tf:57",
                "DR006 fixtures/sarif/e2e/infra/main.tf:57",
                "DR005 fixtures/sarif/e2e/infra/modules/legacy/main.tf:2 "
                "suppressed",
                "DR006 fixtures/sarif/e2e/infra/modules/legacy/main.tf:2 "
                "suppressed"}));
}

TEST_F(EndToEnd, ExitCodes) {
  EXPECT_EQ(run(scan({})), 1);
  EXPECT_EQ(run(scan({"--fail-on", "never"})), 0);
  EXPECT_EQ(run(scan({"--level", "DR005=warning", "--level", "DR006=note"})),
            0);
  EXPECT_EQ(run(scan({"--level", "DR005=warning", "--level", "DR006=note",
                      "--fail-on", "warning"})),
            1);
  EXPECT_EQ(run(scan({"--disable", "DR005", "--disable", "DR006"})), 0);
  // Everything suppressed: clean, and the text says so.
  fs::path all = dir_ / "all.json";
  std::ofstream(all) << R"({"suppressions": [{"rule": "DR00?", "address": "*",
      "justification": "accepted for the test"}]})";
  EXPECT_EQ(run({"scan", "fixtures/sarif/e2e/plan.json", "--suppressions",
                 all.string()}),
            0);
  EXPECT_NE(out_.find("\n0 findings in 5 resources from 1 input"),
            std::string::npos);
  EXPECT_NE(out_.find("\n5 suppressed\n"), std::string::npos) << out_;
  // An input error wins over findings.
  fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << "{\"format_version\": ";
  EXPECT_EQ(run(scan({bad.string()})), 2);
}

TEST_F(EndToEnd, BaselineCountsOnlyNewFindings) {
  fs::path base = dir_ / "main.sarif";
  ASSERT_EQ(run(scan({"--format", "sarif", "--output", base.string()})), 1);
  // Against itself: nothing new.
  EXPECT_EQ(run(scan({"--baseline", base.string()})), 0) << out_ << err_;
  EXPECT_NE(out_.find("3 unchanged vs baseline, 0 fixed since baseline"),
            std::string::npos)
      << out_;
  // The same plan without --tf-source puts findings in another file: new.
  EXPECT_EQ(run({"scan", "fixtures/sarif/e2e/plan.json", "--baseline",
                 base.string(), "--format", "sarif"}),
            1);
  oj log = oj::parse(out_);
  std::map<std::string, int> states;
  for (const oj& r : log["runs"][0]["results"]) {
    states[r.value("baselineState", "")]++;
  }
  EXPECT_EQ(states, (std::map<std::string, int>{{"new", 5}, {"absent", 5}}));
}

}  // namespace
}  // namespace drcheck::testing
