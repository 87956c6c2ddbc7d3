// Every registered rule has complete metadata, a doc page and fixtures; every
// doc page and fixture folder belongs to a registered rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "rules/registry.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;
using testing::source_dir;

std::set<std::string> registered_ids() {
  std::set<std::string> ids;
  for (const auto& r : all_rules()) ids.emplace(r->meta().id);
  return ids;
}

TEST(RulesMeta, EveryRuleHasMetadataDocAndFixtures) {
  std::string last;
  for (const auto& rule : all_rules()) {
    const RuleMeta& m = rule->meta();
    std::string id(m.id);
    SCOPED_TRACE(id);
    EXPECT_GT(id, last) << "registry.cc must list rules in order of id";
    last = id;
    EXPECT_FALSE(m.name.empty());
    EXPECT_FALSE(m.short_description.empty());
    EXPECT_FALSE(m.full_description.empty());
    EXPECT_FALSE(m.help_markdown.empty());
    EXPECT_FALSE(m.tags.empty());
    EXPECT_FALSE(m.security_severity.empty());
    EXPECT_FALSE(m.precision.empty());
    EXPECT_NE(m.default_level, Level::kNone);
    EXPECT_TRUE(fs::exists(source_dir() + "/docs/rules/" + id + ".md"));
    EXPECT_FALSE(testing::case_dirs(id, "pass").empty()) << "no pass fixtures";
    EXPECT_FALSE(testing::case_dirs(id, "fail").empty()) << "no fail fixtures";
  }
}

TEST(RulesMeta, EveryDocAndFixtureFolderHasItsRule) {
  auto ids = registered_ids();
  std::string docs = source_dir() + "/docs/rules";
  if (!fs::exists(docs)) {
    EXPECT_TRUE(ids.empty())
        << "rules are registered but docs/rules/ is missing";
    return;
  }
  for (const auto& e : fs::directory_iterator(docs)) {
    std::string stem = e.path().stem().string();
    EXPECT_TRUE(ids.count(stem)) << e.path() << " documents no registered rule";
  }
  std::string fixtures = source_dir() + "/fixtures/rules";
  if (!fs::exists(fixtures)) return;
  for (const auto& e : fs::directory_iterator(fixtures)) {
    EXPECT_TRUE(ids.count(e.path().filename().string()))
        << e.path() << " has no registered rule";
  }
}

}  // namespace
}  // namespace drcheck
