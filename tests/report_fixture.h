// report_fixture.h: models and findings for writer tests, built by hand.
//
// Writer tests must not depend on the format loaders or the DR rules (both
// are developed separately), so they assemble a Model themselves from real
// tool output under fixtures/sarif/ — every Resource points into the
// parsed document exactly as a loader's would (attributes, tags with their
// values' positions, envelope, `at`) — and run small rules defined here:
//
//   XT001 owner-tag    (error)   a resource with no Owner tag; reported at
//                                its `tags` value, else the resource.
//   XT002 name-suffix  (warning) a user-set name not ending in "-prod";
//                                reported at the name value.
//   XT003 vpc-overlap  (error)   two VPCs with the same CIDR; reported at
//                                the later VPC's cidr_block, related: the
//                                other VPC ("requester VPC").
#ifndef DRCHECK_TESTS_REPORT_FIXTURE_H_
#define DRCHECK_TESTS_REPORT_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/engine.h"
#include "analyzer/json.h"
#include "analyzer/model.h"
#include "analyzer/rule.h"
#include "sarif/report.h"
#include "tests/rule_fixtures.h"

namespace drcheck::testing {

inline std::shared_ptr<const json::JsonDoc> parse_text(std::string path,
                                                       std::string text) {
  auto parsed = json::JsonDoc::parse(
      SourceFile::from_string(std::move(path), std::move(text)));
  auto* doc = std::get_if<std::shared_ptr<const json::JsonDoc>>(&parsed);
  return doc ? *doc : nullptr;
}

inline std::string read_text(const std::string& path) {
  auto f = SourceFile::read(path);
  auto* file = std::get_if<std::shared_ptr<const SourceFile>>(&f);
  return file ? std::string((*file)->text()) : std::string();
}

inline int add_input(Model& model, std::shared_ptr<const json::JsonDoc> doc,
                     Format format) {
  Input in;
  in.file = doc->source().path();
  in.format = format;
  in.doc = std::move(doc);
  model.inputs.push_back(std::move(in));
  return static_cast<int>(model.inputs.size()) - 1;
}

inline Resource& add_resource(Model& model, int input, Format format,
                              std::string address, std::string type,
                              json::JValue object, json::JValue attributes,
                              std::string region) {
  Resource r;
  r.address = std::move(address);
  r.type = type;
  r.kind = std::move(type);
  r.format = format;
  r.input = input;
  r.region = std::move(region);
  r.attributes = attributes;
  r.envelope = object;
  r.at = Location::of(object);
  r.taggable = true;
  for (auto [key, value] : attributes["tags"].members()) {
    if (value.is_string())
      r.tags[std::string(key)] = Tag{std::string(value.str()), value, false};
  }
  for (const char* attr : {"bucket", "TableName", "BucketName"}) {
    json::JValue name = attributes[attr];
    if (name.is_string()) {
      r.name = std::string(name.str());
      r.name_attribute = attr;
      r.name_at = name;
    }
  }
  model.resources.push_back(std::move(r));
  model.inputs[static_cast<size_t>(input)].resources++;
  return model.resources.back();
}

// A Terraform plan's planned_values (root and child modules), placed by
// `regions` (address -> region; default us-east-1).
inline void add_plan(Model& model, std::shared_ptr<const json::JsonDoc> doc,
                     const std::map<std::string, std::string>& regions = {}) {
  int input = add_input(model, doc, Format::kTerraformPlan);
  std::function<void(json::JValue)> walk = [&](json::JValue module) {
    for (json::JValue r : module["resources"].elements()) {
      std::string address(r["address"].str());
      auto it = regions.find(address);
      add_resource(model, input, Format::kTerraformPlan, address,
                   std::string(r["type"].str()), r, r["values"],
                   it == regions.end() ? "us-east-1" : it->second);
      if (auto slash = address.rfind(".aws_"); slash != std::string::npos) {
        model.resources.back().module = address.substr(0, slash);
      }
    }
    for (json::JValue child : module["child_modules"].elements()) walk(child);
  };
  walk(doc->root()["planned_values"]["root_module"]);
}

// A CloudFormation template's Resources as STACK/LogicalId.
inline void add_cfn(Model& model, std::shared_ptr<const json::JsonDoc> doc,
                    const std::string& stack, const std::string& region) {
  int input = add_input(model, doc, Format::kCloudFormation);
  for (auto [id, r] : doc->root()["Resources"].members()) {
    add_resource(model, input, Format::kCloudFormation,
                 stack + "/" + std::string(id), std::string(r["Type"].str()), r,
                 r["Properties"], region);
    model.resources.back().stack = stack;
  }
}

// A CDKTF cdk.tf.json's resource blocks as TYPE.NAME.
inline void add_tf_json(Model& model, std::shared_ptr<const json::JsonDoc> doc,
                        const std::string& region) {
  int input = add_input(model, doc, Format::kTerraformJson);
  for (auto [type, blocks] : doc->root()["resource"].members()) {
    for (auto [name, r] : blocks.members()) {
      add_resource(model, input, Format::kTerraformJson,
                   std::string(type) + "." + std::string(name),
                   std::string(type), r, r, region);
    }
  }
}

class FnRule : public Rule {
 public:
  using Fn = std::function<void(const Model&, std::vector<Finding>&)>;
  FnRule(RuleMeta meta, Fn fn) : meta_(std::move(meta)), fn_(std::move(fn)) {}
  const RuleMeta& meta() const override { return meta_; }
  void check(const Model& model, const ScanOptions&,
             std::vector<Finding>& out) const override {
    fn_(model, out);
  }

 private:
  RuleMeta meta_;
  Fn fn_;
};

inline std::vector<std::unique_ptr<Rule>> test_rules() {
  std::vector<std::unique_ptr<Rule>> rules;
  RuleMeta owner;
  owner.id = "XT001";
  owner.name = "owner-tag";
  owner.short_description = "Every resource names its owner.";
  owner.full_description =
      "Every resource carries an Owner tag so that an incident reaches a "
      "person.";
  owner.help_markdown =
      "Add `Owner`:\n\n```hcl\ntags = { Owner = \"team-orders\" }\n```";
  owner.default_level = Level::kError;
  owner.tags = {"dr", "tagging"};
  owner.security_severity = "6.5";
  owner.precision = "very-high";
  rules.push_back(std::make_unique<FnRule>(
      owner, [](const Model& m, std::vector<Finding>& out) {
        for (size_t i = 0; i < m.resources.size(); ++i) {
          const Resource& r = m.resources[i];
          if (r.tag("Owner")) continue;
          Finding f;
          f.level = Level::kError;
          f.message = "missing tag Owner";
          f.resource = static_cast<int>(i);
          json::JValue tags = r.attributes["tags"];
          if (tags.is_object()) f.at = tags;
          f.facts = {"Owner"};
          out.push_back(std::move(f));
        }
      }));
  RuleMeta suffix;
  suffix.id = "XT002";
  suffix.name = "name-suffix";
  suffix.short_description = "User-set names end in -prod.";
  suffix.full_description = "Names carry the environment as their last token.";
  suffix.help_markdown = "Rename the resource to `<name>-prod`.";
  suffix.default_level = Level::kWarning;
  suffix.tags = {"dr", "naming"};
  suffix.security_severity = "3.0";
  suffix.precision = "high";
  rules.push_back(std::make_unique<FnRule>(
      suffix, [](const Model& m, std::vector<Finding>& out) {
        for (size_t i = 0; i < m.resources.size(); ++i) {
          const Resource& r = m.resources[i];
          if (!r.name) continue;
          const std::string& n = *r.name;
          if (n.size() >= 5 && n.compare(n.size() - 5, 5, "-prod") == 0)
            continue;
          Finding f;
          f.level = Level::kWarning;
          f.message = "name \"" + n + "\" does not end in -prod";
          f.resource = static_cast<int>(i);
          f.at = r.name_at;
          f.facts = {r.name_attribute, n};
          out.push_back(std::move(f));
        }
      }));
  RuleMeta overlap;
  overlap.id = "XT003";
  overlap.name = "vpc-overlap";
  overlap.short_description = "VPCs do not share a CIDR.";
  overlap.full_description = "Two VPCs with one CIDR cannot be peered.";
  overlap.help_markdown = "Give the DR VPC its own range, e.g. `10.1.0.0/16`.";
  overlap.default_level = Level::kError;
  overlap.tags = {"dr", "network", "security"};
  overlap.security_severity = "7.5";
  overlap.precision = "high";
  rules.push_back(std::make_unique<FnRule>(
      overlap, [](const Model& m, std::vector<Finding>& out) {
        const auto& vpcs = m.of_kind("aws_vpc");
        for (size_t a = 0; a < vpcs.size(); ++a) {
          for (size_t b = a + 1; b < vpcs.size(); ++b) {
            const Resource& ra = m.resources[static_cast<size_t>(vpcs[a])];
            const Resource& rb = m.resources[static_cast<size_t>(vpcs[b])];
            json::JValue ca = ra.attributes["cidr_block"];
            json::JValue cb = rb.attributes["cidr_block"];
            if (!ca.is_string() || ca.str() != cb.str()) continue;
            Finding f;
            f.level = Level::kError;
            f.message = std::string(cb.str()) + " overlaps " + ra.address +
                        " (" + std::string(ca.str()) + ")";
            f.resource = vpcs[b];
            f.at = cb;
            f.related.push_back({vpcs[a], "requester VPC", {}});
            f.facts = {ra.address, std::string(cb.str())};
            out.push_back(std::move(f));
          }
        }
      }));
  return rules;
}

// The tf-plan fixture (and optionally the CloudFormation and CDKTF ones)
// as a finalized model, with the test rules run over it.
struct Scan {
  Model model;
  ScanOptions options;
  std::vector<std::unique_ptr<Rule>> rules = test_rules();
  std::vector<Finding> findings;

  void run() {
    model.finalize({"us-east-1", "us-west-2"});
    findings = run_rules(model, options, rules);
  }
  Report report() const {
    Report r;
    r.model = &model;
    r.findings = &findings;
    r.options = &options;
    r.rules = &rules;
    r.src_root = source_dir();
    return r;
  }
};

inline std::string plan_path() { return fixture("sarif/tf-plan/plan.json"); }

inline void load_plan(Scan& scan,
                      const std::string& text = read_text(plan_path()),
                      const std::string& path = plan_path()) {
  add_plan(scan.model, parse_text(path, text),
           {{"aws_vpc.dr", "us-west-2"},
            {"module.legacy.aws_s3_bucket.archive", "us-west-2"}});
}

inline void load_all(Scan& scan) {
  load_plan(scan);
  std::string cfn = fixture("sarif/cfn/OrdersDrStack.template.json");
  add_cfn(scan.model, parse_text(cfn, read_text(cfn)), "OrdersDrStack",
          "us-west-2");
  std::string cdktf = fixture("sarif/cdktf/cdk.tf.json");
  add_tf_json(scan.model, parse_text(cdktf, read_text(cdktf)), "us-west-2");
}

// Compares `actual` with fixtures/golden/NAME; with UPDATE_GOLDEN=1 in the
// environment, writes it there instead (then review the diff).
inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = fixture("golden/" + name);
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing; create it with UPDATE_GOLDEN=1";
  std::string expected((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
  EXPECT_EQ(actual, expected)
      << path << " differs; if the change is intended, regenerate with "
      << "UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace drcheck::testing

#endif  // DRCHECK_TESTS_REPORT_FIXTURE_H_
