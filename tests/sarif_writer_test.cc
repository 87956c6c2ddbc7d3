// The SARIF writer over hand-built models of real tool output
// (tests/report_fixture.h): GitHub's required fields, regions that span the
// offending value, stable fingerprints, source mapping, limits.
#include "sarif/sarif_writer.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>

#include "analyzer/suppressions.h"
#include "analyzer/tf_source.h"
#include "sarif/sha256.h"
#include "tests/report_fixture.h"

namespace drcheck::testing {
namespace {

using oj = nlohmann::ordered_json;

oj sarif(const Report& r) { return oj::parse(write_sarif(r)); }

// The results of one rule on one resource.
std::vector<oj> results_for(const oj& log, const std::string& rule,
                            const std::string& address) {
  std::vector<oj> out;
  for (const oj& r : log["runs"][0]["results"]) {
    if (r["ruleId"] == rule &&
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] ==
            address) {
      out.push_back(r);
    }
  }
  return out;
}

oj region(int sl, int sc, int el, int ec) {
  oj r = oj::object();
  r["startLine"] = sl;
  r["startColumn"] = sc;
  r["endLine"] = el;
  r["endColumn"] = ec;
  return r;
}

TEST(SarifWriter, LogRunAndDriverShape) {
  Scan s;
  load_plan(s);
  s.run();
  oj log = sarif(s.report());
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const oj& run = log["runs"][0];
  std::vector<std::string> keys;
  for (auto it = run.begin(); it != run.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "tool", "invocations", "originalUriBaseIds", "artifacts",
                      "results", "columnKind", "properties"}));
  const oj& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "drcheck");
  EXPECT_EQ(driver["version"], DRCHECK_VERSION);
  EXPECT_EQ(driver["semanticVersion"], DRCHECK_VERSION);
  EXPECT_EQ(driver["informationUri"], "https://github.com/drcheck/drcheck");
  EXPECT_EQ(run["columnKind"], "unicodeCodePoints");
  std::string root = PathMapper(source_dir()).root_uri();
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], root);
  EXPECT_EQ(root.rfind("file:///", 0), 0u);
  EXPECT_EQ(root.back(), '/');
  EXPECT_EQ(
      run["artifacts"],
      oj::parse(R"([{"location": {"uri": "fixtures/sarif/tf-plan/plan.json",
                            "uriBaseId": "%SRCROOT%"},
                           "roles": ["analysisTarget"]}])"));
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"], oj::array());
  EXPECT_EQ(run["properties"],
            oj::parse(R"({"profile": "production", "primaryRegion": "us-east-1",
                          "drRegion": "us-west-2", "rolesInferredFrom": "option",
                          "envSuffix": "prod", "envSuffixInferred": true})"));
}

TEST(SarifWriter, RuleDescriptorsComeFromRuleMeta) {
  Scan s;
  load_plan(s);
  s.run();
  oj rules = sarif(s.report())["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0], oj::parse(R"({
    "id": "XT001", "name": "owner-tag",
    "shortDescription": {"text": "Every resource names its owner."},
    "fullDescription": {"text": "Every resource carries an Owner tag so that an incident reaches a person."},
    "help": {"text": "Add `Owner`:\n\n```hcl\ntags = { Owner = \"team-orders\" }\n```",
             "markdown": "Add `Owner`:\n\n```hcl\ntags = { Owner = \"team-orders\" }\n```"},
    "helpUri": "https://github.com/drcheck/drcheck/blob/main/docs/rules/XT001.md",
    "defaultConfiguration": {"level": "error"},
    "properties": {"tags": ["dr", "tagging", "security"],
                   "security-severity": "6.5", "precision": "very-high"}})"));
  EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "warning");
  // Already tagged "security": not added twice.
  EXPECT_EQ(rules[2]["properties"]["tags"],
            oj::parse(R"(["dr", "network", "security"])"));
}

TEST(SarifWriter, OverlapResultPointsAtTheValueWithARelatedLocation) {
  Scan s;
  load_plan(s);
  s.run();
  oj log = sarif(s.report());
  auto found = results_for(log, "XT003", "aws_vpc.primary");
  ASSERT_EQ(found.size(), 1u);
  const oj& r = found[0];
  oj expected = oj::parse(R"j({
    "ruleId": "XT003", "ruleIndex": 2, "level": "error",
    "message": {"text": "10.0.0.0/16 overlaps aws_vpc.dr (10.0.0.0/16)"},
    "locations": [{
      "physicalLocation": {
        "artifactLocation": {"uri": "fixtures/sarif/tf-plan/plan.json", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 59, "startColumn": 27, "endLine": 59, "endColumn": 40}},
      "logicalLocations": [{"fullyQualifiedName": "aws_vpc.primary", "kind": "resource"}]}],
    "relatedLocations": [{
      "id": 1,
      "physicalLocation": {
        "artifactLocation": {"uri": "fixtures/sarif/tf-plan/plan.json", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 24, "startColumn": 9, "endLine": 49, "endColumn": 10}},
      "logicalLocations": [{"fullyQualifiedName": "aws_vpc.dr", "kind": "resource"}],
      "message": {"text": "requester VPC aws_vpc.dr"}}],
    "partialFingerprints": {"drcheck/v1": ""},
    "properties": {"region": "us-east-1", "role": "primary"}})j");
  expected["partialFingerprints"]["drcheck/v1"] =
      sha256_hex(std::string("XT003\0aws_vpc.primary\0aws_vpc.dr\0"
                             "10.0.0.0/16",
                             44));
  EXPECT_EQ(r, expected);
}

TEST(SarifWriter, EveryResultHasWhatGitHubRequires) {
  Scan s;
  load_all(s);
  s.run();
  oj log = sarif(s.report());
  const oj& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 12u);
  const oj& rules = log["runs"][0]["tool"]["driver"]["rules"];
  for (const oj& r : results) {
    SCOPED_TRACE(r.dump());
    ASSERT_TRUE(r["ruleId"].is_string());
    ASSERT_TRUE(r["ruleIndex"].is_number_integer());
    EXPECT_EQ(rules[r["ruleIndex"].get<size_t>()]["id"], r["ruleId"]);
    EXPECT_FALSE(r["message"]["text"].get<std::string>().empty());
    const oj& pl = r["locations"][0]["physicalLocation"];
    EXPECT_FALSE(pl["artifactLocation"]["uri"].get<std::string>().empty());
    EXPECT_EQ(pl["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_GE(pl["region"]["startLine"].get<int>(), 1);
    EXPECT_GE(pl["region"]["startColumn"].get<int>(), 1);
    EXPECT_EQ(r["locations"][0]["logicalLocations"][0]["kind"], "resource");
    EXPECT_EQ(r["partialFingerprints"]["drcheck/v1"].get<std::string>().size(),
              64u);
    EXPECT_TRUE(r["level"] == "error" || r["level"] == "warning");
  }
}

TEST(SarifWriter, ResourceLevelRegionSpansTheResourceObject) {
  Scan s;
  load_plan(s);
  s.run();
  oj log = sarif(s.report());
  // aws_s3_bucket.fail_logs has "tags": null: XT001 reports the resource.
  auto found = results_for(log, "XT001", "aws_s3_bucket.fail_logs");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["locations"][0]["physicalLocation"]["region"],
            region(7, 9, 23, 10));
  // aws_vpc.dr has tags: XT001 reports the tags object.
  found = results_for(log, "XT001", "aws_vpc.dr");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["locations"][0]["physicalLocation"]["region"],
            region(36, 21, 39, 14));
}

std::set<std::tuple<std::string, std::string, std::string>> identities(
    const oj& log) {
  std::set<std::tuple<std::string, std::string, std::string>> out;
  for (const oj& r : log["runs"][0]["results"]) {
    out.emplace(r["ruleId"],
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                r["partialFingerprints"]["drcheck/v1"]);
  }
  return out;
}

TEST(SarifWriter, ReindentedInputKeepsFingerprintsAndMovesLines) {
  Scan pretty;
  load_plan(pretty);
  pretty.run();
  oj a = sarif(pretty.report());

  // `terraform show -json` writes one line; the fixture is indented.
  std::string minified = oj::parse(read_text(plan_path())).dump();
  Scan one_line;
  load_plan(one_line, minified);
  one_line.run();
  oj b = sarif(one_line.report());

  Scan four;
  load_plan(four, oj::parse(read_text(plan_path())).dump(4));
  four.run();
  oj c = sarif(four.report());

  ASSERT_EQ(identities(a).size(), 7u);
  EXPECT_EQ(identities(a), identities(b));
  EXPECT_EQ(identities(a), identities(c));
  auto overlap_a = results_for(a, "XT003", "aws_vpc.primary")[0];
  auto overlap_b = results_for(b, "XT003", "aws_vpc.primary")[0];
  auto overlap_c = results_for(c, "XT003", "aws_vpc.primary")[0];
  const auto& ra = overlap_a["locations"][0]["physicalLocation"]["region"];
  const auto& rb = overlap_b["locations"][0]["physicalLocation"]["region"];
  const auto& rc = overlap_c["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(ra["startLine"], 59);
  EXPECT_EQ(rb["startLine"], 1);
  EXPECT_EQ(rb["endLine"], 1);
  EXPECT_EQ(rb["endColumn"].get<int>() - rb["startColumn"].get<int>(), 13);
  EXPECT_EQ(rc["startLine"], 59);
  EXPECT_EQ(rc["startColumn"], 39);  // 18 spaces deeper than with 2
}

TEST(SarifWriter, ByteIdenticalForIdenticalInput) {
  std::string first, second;
  for (std::string* out : {&first, &second}) {
    Scan s;
    load_all(s);
    map_tf_sources(fixture("sarif/tf-plan/infra"), s.model);
    s.run();
    Report r = s.report();
    r.notifications = apply_suppressions(
        s.model, {}, {"XT001", "XT002", "XT003"}, "2026-11-26", s.findings);
    *out = write_sarif(r);
  }
  EXPECT_EQ(first, second);
  EXPECT_EQ(first.back(), '\n');
  // No absolute path but the %SRCROOT% base.
  std::string root = source_dir();
  size_t n = 0;
  for (size_t at = first.find(root); at != std::string::npos;
       at = first.find(root, at + 1)) {
    ++n;
  }
  EXPECT_EQ(n, 1u);
}

TEST(SarifWriter, InputErrorsBecomeNotificationsAndFailTheExecution) {
  Scan s;
  load_plan(s);
  Diagnostic d;
  d.file = fixture("sarif/tf-plan/broken.json");
  d.line = 3;
  d.column = 17;
  d.message = "expected ',' or '}' after an object member";
  s.model.errors.push_back(d);
  s.run();
  Report r = s.report();
  Diagnostic w;
  w.file = fixture("sarif/suppressions.json");
  w.line = 4;
  w.column = 5;
  w.severity = Severity::kWarning;
  w.message = "suppression expired";
  r.notifications.push_back(w);
  const oj inv = sarif(r)["runs"][0]["invocations"][0];
  EXPECT_EQ(inv["executionSuccessful"], false);
  EXPECT_EQ(inv["toolExecutionNotifications"], oj::parse(R"([
    {"level": "error",
     "message": {"text": "expected ',' or '}' after an object member"},
     "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": "fixtures/sarif/tf-plan/broken.json", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 17}}}]},
    {"level": "warning",
     "message": {"text": "suppression expired"},
     "locations": [{"physicalLocation": {
        "artifactLocation": {"uri": "fixtures/sarif/suppressions.json", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 5}}}]}])"));
}

TEST(SarifWriter, ResultLimitKeepsTheMostSevereAndSaysHowManyWentMissing) {
  Scan s;
  load_all(s);
  s.run();
  Report r = s.report();
  size_t errors = 0;
  for (const auto& f : s.findings) errors += f.level == Level::kError;
  ASSERT_EQ(s.findings.size(), 12u);
  ASSERT_EQ(errors, 9u);
  oj log = sarif_json(r, errors);
  const oj& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), errors);
  for (const oj& res : results) EXPECT_EQ(res["level"], "error");
  const oj& notes =
      log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]["level"], "warning");
  EXPECT_EQ(notes[0]["message"]["text"],
            "3 results were dropped to stay within GitHub's limit of 9 results "
            "per run (the least severe go first); use --format json or text "
            "for all of them");
  EXPECT_EQ(kSarifMaxResults, 25000u);
}

TEST(SarifWriter, ColumnsCountUnicodeCodePoints) {
  Scan s;
  // One line: "é" and "ü" are two bytes each in UTF-8.
  std::string text =
      R"({"Resources": {"Bücket": {"Type": "AWS::S3::Bucket", "Properties": )"
      R"({"BucketName": "café-logs"}}}})";
  add_cfn(s.model, parse_text("/tmp/unicode.template.json", text), "Stack",
          "us-east-1");
  s.run();
  oj log = sarif(s.report());
  auto found = results_for(log, "XT002", "Stack/Bücket");
  ASSERT_EQ(found.size(), 1u);
  size_t byte = text.find("\"café-logs\"");
  // 1-based column: the byte offset + 1, less the extra byte of "ü"; the
  // value itself is 11 code points (12 bytes).
  int start = static_cast<int>(byte);
  EXPECT_EQ(found[0]["locations"][0]["physicalLocation"]["region"],
            region(1, start, 1, start + 11));
}

TEST(SarifWriter, TfSourceMovesThePrimaryLocationToTheTfLine) {
  Scan s;
  load_plan(s);
  EXPECT_EQ(map_tf_sources(fixture("sarif/tf-plan/infra"), s.model), 4u);
  s.run();
  oj log = sarif(s.report());
  auto found = results_for(log, "XT003", "aws_vpc.primary");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["locations"][0]["physicalLocation"], oj::parse(R"({
    "artifactLocation": {"uri": "fixtures/sarif/tf-plan/infra/main.tf", "uriBaseId": "%SRCROOT%"},
    "region": {"startLine": 29, "startColumn": 1}})"));
  const oj& related = found[0]["relatedLocations"];
  ASSERT_EQ(related.size(), 2u);
  EXPECT_EQ(related[0]["id"], 1);
  EXPECT_EQ(
      related[0]["message"]["text"],
      "synthesized in fixtures/sarif/tf-plan/plan.json as aws_vpc.primary");
  EXPECT_EQ(related[0]["physicalLocation"]["region"], region(59, 27, 59, 40));
  EXPECT_EQ(related[1]["id"], 2);
  EXPECT_EQ(related[1]["message"]["text"], "requester VPC aws_vpc.dr");
  EXPECT_EQ(related[1]["physicalLocation"]["artifactLocation"]["uri"],
            "fixtures/sarif/tf-plan/infra/main.tf");
  EXPECT_EQ(related[1]["physicalLocation"]["region"]["startLine"], 38);
  // The fingerprint does not depend on where the finding is shown.
  Scan plain;
  load_plan(plain);
  plain.run();
  EXPECT_EQ(identities(log), identities(sarif(plain.report())));
  // Module resources map into the module's folder; a registry module does
  // not map.
  found = results_for(log, "XT001", "module.legacy.aws_s3_bucket.archive");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(
      found[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "fixtures/sarif/tf-plan/infra/modules/legacy/main.tf");
  found = results_for(log, "XT001", "module.remote.aws_s3_bucket.this[0]");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(
      found[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "fixtures/sarif/tf-plan/plan.json");
  EXPECT_FALSE(found[0].contains("relatedLocations"));
  // Source files become artifacts (without the analysisTarget role).
  std::set<std::string> artifacts;
  for (const oj& a : log["runs"][0]["artifacts"]) {
    artifacts.insert(a["location"]["uri"].get<std::string>() +
                     (a.contains("roles") ? " (input)" : ""));
  }
  EXPECT_EQ(artifacts,
            (std::set<std::string>{
                "fixtures/sarif/tf-plan/infra/main.tf",
                "fixtures/sarif/tf-plan/infra/modules/legacy/main.tf",
                "fixtures/sarif/tf-plan/plan.json (input)"}));
}

TEST(SarifWriter, SourceRefsAreUsedWhenTheFileIsInTheCheckout) {
  Scan s;
  load_plan(s);
  // As the Pulumi loader records sourcePosition (project-relative) and the
  // CDK loader a trace frame (absolute): found from the input's folder
  // upwards, or not at all.
  std::map<std::string, SourceRef> refs = {
      {"aws_vpc.primary", {"infra/main.tf", 29, 1}},
      {"aws_vpc.dr", {"project:///infra/modules/legacy/main.tf", 1, 1}},
      {"aws_s3_bucket.fail_logs",
       {fixture("sarif/tf-plan/infra/main.tf"), 47, 1}},
      {"module.legacy.aws_s3_bucket.archive",
       {"/home/runner/work/app/lib/dr-stack.ts", 10, 3}},
      {"module.remote.aws_s3_bucket.this[0]", {"src/missing.ts", 3, 1}}};
  for (auto& r : s.model.resources) {
    auto it = refs.find(r.address);
    if (it != refs.end()) r.source_ref = it->second;
  }
  s.run();
  oj log = sarif(s.report());
  auto where = [&](const std::string& address) {
    auto found = results_for(log, "XT001", address);
    EXPECT_EQ(found.size(), 1u);
    const oj& pl = found.at(0)["locations"][0]["physicalLocation"];
    return pl["artifactLocation"]["uri"].get<std::string>() + ":" +
           std::to_string(pl["region"]["startLine"].get<int>());
  };
  EXPECT_EQ(where("aws_vpc.primary"),
            "fixtures/sarif/tf-plan/infra/main.tf:29");
  EXPECT_EQ(where("aws_vpc.dr"),
            "fixtures/sarif/tf-plan/infra/modules/legacy/main.tf:1");
  EXPECT_EQ(where("aws_s3_bucket.fail_logs"),
            "fixtures/sarif/tf-plan/infra/main.tf:47");
  EXPECT_EQ(where("module.legacy.aws_s3_bucket.archive"),
            "fixtures/sarif/tf-plan/plan.json:93");
  EXPECT_EQ(where("module.remote.aws_s3_bucket.this[0]"),
            "fixtures/sarif/tf-plan/plan.json:108");
  auto primary = results_for(log, "XT001", "aws_vpc.primary");
  EXPECT_EQ(primary[0]["locations"][0]["physicalLocation"]["region"],
            oj::parse(R"({"startLine": 29, "startColumn": 1})"));
}

TEST(SarifWriter, SuppressedFindingsStayWithTheirSuppression) {
  Scan s;
  load_all(s);
  s.run();
  std::vector<SuppressionEntry> entries(1);
  entries[0].rule = "XT003";
  entries[0].address = "aws_vpc.*";
  entries[0].justification = "the DR VPC is never peered";
  apply_suppressions(s.model, entries, {"XT001", "XT002", "XT003"},
                     "2026-11-26", s.findings);
  oj log = sarif(s.report());
  auto found = results_for(log, "XT003", "aws_vpc.primary");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["suppressions"], oj::parse(R"([{"kind": "external",
      "status": "accepted", "justification": "the DR VPC is never peered"}])"));
  found = results_for(log, "XT001", "OrdersDrStack/OrdersTable");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]["suppressions"], oj::parse(R"([{"kind": "inSource",
      "status": "accepted",
      "justification": "table is recreated from the stream archive"}])"));
  found = results_for(log, "XT001", "OrdersDrStack/ArchiveBucket");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_FALSE(found[0].contains("suppressions"));
}

TEST(SarifWriter, PathsOutsideTheSourceRootStayRelative) {
  Scan s;
  load_plan(s);
  s.run();
  Report r = s.report();
  r.src_root = fixture("sarif/cfn");
  oj log = sarif(r);
  EXPECT_EQ(log["runs"][0]["artifacts"][0]["location"]["uri"],
            "../tf-plan/plan.json");
  EXPECT_EQ(log["runs"][0]["artifacts"][0]["location"]["uriBaseId"],
            "%SRCROOT%");
}

TEST(SarifWriter, RelatedLocationsStayWithinGitHubsLimit) {
  Scan s;
  load_plan(s);
  s.run();
  ASSERT_FALSE(s.findings.empty());
  Finding& f = s.findings.back();
  ASSERT_EQ(f.rule_id, "XT003");
  f.related.assign(1200, Related{0, "peer", {}});
  oj r = sarif(s.report())["runs"][0]["results"].back();
  EXPECT_EQ(r["relatedLocations"].size(), kSarifMaxRelated);
  EXPECT_EQ(r["relatedLocations"].back()["id"], 999);
  EXPECT_EQ(r["properties"]["relatedLocationsDropped"], 201);
}

TEST(SarifWriter, UriEscaping) {
  EXPECT_EQ(uri_escape_path("a b/c%d#e?f/ü.json"),
            "a%20b/c%25d%23e%3Ff/%C3%BC.json");
  PathMapper m("/srv/my repo");
  EXPECT_EQ(m.root_uri(), "file:///srv/my%20repo/");
  bool under = false;
  EXPECT_EQ(m.relative("/srv/my repo/infra/./x/../plan.json", &under),
            "infra/plan.json");
  EXPECT_TRUE(under);
  EXPECT_EQ(m.relative("file:///srv/my%20repo/app/index.ts", &under),
            "app/index.ts");
  EXPECT_TRUE(under);
  EXPECT_EQ(m.relative("/srv/other/plan.json", &under), "../other/plan.json");
  EXPECT_FALSE(under);
}

}  // namespace
}  // namespace drcheck::testing
