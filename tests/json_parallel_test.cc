// The two-part parse (ParseOptions::jobs >= 2) must give exactly the
// document, or the error, of a parse on one thread, wherever the text is
// split: these tests put the split point after every byte of small texts
// that hold everything a split can land in or next to (strings with quotes,
// backslashes, brackets and commas, escaped keys, empty keys and
// containers, skipped values).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/json.h"
#include "tests/json_dump.h"

namespace drcheck::json {
namespace {

using testing::dump;
using testing::Parsed;
using testing::parts;

// Skips a member's container named "big", but only once a member "on" was
// seen at depth 1 (a policy with state, as Terraform's has), and records
// every question in order.
class SkipBigWhenOn : public SkipPolicy {
 public:
  bool skip(const MemberPath& path) override {
    std::string q;
    for (size_t l = 0; l < path.depth(); ++l) {
      q += std::string(path.container_key(l)) + "/";
    }
    q += std::string(path.key()) + path.value_start();
    questions.push_back(q);
    if (path.depth() == 1 && path.key() == "on") on_ = true;
    return on_ && path.key() == "big";
  }
  std::unique_ptr<SkipPolicy> clone() const override {
    return std::make_unique<SkipBigWhenOn>(*this);
  }
  std::vector<std::string> questions;

 private:
  bool on_ = false;
};

// Parses `text` on one thread, then in two parts with the split point
// looked for from every offset; every result must be the same. Returns how
// many offsets gave a two-part parse.
size_t check_every_split(const std::string& text, bool with_policy) {
  auto src = SourceFile::from_string("t.json", text);
  SkipBigWhenOn serial_policy;
  ParseOptions serial;
  if (with_policy) serial.skip = &serial_policy;
  const std::string want = dump(JsonDoc::parse(src, serial));
  size_t split = 0;
  for (size_t from = 1; from < text.size(); ++from) {
    SkipBigWhenOn policy;
    ParseOptions opt =
        testing::two_part_options(from, with_policy ? &policy : nullptr);
    Parsed got = JsonDoc::parse(src, opt);
    EXPECT_EQ(dump(got), want) << "split from " << from << " in " << text;
    // The caller's policy hears the first part's questions, in order (all
    // of them when the parse was not split); a copy hears the rest.
    const auto& all = serial_policy.questions;
    if (parts(got) == 2) {
      ++split;
      EXPECT_TRUE(policy.questions.size() <= all.size() &&
                  std::equal(policy.questions.begin(), policy.questions.end(),
                             all.begin()));
    } else if (std::holds_alternative<std::shared_ptr<const JsonDoc>>(got)) {
      EXPECT_EQ(policy.questions, all);
    }
  }
  return split;
}

const char* const kValid[] = {
    // Strings that hold what the scan looks for: quotes, backslash runs
    // before a quote, brackets, commas and colons.
    R"({"a": "x\"y", "b": ["\\", "\\\"", "[{,:}]", "\\\\\"]"], "c\"d": {"e": 1}})",
    // Pretty-printed, with empty containers, an empty key and unicode.
    "{\n  \"on\": true,\n  \"list\": [\n    {},\n    [],\n    {\"\": [1, "
    "2]},\n    \"caf\xC3\xA9\"\n  ],\n  \"n\": [-1.5e3, 0, null, false]\n}",
    // A member named "big" before and after the policy turns on, and one
    // nested in an array, so the split lands inside skipped values.
    R"({"x": {"big": {"k": [1, 2, {"big": [3]}]}}, "on": 1, "y": [{"big": {"a": [1, {"b": 2}], "c": "}"}}, {"big": [[], {}]}], "z": {"big": "s", "w": [4, 5]}})",
    // Deep nesting and a top-level array.
    R"([[[[{"a": [[{"b": {"c": [1, [2, [3, {"d": "]]]"}]]]}}]]}]]], 7, "\\"])",
    // Minified keys with escapes, and an escaped key named like "big".
    R"({"on":[],"\u0062ig":{"q":1},"big":{"r":[1,2,3]},"t":{"big":{"s":{}},"u":[{"v":"\"},{\""}]}})",
};

TEST(JsonParallel, EveryValidTextIsTheSameWhereverItSplits) {
  for (const char* text : kValid) {
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const JsonDoc>>(
        JsonDoc::parse(SourceFile::from_string("t.json", text))))
        << text;
    EXPECT_GT(check_every_split(text, false), 0u) << text;
    EXPECT_GT(check_every_split(text, true), 0u) << text;
  }
}

TEST(JsonParallel, SplitsWhereverACommaFollows) {
  // A ',' outside strings follows every offset before the last one here, so
  // every offset before it must give a two-part parse (the join is
  // exercised, not bypassed).
  const std::string text = R"([1, "a,b", {"c": [2, 3]}, [4], 5])";
  const size_t last_comma = text.rfind(',');
  for (size_t from = 1; from <= last_comma; ++from) {
    auto src = SourceFile::from_string("t.json", text);
    ParseOptions opt = testing::two_part_options(from);
    Parsed got = JsonDoc::parse(src, opt);
    // Offsets inside "a,b" split after the ',' that follows the string.
    EXPECT_EQ(parts(got), 2u) << "split from " << from;
  }
  EXPECT_EQ(check_every_split(text, false), last_comma);
}

TEST(JsonParallel, ErrorsAreTheFirstOfTheFileWhereverItSplits) {
  const char* const invalid[] = {
      R"({"a": [1, 2,], "b": [3, 4]})",     // error before any split
      R"({"a": [1, 2], "b": [3, 4,]})",     // error late in the file
      R"({"a": [1, 2], "b": [3, "x\q"]})",  // bad escape late
      R"({"a": "x, "b": [1, 2]})",          // a quote missing: the scan
                                            // misreads what is a string
      R"({"a": [1, 2], "b": {"c": 1]})",    // mismatched bracket late
      R"({"a": [1, 2], "b": [3, 4]}, 5)",   // trailing value
      R"({"a": [1, 2], "b": [3, 4])",       // unterminated
      R"({"a": [1, 2]}} , {"b": 1})",       // closes more than it opens
      "[1, 2, \"\xC3\x28\", 3]",            // invalid UTF-8 late
  };
  for (const char* text : invalid) {
    check_every_split(text, false);
    check_every_split(text, true);
  }
}

TEST(JsonParallel, SmallInputsAndOneJobParseInOnePart) {
  auto src = SourceFile::from_string("t.json", R"([1, 2, 3])");
  ParseOptions opt;
  opt.jobs = 2;  // below parallel_min_size
  EXPECT_EQ(parts(JsonDoc::parse(src, opt)), 1u);
  opt.parallel_min_size = 0;
  opt.jobs = 1;
  EXPECT_EQ(parts(JsonDoc::parse(src, opt)), 1u);
}

// A policy that cannot be copied keeps the parse on one thread.
class NoCopy : public SkipPolicy {
 public:
  bool skip(const MemberPath&) override { return false; }
};

TEST(JsonParallel, APolicyWithoutCloneParsesInOnePart) {
  auto src = SourceFile::from_string("t.json", R"({"a": [1, 2], "b": 3})");
  NoCopy policy;
  ParseOptions opt = testing::two_part_options(1, &policy);
  Parsed got = JsonDoc::parse(src, opt);
  EXPECT_EQ(parts(got), 1u);
  EXPECT_TRUE(std::holds_alternative<std::shared_ptr<const JsonDoc>>(got));
}

// A large generated document: the automatic split point, a parse racing
// the scan (no split_before_parsing), and the policy's skipped values.
TEST(JsonParallel, ALargeDocumentIsTheSameOnTwoThreads) {
  std::string text = "{\"changes\": [";
  for (int i = 0; i < 20000; ++i) {
    if (i) text += ",\n";
    text += "{\"address\": \"aws_vpc.v" + std::to_string(i) +
            "\", \"big\": {\"tags\": {\"Name\": \"v\\\"" + std::to_string(i) +
            "\"}, \"cidr\": [\"10.0.0.0/16\", {}]}, \"on\": [" +
            std::to_string(i % 7) + "]}";
  }
  text += "], \"on\": {\"big\": [1]}, \"big\": {\"x\": []}}";
  auto src = SourceFile::from_string("t.json", text);
  for (bool with_policy : {false, true}) {
    SkipBigWhenOn serial_policy, policy;
    ParseOptions serial;
    if (with_policy) serial.skip = &serial_policy;
    ParseOptions opt = serial;
    if (with_policy) opt.skip = &policy;
    opt.jobs = 2;
    opt.parallel_min_size = 0;
    Parsed want = JsonDoc::parse(src, serial);
    Parsed got = JsonDoc::parse(src, opt);
    EXPECT_EQ(dump(got), dump(want));
  }
}

}  // namespace
}  // namespace drcheck::json
