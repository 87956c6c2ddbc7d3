// Suppressions: the file (globs, expiry, required justification) and the
// in-source markers (tag, CloudFormation Metadata, CDKTF "//").
#include "analyzer/suppressions.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

#include "tests/report_fixture.h"

namespace drcheck::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kIds = {"XT001", "XT002", "XT003"};

TEST(Glob, StarAndQuestionMark) {
  EXPECT_TRUE(glob_match("module.legacy.*", "module.legacy.aws_s3_bucket.a"));
  EXPECT_TRUE(glob_match("module.legacy.*", "module.legacy."));
  EXPECT_FALSE(glob_match("module.legacy.*", "module.legacy"));
  EXPECT_FALSE(glob_match("module.legacy.*", "module.legacy2.aws_vpc.a"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("aws_vpc.d?", "aws_vpc.dr"));
  EXPECT_FALSE(glob_match("aws_vpc.d?", "aws_vpc.d"));
  EXPECT_FALSE(glob_match("aws_vpc.d?", "aws_vpc.drx"));
  EXPECT_TRUE(
      glob_match("*.aws_s3_bucket.*[0]", "module.a.aws_s3_bucket.b[0]"));
  EXPECT_TRUE(glob_match("*a*b*c", "xxaxxbxxbxxc"));
  EXPECT_FALSE(glob_match("*a*b*c", "xxaxxbxxcxxb"));
  EXPECT_TRUE(
      glob_match("urn:pulumi:dev::tap::*::orders-*",
                 "urn:pulumi:dev::tap::aws:s3/bucketV2:BucketV2::orders-logs"));
  EXPECT_FALSE(glob_match("DR00?", "DR0010"));
}

TEST(Dates, Validity) {
  EXPECT_TRUE(valid_date("2027-01-31"));
  EXPECT_TRUE(valid_date("2028-02-29"));
  EXPECT_FALSE(valid_date("2027-02-29"));
  EXPECT_FALSE(valid_date("2027-13-01"));
  EXPECT_FALSE(valid_date("2027-1-31"));
  EXPECT_FALSE(valid_date("31.01.2027"));
  EXPECT_TRUE(valid_date("2000-02-29"));
  EXPECT_FALSE(valid_date("1900-02-29"));
}

TEST(Dates, TodayHonoursSourceDateEpoch) {
  const char* old = std::getenv("SOURCE_DATE_EPOCH");
  std::string saved = old ? old : "";
  setenv("SOURCE_DATE_EPOCH", "1798675200", 1);  // 2026-12-31T00:00:00Z
  EXPECT_EQ(today_utc(), "2026-12-31");
  setenv("SOURCE_DATE_EPOCH", "1798761599", 1);  // 2026-12-31T23:59:59Z
  EXPECT_EQ(today_utc(), "2026-12-31");
  if (old) {
    setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
  } else {
    unsetenv("SOURCE_DATE_EPOCH");
  }
  EXPECT_EQ(today_utc().size(), 10u);
}

TEST(SuppressionsFile, Loads) {
  std::vector<SuppressionEntry> entries;
  Diagnostic d;
  ASSERT_TRUE(load_suppressions(fixture("sarif/suppressions.json"), entries, d))
      << d.str();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].rule, "XT001");
  EXPECT_EQ(entries[0].address, "module.remote.*");
  EXPECT_EQ(entries[0].expires, "2027-01-31");
  EXPECT_EQ(entries[1].line, 9u);
  EXPECT_EQ(entries[1].column, 5u);
  EXPECT_EQ(entries[2].expires, "");
}

class BadFile : public ::testing::Test {
 protected:
  Diagnostic load(const std::string& text) {
    path_ = (fs::temp_directory_path() /
             ("drcheck-supp-" + std::to_string(::getpid()) + ".json"))
                .string();
    std::ofstream(path_) << text;
    std::vector<SuppressionEntry> entries;
    Diagnostic d;
    EXPECT_FALSE(load_suppressions(path_, entries, d));
    fs::remove(path_);
    return d;
  }
  std::string path_;
};

TEST_F(BadFile, MissingJustification) {
  Diagnostic d = load(
      "{\"suppressions\": [\n  {\"rule\": \"DR002\", \"address\": "
      "\"x.*\"}\n]}");
  EXPECT_EQ(d.str(), path_ +
                         ":2:3: error: a suppression needs a \"justification\" "
                         "saying why the finding is accepted");
}

TEST_F(BadFile, BlankJustification) {
  Diagnostic d = load(
      "{\"suppressions\": [{\"rule\": \"DR002\", \"justification\": \"  \"}]}");
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.column, 19u);
}

TEST_F(BadFile, MalformedDate) {
  Diagnostic d = load(
      "{\"suppressions\": [{\"rule\": \"DR002\", \"justification\": \"j\",\n"
      "  \"expires\": \"2027-02-30\"}]}");
  EXPECT_EQ(d.str(), path_ +
                         ":2:14: error: \"expires\" must be a date written "
                         "YYYY-MM-DD, not \"2027-02-30\"");
}

TEST_F(BadFile, UnknownKeyAndShapes) {
  EXPECT_EQ(load("{\"suppressions\": [{\"rule\": \"DR002\", \"justification\": "
                 "\"j\", \"until\": \"2027-01-01\"}]}")
                .message,
            "unknown key \"until\" in a suppression (known: rule, address, "
            "justification, expires)");
  EXPECT_EQ(load("{\"suppressions\": {}}").message,
            "\"suppressions\" must be an array of entries");
  EXPECT_EQ(load("[]").message,
            "a suppressions file must be an object like {\"suppressions\": "
            "[...]}");
  EXPECT_EQ(load("{\"supressions\": []}").message,
            "unknown key \"supressions\" in a suppressions file (known: "
            "suppressions)");
  EXPECT_EQ(load("{\"suppressions\": [{\"justification\": \"j\"}]}").message,
            "a suppression needs \"rule\" or \"address\" (both are globs; a "
            "bare entry would suppress everything)");
  EXPECT_EQ(
      load("{\"suppressions\": [{\"rule\": 2, \"justification\": \"j\"}]}")
          .message,
      "\"rule\" must be a non-empty string");
  EXPECT_EQ(load("{\"suppressions\": [").line, 1u);
}

TEST(SuppressionsFile, Missing) {
  std::vector<SuppressionEntry> entries;
  Diagnostic d;
  EXPECT_FALSE(load_suppressions("/nonexistent/s.json", entries, d));
  EXPECT_EQ(d.file, "/nonexistent/s.json");
}

using Triple = std::tuple<std::string, std::string, std::string>;

// (rule, address, kind) of every suppressed finding.
std::set<Triple> suppressed(const Scan& s) {
  std::set<Triple> out;
  for (const Finding& f : s.findings) {
    if (f.suppressed) {
      out.emplace(std::string(f.rule_id),
                  s.model.resources[static_cast<size_t>(f.resource)].address,
                  f.suppression_kind);
    }
  }
  return out;
}

std::vector<Diagnostic> apply_fixture(Scan& s, const std::string& today) {
  std::vector<SuppressionEntry> entries;
  Diagnostic d;
  EXPECT_TRUE(
      load_suppressions(fixture("sarif/suppressions.json"), entries, d));
  return apply_suppressions(s.model, entries, kIds, today, s.findings);
}

TEST(ApplySuppressions, FileAndInSourceMarkers) {
  Scan s;
  load_all(s);
  s.run();
  auto warnings = apply_fixture(s, "2026-11-26");
  EXPECT_EQ(suppressed(s),
            (std::set<Triple>{
                {"XT001", "OrdersDrStack/ArchiveBucket", "external"},
                {"XT001", "OrdersDrStack/OrdersTable", "inSource"},
                {"XT001", "aws_s3_bucket.replica", "inSource"},
                {"XT001", "module.legacy.aws_s3_bucket.archive", "inSource"},
                {"XT001", "module.remote.aws_s3_bucket.this[0]", "external"},
                {"XT002", "OrdersDrStack/ArchiveBucket", "inSource"},
                {"XT002", "aws_s3_bucket.replica", "inSource"}}));
  std::map<std::string, std::string> justification;
  for (const Finding& f : s.findings) {
    if (f.suppressed) {
      justification[std::string(f.rule_id) + " " +
                    s.model.resources[static_cast<size_t>(f.resource)]
                        .address] = f.suppression_justification;
    }
  }
  EXPECT_EQ(justification["XT001 OrdersDrStack/OrdersTable"],
            "table is recreated from the stream archive");
  EXPECT_EQ(justification["XT002 OrdersDrStack/ArchiveBucket"],
            "Metadata.drcheck.skip on OrdersDrStack/ArchiveBucket");
  EXPECT_EQ(
      justification["XT001 module.legacy.aws_s3_bucket.archive"],
      "tag drcheck:skip=XT001, XT009 on module.legacy.aws_s3_bucket.archive");
  EXPECT_EQ(justification["XT001 aws_s3_bucket.replica"],
            "replica bucket name is fixed by the DR runbook");
  EXPECT_EQ(justification["XT001 module.remote.aws_s3_bucket.this[0]"],
            "vendored registry module; the wrapper module tags it");

  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].str(),
            plan_path() +
                ":94:35: warning: in-source suppression on "
                "module.legacy.aws_s3_bucket.archive names unknown rule "
                "\"XT009\"");
  EXPECT_EQ(warnings[1].str(),
            fixture("sarif/suppressions.json") +
                ":9:5: warning: suppression of rule XT001 for aws_vpc.d? "
                "expired on 2026-06-30; its findings count again "
                "(justification was: DR VPC tags come from the landing zone "
                "until the June cut-over)");
}

TEST(ApplySuppressions, ExpiryDayItselfStillSuppresses) {
  Scan s;
  load_all(s);
  s.run();
  auto warnings = apply_fixture(s, "2026-06-30");
  EXPECT_EQ(suppressed(s).count({"XT001", "aws_vpc.dr", "external"}), 1u);
  EXPECT_EQ(warnings.size(), 1u);  // only the unknown XT009
  Scan later;
  load_all(later);
  later.run();
  apply_fixture(later, "2026-07-01");
  EXPECT_EQ(suppressed(later).count({"XT001", "aws_vpc.dr", "external"}), 0u);
}

TEST(InSourceSkips, EachMarkerKind) {
  Scan s;
  load_all(s);
  s.run();
  auto of = [&](const std::string& address) {
    return in_source_skips(*s.model.find(address));
  };
  auto table = of("OrdersDrStack/OrdersTable");
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table[0].rules, (std::vector<std::string>{"XT001", "XT002"}));
  EXPECT_EQ(table[0].at.position().line, 26u);
  auto archive = of("OrdersDrStack/ArchiveBucket");
  ASSERT_EQ(archive.size(), 1u);
  EXPECT_EQ(archive[0].rules, (std::vector<std::string>{"XT002"}));
  auto replica = of("aws_s3_bucket.replica");
  ASSERT_EQ(replica.size(), 1u);
  EXPECT_EQ(replica[0].rules, (std::vector<std::string>{"XT002", "XT001"}));
  auto legacy = of("module.legacy.aws_s3_bucket.archive");
  ASSERT_EQ(legacy.size(), 1u);
  EXPECT_EQ(legacy[0].rules, (std::vector<std::string>{"XT001", "XT009"}));
  EXPECT_TRUE(of("aws_vpc.primary").empty());
}

TEST(InSourceSkips, LowerCaseAndSeparators) {
  Model model;
  auto doc = parse_text(
      "t.json", R"({"Metadata": {"drcheck": {"skip": " dr002 ;DR005,"}}})");
  Resource r;
  r.address = "S/X";
  r.format = Format::kCloudFormation;  // Metadata markers are CloudFormation's
  r.envelope = doc->root();
  r.tags["drcheck:skip"] = Tag{"dr001", {}, false};
  auto skips = in_source_skips(r);
  ASSERT_EQ(skips.size(), 2u);
  EXPECT_EQ(skips[0].rules, (std::vector<std::string>{"DR001"}));
  EXPECT_EQ(skips[1].rules, (std::vector<std::string>{"DR002", "DR005"}));
}

// A Metadata or `//` member means nothing outside CloudFormation and
// Terraform JSON (a Pulumi output could hold one).
TEST(InSourceSkips, MarkersCountOnlyInTheirFormat) {
  auto doc = parse_text("t.json",
                        R"({"Metadata": {"drcheck": {"skip": "DR002"}},
                            "//": {"drcheck_skip": "DR003"}})");
  Resource r;
  r.address = "urn:pulumi:s::p::aws:s3/bucket:Bucket::b";
  r.format = Format::kPulumiState;
  r.envelope = doc->root();
  EXPECT_TRUE(in_source_skips(r).empty());
  r.format = Format::kTerraformJson;
  auto skips = in_source_skips(r);
  ASSERT_EQ(skips.size(), 1u);
  EXPECT_EQ(skips[0].rules, (std::vector<std::string>{"DR003"}));
}

}  // namespace
}  // namespace drcheck::testing
