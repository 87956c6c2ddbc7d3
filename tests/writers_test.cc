// Text, JSON, JUnit and Markdown (and SARIF) against golden files in
// fixtures/golden/. Regenerate after an intended change with
//   UPDATE_GOLDEN=1 build/drcheck_tests --gtest_filter='Golden*'
// and review the diff; the tests never rewrite them on their own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzer/suppressions.h"
#include "analyzer/tf_source.h"
#include "sarif/baseline.h"
#include "sarif/json_writer.h"
#include "sarif/junit_writer.h"
#include "sarif/markdown_writer.h"
#include "sarif/output.h"
#include "sarif/sarif_writer.h"
#include "sarif/text_writer.h"
#include "tests/report_fixture.h"

namespace drcheck::testing {
namespace {

using oj = nlohmann::ordered_json;

// Every input kind, --tf-source, the suppressions fixture (one entry
// expired), an in-source marker naming an unknown rule, and one input that
// failed to parse.
struct Full : Scan {
  Full() {
    load_all(*this);
    auto parsed = json::JsonDoc::parse(SourceFile::from_string(
        fixture("sarif/tf-plan/stale-plan.json"),
        "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,}\n}\n"));
    model.errors.push_back(std::get<Diagnostic>(parsed));
    map_tf_sources(fixture("sarif/tf-plan/infra"), model);
    run();
    std::vector<SuppressionEntry> entries;
    Diagnostic d;
    load_suppressions(fixture("sarif/suppressions.json"), entries, d);
    notifications = apply_suppressions(
        model, entries, {"XT001", "XT002", "XT003"}, "2026-11-26", findings);
  }
  Report full_report() const {
    Report r = report();
    r.notifications = notifications;
    return r;
  }
  std::vector<Diagnostic> notifications;
};

TEST(Golden, Text) {
  Full s;
  expect_golden("full.txt", write_text(s.full_report(), false));
}

TEST(Golden, Json) {
  Full s;
  expect_golden("full.json", write_json(s.full_report()));
}

TEST(Golden, Junit) {
  Full s;
  expect_golden("full.junit.xml", write_junit(s.full_report()));
}

TEST(Golden, Markdown) {
  Full s;
  Report r = s.full_report();
  r.link_base = "https://github.com/acme/orders/blob/4f6de64/";
  expect_golden("full.md", write_markdown(r));
}

TEST(Golden, Sarif) {
  Full s;
  std::string out = write_sarif(s.full_report());
  // The one absolute path, the source root, varies by checkout.
  std::string root = PathMapper(source_dir()).root_uri();
  size_t at = out.find(root);
  ASSERT_NE(at, std::string::npos);
  out.replace(at, root.size(), "file:///SRCROOT/");
  expect_golden("full.sarif", out);
}

// The plan against a baseline of itself with aws_vpc.dr moved to its own
// CIDR and a bucket renamed: one fixed, one new.
struct WithBaseline : Scan {
  WithBaseline() {
    oj plan = oj::parse(read_text(plan_path()));
    for (oj& r : plan["planned_values"]["root_module"]["resources"]) {
      if (r["address"] == "aws_vpc.dr")
        r["values"]["cidr_block"] = "10.1.0.0/16";
      if (r["address"] == "aws_s3_bucket.fail_logs") {
        r["values"]["bucket"] = "orders-logs-v2";
      }
    }
    Scan old;
    load_plan(old, plan.dump(2));
    old.run();
    oj old_log = sarif_json(old.report());
    for (const oj& r : old_log["runs"][0]["results"]) baseline.push_back(r);
    load_plan(*this);
    run();
  }
  Report baseline_report() {
    Report r = report();
    apply_baseline(baseline, r);
    return r;
  }
  std::vector<oj> baseline;
};

TEST(Golden, SarifWithBaseline) {
  WithBaseline s;
  std::string out = write_sarif(s.baseline_report());
  std::string root = PathMapper(source_dir()).root_uri();
  size_t at = out.find(root);
  ASSERT_NE(at, std::string::npos);
  out.replace(at, root.size(), "file:///SRCROOT/");
  expect_golden("baseline.sarif", out);
}

TEST(Golden, TextWithBaseline) {
  WithBaseline s;
  expect_golden("baseline.txt", write_text(s.baseline_report(), false));
}

TEST(Golden, JsonWithBaseline) {
  WithBaseline s;
  expect_golden("baseline.json", write_json(s.baseline_report()));
}

TEST(Golden, MarkdownWithBaseline) {
  WithBaseline s;
  expect_golden("baseline.md", write_markdown(s.baseline_report()));
}

TEST(TextWriter, ColourOnlyWhenAsked) {
  Scan s;
  load_plan(s);
  s.run();
  std::string plain = write_text(s.report(), false);
  std::string color = write_text(s.report(), true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(color.find("\x1b[1;31merror\x1b[0m XT003 aws_vpc.primary: "),
            std::string::npos);
  EXPECT_NE(color.find("\x1b[1;33mwarning\x1b[0m XT002"), std::string::npos);
}

TEST(TextWriter, CleanScan) {
  Scan s;
  s.run();
  EXPECT_EQ(write_text(s.report(), false),
            "\n0 findings in 0 resources from 0 inputs (primary us-east-1, dr "
            "us-west-2)\n");
}

TEST(JunitWriter, Escaping) {
  EXPECT_EQ(xml_escape("a<b>&\"c'\n\x01\td"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;d");
}

TEST(JunitWriter, FailOnDecidesFailureOrOutput) {
  Scan s;
  load_plan(s);
  s.run();
  s.options.fail_on = "never";
  std::string never = write_junit(s.report());
  EXPECT_EQ(never.find("<failure"), std::string::npos);
  EXPECT_NE(never.find("failures=\"0\""), std::string::npos);
  s.options.fail_on = "warning";
  std::string warning = write_junit(s.report());
  EXPECT_NE(warning.find("<failure message=\"name &quot;orders-logs&quot; does "
                         "not end in -prod\" type=\"warning\">"),
            std::string::npos);
}

TEST(JunitWriter, DisabledRuleIsSkipped) {
  Scan s;
  load_plan(s);
  s.options.rules["XT003"].enabled = false;
  s.run();
  std::string out = write_junit(s.report());
  EXPECT_NE(
      out.find("<testsuite name=\"XT003 vpc-overlap\" tests=\"1\" "
               "failures=\"0\" errors=\"0\" skipped=\"1\">\n"
               "    <testcase classname=\"XT003\" name=\"rule disabled\">\n"
               "      <skipped message=\"disabled by configuration\"/>"),
      std::string::npos);
}

TEST(MarkdownWriter, Escaping) {
  EXPECT_EQ(markdown_escape("a|b *c* _d_ `e` <f> [g](h)\nnext"),
            "a\\|b \\*c\\* \\_d\\_ \\`e\\` &lt;f&gt; \\[g\\](h)<br>next");
}

TEST(MarkdownWriter, StopsBeforeTheCommentSizeLimit) {
  Full s;
  Report r = s.full_report();
  std::string all = write_markdown(r);
  std::string cut = write_markdown(r, 2000);
  EXPECT_GT(all.size(), 2000u);
  EXPECT_LT(cut.size(), 2600u);
  EXPECT_NE(cut.find(" not shown (size limit); see the SARIF or JSON report."),
            std::string::npos);
  EXPECT_EQ(all.find("not shown"), std::string::npos);
  // The summary table and the input errors survive the cut.
  EXPECT_NE(cut.find("| **Total** |"), std::string::npos);
  EXPECT_NE(cut.find("### Input errors"), std::string::npos);
}

TEST(ReportView, ExitThreshold) {
  EXPECT_TRUE(at_or_above(Level::kError, "error"));
  EXPECT_FALSE(at_or_above(Level::kWarning, "error"));
  EXPECT_TRUE(at_or_above(Level::kWarning, "warning"));
  EXPECT_TRUE(at_or_above(Level::kNote, "note"));
  EXPECT_FALSE(at_or_above(Level::kNote, "warning"));
  EXPECT_FALSE(at_or_above(Level::kError, "never"));
  EXPECT_FALSE(at_or_above(Level::kNone, "note"));
}

// Every format as one list, for comparing whole runs.
std::vector<std::string> all_formats(const Report& r) {
  return {write_text(r, false), write_text(r, true), write_json(r),
          write_junit(r),       write_markdown(r),   write_sarif(r),
          write_sarif(r, 4)};  // with some results dropped
}

// Each writer's bytes for 1, 2 and 4 jobs and chunks of 1, 2, 3 or 7
// findings equal those of one serial pass.
void expect_same_for_any_jobs(Report r) {
  r.jobs = 1;
  r.chunk_items = 1000;  // one chunk
  const std::vector<std::string> expected = all_formats(r);
  for (unsigned jobs : {1u, 2u, 4u}) {
    for (size_t chunk : {1u, 2u, 3u, 7u}) {
      r.jobs = jobs;
      r.chunk_items = chunk;
      std::vector<std::string> got = all_formats(r);
      ASSERT_EQ(got.size(), expected.size());
      for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i], expected[i])
            << "format #" << i << ", jobs " << jobs << ", chunk " << chunk;
      }
    }
  }
}

TEST(WritersInParallel, SameBytesForAnyJobsWithSuppressionsAndErrors) {
  Full s;
  // A finding with neither a resource nor a position.
  Finding loose;
  loose.rule_id = "XT003";
  loose.level = Level::kError;
  loose.message = "somewhere";
  s.findings.insert(s.findings.begin() + 3, loose);
  size_t suppressed = 0, related = 0;
  for (const Finding& f : s.findings) {
    suppressed += f.suppressed;
    related += !f.related.empty();
  }
  ASSERT_GE(s.findings.size(), 10u);  // up to 14 chunks
  ASSERT_GT(suppressed, 0u);
  ASSERT_GT(related, 0u);
  expect_same_for_any_jobs(s.full_report());
}

TEST(WritersInParallel, SameBytesForAnyJobsWithABaseline) {
  WithBaseline s;
  Report r = s.baseline_report();
  ASSERT_FALSE(r.absent.empty());
  ASSERT_GE(s.findings.size(), 5u);
  expect_same_for_any_jobs(r);
}

TEST(WritersInParallel, NoFindings) {
  Scan s;
  s.run();
  ASSERT_TRUE(s.findings.empty());
  expect_same_for_any_jobs(s.report());
}

// Records the pieces a writer hands over.
class PieceSink : public ReportSink {
 public:
  void write(std::string_view bytes) override { pieces.emplace_back(bytes); }
  std::string joined() const {
    std::string out;
    for (const auto& p : pieces) out += p;
    return out;
  }
  std::vector<std::string> pieces;
};

TEST(WritersInParallel, SinksGetTheStringsBytesInPieces) {
  Full s;
  Report r = s.full_report();
  r.jobs = 2;
  r.chunk_items = 3;
  PieceSink sarif, json, junit, text;
  write_sarif(r, kSarifMaxResults, sarif);
  write_json(r, json);
  write_junit(r, junit);
  write_text(r, false, text);
  EXPECT_EQ(sarif.joined(), write_sarif(r));
  EXPECT_EQ(json.joined(), write_json(r));
  EXPECT_EQ(junit.joined(), write_junit(r));
  EXPECT_EQ(text.joined(), write_text(r, false));
  EXPECT_GT(sarif.pieces.size(), 3u);
  EXPECT_GT(json.pieces.size(), 3u);
}

TEST(AtomicFile, CommitReplacesAndAnUncommittedFileLeavesNoTrace) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("drcheck-atomic-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "out.txt").string();
  std::ofstream(path) << "old";
  auto files = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
      names.push_back(e.path().filename().string());
    }
    return names;
  };
  std::string error;
  {
    AtomicFile file;
    ASSERT_TRUE(file.open(path, error)) << error;
    file.write("new ");
    EXPECT_EQ(read_text(path), "old");  // not yet
    EXPECT_EQ(files().size(), 2u);
  }
  EXPECT_EQ(read_text(path), "old");
  EXPECT_EQ(files(), (std::vector<std::string>{"out.txt"}));
  {
    AtomicFile file;
    ASSERT_TRUE(file.open(path, error)) << error;
    file.write("new ");
    file.write(std::string(3 << 20, 'x'));  // past an early write-back
    file.write("report");
    ASSERT_TRUE(file.commit(error)) << error;
  }
  EXPECT_EQ(read_text(path), "new " + std::string(3 << 20, 'x') + "report");
  EXPECT_EQ(files(), (std::vector<std::string>{"out.txt"}));
  AtomicFile none;
  EXPECT_FALSE(none.open((dir / "missing" / "x").string(), error));
  EXPECT_EQ(error.rfind("cannot create a file in ", 0), 0u) << error;
  EXPECT_FALSE(none.open(dir.string(), error));
  EXPECT_EQ(error, "is a directory");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace drcheck::testing
