// The engine's scheduling: rules run heaviest first on several threads, yet
// findings come out in one order (rule id, then primary address, facts,
// message), whatever the job count and whatever order the rules finish in.
#include "analyzer/engine.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace drcheck {
namespace {

// A rule that reports the resources whose address starts with `prefix`, in
// reverse model order (so the engine's sort has work to do).
class PrefixRule : public Rule {
 public:
  PrefixRule(std::string id, std::string prefix, int cost)
      : id_(std::move(id)), prefix_(std::move(prefix)) {
    meta_.id = id_;
    meta_.name = "prefix";
    meta_.default_level = Level::kWarning;
    meta_.cost = cost;
  }
  const RuleMeta& meta() const override { return meta_; }
  void check(const Model& model, const ScanOptions&,
             std::vector<Finding>& out) const override {
    for (size_t i = model.resources.size(); i-- > 0;) {
      const Resource& r = model.resources[i];
      if (r.address.rfind(prefix_, 0) != 0) continue;
      Finding f;
      f.resource = static_cast<int>(i);
      f.message = id_ + " on " + r.address;
      out.push_back(std::move(f));
    }
  }

 private:
  std::string id_, prefix_;
  RuleMeta meta_;
};

Model model_of(const std::vector<std::string>& addresses) {
  Model m;
  for (const auto& a : addresses) {
    Resource r;
    r.address = a;
    r.kind = "aws_s3_bucket";
    m.resources.push_back(std::move(r));
  }
  return m;
}

std::vector<std::string> messages(const std::vector<Finding>& found) {
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.message);
  return out;
}

TEST(Engine, FindingsKeepOneOrderWhateverTheJobsAndCosts) {
  Model model = model_of({"b.2", "a.1", "b.1", "a.2", "c.1"});
  std::vector<std::unique_ptr<Rule>> rules;
  // Registered out of id order, the lightest first.
  rules.push_back(std::make_unique<PrefixRule>("X003", "c", 1));
  rules.push_back(std::make_unique<PrefixRule>("X001", "a", 2));
  rules.push_back(std::make_unique<PrefixRule>("X002", "b", 9));
  const std::vector<std::string> expected = {"X001 on a.1", "X001 on a.2",
                                             "X002 on b.1", "X002 on b.2",
                                             "X003 on c.1"};
  for (unsigned jobs : {1u, 2u, 3u, 8u}) {
    ScanOptions options;
    auto found = run_rules(model, options, rules, jobs);
    EXPECT_EQ(messages(found), expected) << jobs << " jobs";
    for (const auto& f : found) EXPECT_EQ(f.level, Level::kWarning);
  }
}

TEST(Engine, TwoRulesUnderOneIdInterleaveByAddress) {
  Model model = model_of({"b.1", "a.1", "b.2", "a.2"});
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<PrefixRule>("X001", "b", 1));
  rules.push_back(std::make_unique<PrefixRule>("X001", "a", 1));
  for (unsigned jobs : {1u, 2u}) {
    ScanOptions options;
    auto found = run_rules(model, options, rules, jobs);
    EXPECT_EQ(messages(found),
              (std::vector<std::string>{"X001 on a.1", "X001 on a.2",
                                        "X001 on b.1", "X001 on b.2"}))
        << jobs << " jobs";
  }
}

TEST(Engine, LevelOverridesApplyOnEveryThread) {
  Model model = model_of({"a.1", "b.1"});
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<PrefixRule>("X001", "a", 1));
  rules.push_back(std::make_unique<PrefixRule>("X002", "b", 5));
  ScanOptions options;
  options.rules["X002"].level = "error";
  options.rules["X001"].enabled = false;
  auto found = run_rules(model, options, rules, 2);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].message, "X002 on b.1");
  EXPECT_EQ(found[0].level, Level::kError);
}

}  // namespace
}  // namespace drcheck
