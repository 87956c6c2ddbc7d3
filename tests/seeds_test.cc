// The seed architectures (fixtures/seeds/) against their golden findings.
//
// Each seed folder holds the synthesized output of its tool, a .drcheck.json
// with its regions and profile, and expected-findings.txt: one line per
// finding, "RULE<TAB>address<TAB>facts", sorted. fixtures/seeds/README.md
// explains every line. Regenerate with UPDATE_GOLDEN=1 (never automatic)
// and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/engine.h"
#include "analyzer/loader.h"
#include "rules/registry.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

std::string findings_text(const std::string& dir, unsigned jobs = 1) {
  ScanOptions options;
  Diagnostic d;
  EXPECT_TRUE(load_config_file(dir + "/.drcheck.json", options, d)) << d.str();
  Model model;
  load_path(dir, LoadOptions{}, model);
  model.finalize({options.primary_region, options.dr_region});
  for (const auto& e : model.errors) ADD_FAILURE() << e.str();
  auto rules = all_rules();
  auto findings = run_rules(model, options, rules, jobs);
  std::vector<std::string> lines;
  for (const auto& f : findings) {
    std::string facts;
    for (const auto& x : f.facts) facts += (facts.empty() ? "" : ",") + x;
    lines.push_back(std::string(f.rule_id) + "\t" +
                    model.resources[static_cast<size_t>(f.resource)].address +
                    "\t" + facts);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(Seeds, FindingsMatchTheGoldenLists) {
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  int seeds = 0;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(testing::fixture("seeds"))) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    ++seeds;
    SCOPED_TRACE(dir.string());
    std::string got = findings_text(dir.string());
    fs::path golden = dir / "expected-findings.txt";
    if (update) {
      std::ofstream(golden) << got;
      continue;
    }
    std::ifstream in(golden);
    ASSERT_TRUE(in) << "missing " << golden << " (run with UPDATE_GOLDEN=1)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str());
  }
  EXPECT_EQ(seeds, 6);
}

// Rules running on two or four threads find the same, in the same order (the
// golden lists are sorted, so compare the engine's order directly).
TEST(Seeds, RulesOnTwoThreadsFindTheSameInTheSameOrder) {
  for (const auto& e : fs::directory_iterator(testing::fixture("seeds"))) {
    if (!e.is_directory()) continue;
    SCOPED_TRACE(e.path().string());
    ScanOptions options;
    Diagnostic d;
    ASSERT_TRUE(
        load_config_file((e.path() / ".drcheck.json").string(), options, d));
    Model model;
    load_path(e.path().string(), LoadOptions{}, model);
    model.finalize({options.primary_region, options.dr_region});
    auto rules = all_rules();
    ScanOptions serial_options = options;
    auto serial = run_rules(model, serial_options, rules, 1);
    ASSERT_FALSE(serial.empty());
    for (unsigned jobs : {2u, 4u}) {
      ScanOptions parallel_options = options;
      auto parallel = run_rules(model, parallel_options, rules, jobs);
      EXPECT_EQ(parallel_options.env_suffix, serial_options.env_suffix);
      ASSERT_EQ(serial.size(), parallel.size());
      for (size_t i = 0; i < serial.size(); ++i) {
        EXPECT_EQ(serial[i].rule_id, parallel[i].rule_id);
        EXPECT_EQ(serial[i].level, parallel[i].level);
        EXPECT_EQ(serial[i].resource, parallel[i].resource);
        EXPECT_EQ(serial[i].message, parallel[i].message);
        EXPECT_EQ(serial[i].facts, parallel[i].facts);
      }
    }
  }
}

// Region and role of every resource of every seed, against
// expected-regions.txt ("address<TAB>region<TAB>role", in model order).
TEST(Seeds, RegionAndRoleOfEveryResource) {
  const bool update = std::getenv("UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(testing::fixture("seeds"))) {
    if (e.is_directory()) dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir.string());
    ScanOptions options;
    Diagnostic d;
    ASSERT_TRUE(load_config_file((dir / ".drcheck.json").string(), options, d));
    Model model;
    load_path(dir.string(), LoadOptions{}, model);
    model.finalize({options.primary_region, options.dr_region});
    std::string got;
    for (const auto& r : model.resources) {
      EXPECT_TRUE(r.region.has_value()) << r.address << ": " << r.region_source;
      EXPECT_NE(r.role, Role::kUnknown) << r.address;
      got += r.address + "\t" + r.region.value_or("null") + "\t" +
             role_name(r.role) + "\n";
    }
    fs::path golden = dir / "expected-regions.txt";
    if (update) {
      std::ofstream(golden) << got;
      continue;
    }
    std::ifstream in(golden);
    ASSERT_TRUE(in) << "missing " << golden << " (run with UPDATE_GOLDEN=1)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str());
  }
}

// The mistakes the seed documents name are among the findings.
TEST(Seeds, DocumentedMistakesAreCaught) {
  auto has = [](const std::string& text, const std::string& rule,
                const std::string& address_part) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(rule + "\t", 0) == 0 &&
          line.find(address_part) != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  std::string s000 =
      findings_text(testing::fixture("seeds/000-pulumi-ts-peered-vpcs"));
  EXPECT_TRUE(has(s000, "DR004", "aws:ec2/vpc:Vpc::vpc-secondary-dev")) << s000;
  std::string prev = findings_text(
      testing::fixture("seeds/002-pulumi-py-accelerator-previous"));
  EXPECT_TRUE(
      has(prev, "DR006", "healthCheck:HealthCheck::health-check-primary-dev"));
  EXPECT_TRUE(has(prev, "DR006",
                  "healthCheck:HealthCheck::health-check-secondary-dev"));
  EXPECT_TRUE(
      has(prev, "DR006", "listener:Listener::accelerator-listener-dev"));
  std::string fixed =
      findings_text(testing::fixture("seeds/002-pulumi-py-accelerator"));
  EXPECT_FALSE(
      has(fixed, "DR006", "listener:Listener::accelerator-listener-dev"));
  EXPECT_FALSE(has(fixed, "DR006", "health-check-primary-dev"));
}

}  // namespace
}  // namespace drcheck
