// Model::finalize and Model::merge on several jobs: the same model, the
// same lookups and the same reference resolution as on one job, on the
// seeds, on fixtures with several inputs, and on a generated model large
// enough that every table is built in shards.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/model_json.h"
#include "analyzer/string_table.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

const unsigned kJobs[] = {1, 2, 4};

std::string source_dir() {
  const char* env = std::getenv("DRCHECK_SOURCE_DIR");
  return env ? env : DRCHECK_SOURCE_DIR;
}

// Everything finalize() decides that rules can see: the model JSON, the
// fields it leaves out, and every lookup by address, base address, id, ARN
// and kind (plus a few keys that match nothing).
std::string snapshot(const Model& m) {
  std::string out = model_to_json(m).dump(1);
  out += "\nprimary=" + m.primary_region + " dr=" + m.dr_region +
         " from=" + m.roles_inferred_from + "\n";
  auto lookup = [&](std::string_view key) {
    out += std::string(key) + " -> " + std::to_string(m.index_of(key)) + " " +
           std::to_string(m.find(key) ? m.find(key) - m.resources.data() : -1) +
           " " +
           std::to_string(m.by_id_or_arn(key)
                              ? m.by_id_or_arn(key) - m.resources.data()
                              : -1) +
           "\n";
  };
  for (size_t i = 0; i < m.resources.size(); ++i) {
    const Resource& r = m.resources[i];
    out += std::to_string(i) + " input=" + std::to_string(r.input) +
           " taggable=" + std::to_string(r.taggable) +
           " role=" + role_name(r.role) + " refs=";
    for (const Reference& ref : r.references) {
      out += std::to_string(ref.index) + ",";
    }
    out += "\n";
    lookup(r.address);
    lookup(r.id);
    lookup(r.arn);
    auto open = r.address.rfind('[');
    if (open != std::string::npos) lookup(r.address.substr(0, open));
  }
  // Each kind's resources, in order of first appearance of the kind.
  std::vector<std::string_view> kinds;
  for (const Resource& r : m.resources) {
    if (std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end()) continue;
    kinds.push_back(r.kind);
    out += "kind " + r.kind + ":";
    for (int k : m.of_kind(r.kind)) out += " " + std::to_string(k);
    out += "\n";
  }
  lookup("");
  lookup("no-such-resource");
  out += "kind none:" + std::to_string(m.of_kind("no_such_kind").size());
  return out;
}

Model load(const std::vector<std::string>& paths, unsigned load_jobs) {
  Model m;
  LoadOptions lo;
  lo.jobs = load_jobs;
  load_paths(paths, lo, m);
  return m;
}

// Loads `paths` on one job and finalizes on each job count, then loads on
// each job count and finalizes on one: every result must be the first.
void expect_same_for_any_jobs(const std::vector<std::string>& paths,
                              const RoleOptions& roles = {}) {
  Model serial = load(paths, 1);
  ASSERT_FALSE(serial.resources.empty());
  serial.finalize(roles, 1);
  const std::string expected = snapshot(serial);
  for (unsigned jobs : kJobs) {
    Model m = load(paths, 1);
    m.finalize(roles, jobs);
    EXPECT_EQ(snapshot(m), expected) << "finalize on " << jobs << " jobs";
    Model merged = load(paths, jobs);
    merged.finalize(roles, 1);
    EXPECT_EQ(snapshot(merged), expected) << "load on " << jobs << " jobs";
  }
}

TEST(ModelParallel, SeedsAreTheSameOnAnyJobCount) {
  std::vector<std::string> all;
  for (const auto& e :
       fs::directory_iterator(source_dir() + "/fixtures/seeds")) {
    if (!e.is_directory()) continue;
    SCOPED_TRACE(e.path().string());
    expect_same_for_any_jobs({e.path().string()});
    all.push_back(e.path().string());
  }
  // All seeds at once: many inputs, CDKTF cross-stack references that the
  // loader resolved already (re-indexed by merge).
  std::sort(all.begin(), all.end());
  expect_same_for_any_jobs(all);
  expect_same_for_any_jobs(all, {"us-east-1", "us-west-2"});
}

TEST(ModelParallel, FixturesWithSeveralInputsAreTheSameOnAnyJobCount) {
  // The format fixtures hold many inputs with the same addresses (every
  // tf-plan fixture has its own aws_vpc.main, ...).
  expect_same_for_any_jobs({source_dir() + "/fixtures/formats"});
  expect_same_for_any_jobs({source_dir() + "/fixtures/formats/tf-plan",
                            source_dir() + "/fixtures/formats/pulumi",
                            source_dir() + "/fixtures/formats/cfn"});
}

// A generated model of `inputs` inputs: repeated addresses inside and across
// inputs, counted instances ("x[3]"), ids and ARNs shared by several
// resources, regions from ARNs, DR-Role tags, global kinds, and references
// of every kind (own input, other input, base address, id, ARN, unresolved,
// already resolved).
Model generated(int inputs, int per_input) {
  Model m;
  static const char* kKinds[] = {"aws_vpc",         "aws_iam_role",
                                 "aws_s3_bucket",   "aws_route53_record",
                                 "aws_db_instance", "aws_sqs_queue"};
  for (int in = 0; in < inputs; ++in) {
    Input input;
    input.file = "gen-" + std::to_string(in) + ".json";
    input.format = Format::kTerraformPlan;
    input.resources = static_cast<size_t>(per_input);
    m.inputs.push_back(input);
    for (int k = 0; k < per_input; ++k) {
      Resource r;
      r.input = in;
      r.format = Format::kTerraformPlan;
      r.kind = kKinds[(k * 7 + in) % 6];
      r.type = r.kind;
      // Every 50th address repeats one of another input; every 97th repeats
      // one of this input; every 5th is an instance of a counted resource.
      if (k % 50 == 3) {
        r.address = r.kind + ".shared_" + std::to_string(k % 400);
      } else if (k % 97 == 5) {
        r.address = r.kind + ".again_" + std::to_string(k % 3);
      } else if (k % 5 == 0) {
        r.address = r.kind + ".counted_" + std::to_string(k / 40) + "[" +
                    std::to_string(k % 40) + "]";
      } else {
        r.address =
            r.kind + ".r" + std::to_string(in) + "_" + std::to_string(k);
      }
      if (k % 3 == 0) r.id = "id-" + std::to_string(k % 1000);
      if (k % 4 == 0) {
        r.arn = "arn:aws:s3:" +
                std::string(k % 8 == 0 ? "us-east-1" : "us-west-2") +
                ":123456789012:thing/" + std::to_string(k);
      }
      if (k % 11 != 0) {
        r.region = (k + in) % 3 == 0   ? "eu-west-1"
                   : (k + in) % 3 == 1 ? "us-east-1"
                                       : "us-west-2";
      }
      if (k % 13 == 0) r.tags["DR-Role"].value = k % 2 ? "primary" : "dr";
      auto ref = [&](std::string attribute, std::string target) {
        Reference x;
        x.attribute = std::move(attribute);
        x.target = std::move(target);
        r.references.push_back(std::move(x));
      };
      ref("own", r.kind + ".r" + std::to_string(in) + "_" +
                     std::to_string((k * 31) % per_input));
      ref("other", std::string(kKinds[k % 6]) + ".r" +
                       std::to_string((in + 1) % inputs) + "_" +
                       std::to_string(k));
      ref("shared",
          std::string(kKinds[k % 6]) + ".shared_" + std::to_string(k % 400));
      ref("again",
          std::string(kKinds[k % 6]) + ".again_" + std::to_string(k % 3));
      ref("base",
          std::string(kKinds[k % 6]) + ".counted_" + std::to_string(k % 30));
      ref("id", "id-" + std::to_string(k % 1200));
      ref("arn",
          "arn:aws:s3:us-east-1:123456789012:thing/" + std::to_string(k * 2));
      ref("none", "nothing." + std::to_string(k));
      if (k > 0 && k % 17 == 0) {
        Reference done;
        done.attribute = "resolved";
        done.target = "whatever";
        done.index = static_cast<int>(m.resources.size()) - 1;
        r.references.push_back(done);
      }
      m.resources.push_back(std::move(r));
    }
  }
  return m;
}

// What finalize() must resolve a reference to, spelled out with maps:
// the first resource of the same input with that address, else the first
// of the same input whose address without instance key matches, else the
// first anywhere, else the first whose id or ARN matches.
std::vector<int> expected_references(const Model& m) {
  std::map<std::pair<int, std::string>, int> scoped, base;
  std::map<std::string, int> any, ids;
  for (size_t i = 0; i < m.resources.size(); ++i) {
    const Resource& r = m.resources[i];
    int idx = static_cast<int>(i);
    scoped.emplace(std::make_pair(r.input, r.address), idx);
    any.emplace(r.address, idx);
    auto open = r.address.rfind('[');
    if (!r.address.empty() && r.address.back() == ']' &&
        open != std::string::npos) {
      base.emplace(std::make_pair(r.input, r.address.substr(0, open)), idx);
    }
    if (!r.id.empty()) ids.emplace(r.id, idx);
    if (!r.arn.empty()) ids.emplace(r.arn, idx);
  }
  std::vector<int> out;
  for (const Resource& r : m.resources) {
    for (const Reference& ref : r.references) {
      if (ref.index >= 0) {
        out.push_back(ref.index);
        continue;
      }
      int found = -1;
      if (auto it = scoped.find({r.input, ref.target}); it != scoped.end()) {
        found = it->second;
      } else if (auto b = base.find({r.input, ref.target}); b != base.end()) {
        found = b->second;
      } else if (auto a = any.find(ref.target); a != any.end()) {
        found = a->second;
      } else if (auto d = ids.find(ref.target); d != ids.end()) {
        found = d->second;
      }
      out.push_back(found);
    }
  }
  return out;
}

// Lookups by address, id and ARN give the first resource that has it.
void expect_first_wins(const Model& m) {
  std::map<std::string, int> address, id;
  for (size_t i = 0; i < m.resources.size(); ++i) {
    const Resource& r = m.resources[i];
    address.emplace(r.address, static_cast<int>(i));
    if (!r.id.empty()) id.emplace(r.id, static_cast<int>(i));
    if (!r.arn.empty()) id.emplace(r.arn, static_cast<int>(i));
  }
  size_t repeated = 0;
  for (size_t i = 0; i < m.resources.size(); ++i) {
    const Resource& r = m.resources[i];
    EXPECT_EQ(m.index_of(r.address), address[r.address]) << r.address;
    repeated += address[r.address] != static_cast<int>(i);
  }
  EXPECT_GT(repeated, 0u);
  for (const auto& [key, index] : id) {
    const Resource* found = m.by_id_or_arn(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(found - m.resources.data(), index) << key;
  }
}

std::vector<int> references(const Model& m) {
  std::vector<int> out;
  for (const Resource& r : m.resources) {
    for (const Reference& ref : r.references) out.push_back(ref.index);
  }
  return out;
}

TEST(ModelParallel, GeneratedModelResolvesAsSpecifiedOnAnyJobCount) {
  // 3 x 4000 resources: the address and id tables are large enough to be
  // built in shards, and finalize runs over 12 chunks.
  const Model original = generated(3, 4000);
  const std::vector<int> expected = expected_references(original);
  std::string first;
  for (unsigned jobs : kJobs) {
    Model m = original;
    m.finalize({}, jobs);
    EXPECT_EQ(references(m), expected) << jobs << " jobs";
    std::string s = snapshot(m);
    if (first.empty()) first = s;
    EXPECT_EQ(s, first) << jobs << " jobs";
    expect_first_wins(m);
  }
  // Regions from ARNs, roles and the inferred regions.
  Model m = original;
  m.finalize({}, 2);
  int from_arn = 0;
  for (const Resource& r : m.resources) {
    from_arn += r.region_source.rfind("ARN ", 0) == 0;
  }
  EXPECT_GT(from_arn, 0);
  EXPECT_FALSE(m.primary_region.empty());
  EXPECT_FALSE(m.dr_region.empty());
}

TEST(ModelParallel, OneInputWithRepeatedAddressesAndIds) {
  // A single input (no per-input table) whose addresses and ids repeat:
  // the first of each wins.
  Model original = generated(1, 20000);
  const std::vector<int> expected = expected_references(original);
  for (unsigned jobs : kJobs) {
    Model m = original;
    m.finalize({"us-east-1", "us-west-2"}, jobs);
    EXPECT_EQ(references(m), expected) << jobs << " jobs";
    expect_first_wins(m);
    const Resource* by_id = m.by_id_or_arn("id-3");
    ASSERT_NE(by_id, nullptr);
    EXPECT_EQ(by_id - m.resources.data(), 3);
  }
}

// Parts as load_paths makes them: each with its own inputs (input 0 of the
// part) and references resolved inside the part.
std::vector<Model> parts_of(const Model& whole, int inputs) {
  std::vector<Model> parts(static_cast<size_t>(inputs) + 2);
  // An empty part with an input but no resources first, and a part with an
  // error only: later parts' inputs are re-indexed past it.
  parts[0].inputs.push_back(
      Input{"empty.json", Format::kPulumiState, 0, "", nullptr});
  parts[1].errors.push_back(Diagnostic{});
  std::vector<int> base(static_cast<size_t>(inputs), -1);
  for (size_t i = 0; i < whole.resources.size(); ++i) {
    Resource r = whole.resources[i];
    size_t p = static_cast<size_t>(r.input) + 2;
    if (parts[p].inputs.empty()) {
      parts[p].inputs.push_back(whole.inputs[static_cast<size_t>(r.input)]);
      base[static_cast<size_t>(r.input)] = static_cast<int>(i);
    }
    for (Reference& ref : r.references) {
      if (ref.index >= 0) ref.index -= base[static_cast<size_t>(r.input)];
    }
    r.input = 0;
    parts[p].resources.push_back(std::move(r));
  }
  return parts;
}

TEST(ModelParallel, MergeOfSeveralPartsIsTheSameOnAnyJobCount) {
  Model whole = generated(4, 600);
  // Keep only references resolved inside their own part.
  for (Resource& r : whole.resources) {
    for (Reference& ref : r.references) {
      if (ref.index >= 0 &&
          whole.resources[static_cast<size_t>(ref.index)].input != r.input) {
        ref.index = -1;
      }
    }
  }
  std::string expected;
  for (unsigned jobs : kJobs) {
    std::vector<Model> parts = parts_of(whole, 4);
    Model m;
    m.merge(parts, jobs);
    ASSERT_EQ(m.resources.size(), whole.resources.size());
    ASSERT_EQ(m.inputs.size(), 5u);
    EXPECT_EQ(m.errors.size(), 1u);
    for (size_t i = 0; i < m.resources.size(); ++i) {
      const Resource& a = m.resources[i];
      const Resource& b = whole.resources[i];
      EXPECT_EQ(a.address, b.address);
      EXPECT_EQ(a.input, b.input + 1);  // past the empty part's input
      ASSERT_EQ(a.references.size(), b.references.size());
      for (size_t k = 0; k < a.references.size(); ++k) {
        EXPECT_EQ(a.references[k].index, b.references[k].index);
      }
    }
    for (const Model& p : parts) EXPECT_TRUE(p.resources.empty());
    m.finalize({}, jobs);
    std::string s = snapshot(m);
    if (expected.empty()) expected = s;
    EXPECT_EQ(s, expected) << jobs << " jobs";
  }
}

TEST(ModelParallel, MergeOfOnePartWithResourcesTakesItWhole) {
  Model whole = generated(1, 50);
  for (unsigned jobs : kJobs) {
    std::vector<Model> parts = parts_of(whole, 1);
    const Resource* data = parts[2].resources.data();
    Model m;
    m.merge(parts, jobs);
    EXPECT_EQ(m.resources.data(), data);
    ASSERT_EQ(m.inputs.size(), 2u);
    for (const Resource& r : m.resources) EXPECT_EQ(r.input, 1);
  }
}

TEST(StringTable, AssignFindsWhatEmplaceFinds) {
  // Keys in several scopes, repeated, enough for a sharded table.
  std::vector<std::string> names;
  for (int i = 0; i < 30000; ++i)
    names.push_back("k" + std::to_string(i % 9000));
  StringTable serial;
  serial.reset(0);
  for (size_t i = 0; i < names.size(); ++i) {
    serial.emplace(StringTable::hash(names[i]), static_cast<int>(i % 3),
                   names[i], static_cast<int>(i));
  }
  for (unsigned jobs : kJobs) {
    StringTable::Keys keys(7);
    for (size_t i = 0; i < names.size(); ++i) {
      keys.add(i * 7 / names.size(), StringTable::hash(names[i]),
               static_cast<int>(i % 3), names[i], static_cast<int>(i));
    }
    StringTable table;
    table.assign(keys, jobs);
    EXPECT_EQ(table.size(), serial.size());
    for (int scope = 0; scope < 4; ++scope) {
      for (int i = 0; i < 9100; ++i) {
        std::string k = "k" + std::to_string(i);
        uint64_t h = StringTable::hash(k);
        EXPECT_EQ(table.find(h, scope, k), serial.find(h, scope, k));
      }
    }
    // Inserting after assign() still works.
    table.emplace("late", 5);
    EXPECT_EQ(table.find("late"), 5);
    EXPECT_EQ(table.find("k1"), serial.find("k1"));
  }
}

TEST(StringTable, KeysCrowdingOneShardFallBackToOneTable) {
  // Keys whose hashes all fall into the first of the 16 shards (the top
  // four bits of the Fibonacci hash) overfill it; assign() must still find
  // every key.
  std::vector<std::string> names;
  for (int i = 0; names.size() < 12000; ++i) {
    std::string k = "crowd" + std::to_string(i);
    if ((StringTable::hash(k) * 0x9E3779B97F4A7C15ull) >> 60 == 0) {
      names.push_back(k);
    }
  }
  for (unsigned jobs : kJobs) {
    StringTable::Keys keys(3);
    for (size_t i = 0; i < names.size(); ++i) {
      keys.add(i % 3, StringTable::hash(names[i]), 0, names[i],
               static_cast<int>(i));
    }
    StringTable table;
    table.assign(keys, jobs);
    EXPECT_EQ(table.size(), names.size());
    for (size_t i = 0; i < names.size(); i += 7) {
      // Chunk-major order: chunk i % 3 came before later chunks.
      EXPECT_EQ(table.find(names[i]), static_cast<int>(i));
    }
    EXPECT_EQ(table.find("crowd-absent"), -1);
  }
}

}  // namespace
}  // namespace drcheck
