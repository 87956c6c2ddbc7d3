// Loads every file of the shared corpus of real inputs (MANIFEST.tsv: path,
// format, source, license, size, notes) and checks that each is detected as
// the format the manifest says, or rejected with a located error when it
// must be. The corpus lives beside the repository (DRCHECK_CORPUS, else
// DRCHECK_SOURCE_DIR/../shared/corpus); the test is skipped without it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/tf_common.h"
#include "tests/json_dump.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

std::string corpus_dir() {
  const char* env = std::getenv("DRCHECK_CORPUS");
  if (env && *env) return env;
  return std::string(DRCHECK_SOURCE_DIR) + "/../shared/corpus";
}

struct Row {
  std::string path, format, notes;
};

std::vector<Row> read_manifest(const std::string& file) {
  std::vector<Row> rows;
  std::ifstream in(file);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 2) continue;
    rows.push_back({cols[0], cols[1], cols.size() > 5 ? cols[5] : ""});
  }
  return rows;
}

// Whether the file's first non-blank byte opens a JSON object or array.
bool starts_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
  }
  return c == '{' || c == '[';
}

std::string all_errors(const Model& m) {
  std::string out;
  for (const auto& d : m.errors) out += d.str() + "\n";
  return out;
}

TEST(Corpus, EveryManifestRowLoadsAsItsFormatOrFailsWithALocatedError) {
  const std::string dir = corpus_dir();
  if (!fs::exists(dir + "/MANIFEST.tsv")) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  const std::vector<Row> rows = read_manifest(dir + "/MANIFEST.tsv");
  ASSERT_GT(rows.size(), 100u);

  std::map<std::string, int> per_format;
  int loaded = 0, loaded_with_errors = 0, rejected = 0, resources = 0;
  for (const Row& row : rows) {
    SCOPED_TRACE(row.path + " [" + row.format + "] " + row.notes);
    const std::string path = dir + "/" + row.path;
    Model m;
    load_path(path, LoadOptions{}, m);
    m.finalize({});
    per_format[row.format]++;
    resources += static_cast<int>(m.resources.size());
    for (const auto& r : m.resources) {
      EXPECT_FALSE(r.address.empty());
      EXPECT_FALSE(r.kind.empty()) << r.address;
      EXPECT_TRUE(r.at.valid()) << r.address;
      EXPECT_TRUE(r.region.has_value() || !r.region_source.empty())
          << r.address;
    }
    const bool json_format =
        row.format == "tf-plan" || row.format == "tf-json" ||
        row.format == "cfn-json" || row.format == "pulumi-state";
    if (row.notes.find("not parseable") != std::string::npos) {
      if (m.errors.empty()) {
        ADD_FAILURE() << "no error";
        continue;
      }
      EXPECT_GT(m.errors[0].line, 0u) << m.errors[0].str();
      EXPECT_GT(m.errors[0].column, 0u) << m.errors[0].str();
      EXPECT_EQ(m.errors[0].file, path);
      EXPECT_TRUE(m.inputs.empty());
      ++rejected;
    } else if (row.path.find("unsupported-feature") != std::string::npos) {
      if (m.errors.empty()) {
        ADD_FAILURE() << "no error";
        continue;
      }
      EXPECT_NE(all_errors(m).find("does not support"), std::string::npos)
          << all_errors(m);
      EXPECT_GT(m.errors[0].line, 0u);
      EXPECT_TRUE(m.resources.empty());
      ++rejected;
    } else if (json_format || (row.format == "cfn-yaml" && starts_json(path))) {
      // YAML is a superset of JSON: a few "cfn-yaml" rows are JSON
      // templates, which load as cfn-json.
      const std::string want = json_format ? row.format : "cfn-json";
      if (m.inputs.empty()) {
        ADD_FAILURE() << "not loaded: " << all_errors(m);
        continue;
      }
      EXPECT_STREQ(format_name(m.inputs[0].format), want.c_str());
      if (!m.errors.empty()) ++loaded_with_errors;
      ++loaded;
    } else if (row.format == "cfn-yaml") {
      if (m.errors.size() != 1u) {
        ADD_FAILURE() << all_errors(m);
        continue;
      }
      EXPECT_NE(m.errors[0].message.find("YAML"), std::string::npos)
          << m.errors[0].str();
      EXPECT_NE(m.errors[0].message.find("not supported"), std::string::npos)
          << m.errors[0].str();
      EXPECT_TRUE(m.inputs.empty());
      ++rejected;
    } else {
      // "other": anything but a crash (a JSON schema, engine event
      // streams, a CDKTF manifest that stands for its folder).
      if (m.inputs.empty()) {
        ++rejected;
      } else {
        ++loaded;
      }
    }
  }
  std::string counts;
  for (const auto& [format, n] : per_format) {
    counts += " " + format + "=" + std::to_string(n);
  }
  std::printf(
      "corpus: %zu files (%s ), %d loaded (%d with shape errors), %d "
      "rejected, %d resources\n",
      rows.size(), counts.c_str(), loaded, loaded_with_errors, rejected,
      resources);
}

// The two-part parse of a large input, forced onto every corpus file with
// the split point looked for at a quarter, half and three quarters of it,
// with and without the plan loader's skip policy: the same index, or the
// same error, as one thread.
TEST(Corpus, EveryFileParsesTheSameInTwoParts) {
  const std::string dir = corpus_dir();
  if (!fs::exists(dir + "/MANIFEST.tsv")) {
    GTEST_SKIP() << "no corpus at " << dir;
  }
  int files = 0, split = 0;
  for (const Row& row : read_manifest(dir + "/MANIFEST.tsv")) {
    const std::string path = dir + "/" + row.path;
    auto read = SourceFile::read(path);
    auto* src = std::get_if<std::shared_ptr<const SourceFile>>(&read);
    if (!src || (*src)->size() < 8) continue;
    ++files;
    for (bool with_policy : {false, true}) {
      tf::PlanSkipPolicy serial_policy;
      json::ParseOptions serial;
      if (with_policy) serial.skip = &serial_policy;
      const std::string want =
          testing::dump(json::JsonDoc::parse(*src, serial));
      for (size_t quarter = 1; quarter <= 3; ++quarter) {
        tf::PlanSkipPolicy policy;
        json::ParseOptions opt = testing::two_part_options(
            (*src)->size() * quarter / 4, with_policy ? &policy : nullptr);
        testing::Parsed got = json::JsonDoc::parse(*src, opt);
        EXPECT_EQ(testing::dump(got), want)
            << row.path << " split from " << opt.split_from;
        if (testing::parts(got) == 2) ++split;
      }
    }
  }
  std::printf("corpus: %d files, %d of %d parses in two parts\n", files, split,
              files * 6);
  // Most corpus files are JSON with a ',' past three quarters of them.
  EXPECT_GT(split, files);
}

}  // namespace
}  // namespace drcheck
