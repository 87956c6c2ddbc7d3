// Every input in fixtures/regress/ (fuzzer finds) parses or fails cleanly,
// every value's position can be computed, and loading it never crashes.
#include <gtest/gtest.h>

#include <filesystem>

#include "analyzer/loader.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;

size_t walk(const json::JValue& v) {
  size_t n = 1;
  Position p = v.position();
  EXPECT_GE(p.line, 1u);
  EXPECT_GE(p.column, 1u);
  for (auto m : v.members()) n += walk(m.value);
  for (json::JValue e : v.elements()) n += walk(e);
  return n;
}

TEST(Regress, FuzzerFindsStayFixed) {
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(testing::fixture("regress"))) {
    if (e.path().extension() == ".md") continue;
    ++files;
    SCOPED_TRACE(e.path().string());
    Model model;
    auto doc = read_json(e.path().string(), LoadOptions{}, model);
    if (doc) {
      EXPECT_GT(walk(doc->root()), 0u);
      load_document(doc, e.path().string(), LoadOptions{}, model, false);
    } else {
      ASSERT_EQ(model.errors.size(), 1u);
      EXPECT_GT(model.errors[0].line, 0u);
    }
    model.finalize({});
  }
  EXPECT_GT(files, 0u);
}

}  // namespace
}  // namespace drcheck
