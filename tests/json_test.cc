#include "analyzer/json.h"

#include <gtest/gtest.h>

#include <string>

namespace drcheck::json {
namespace {

std::shared_ptr<const JsonDoc> parse_ok(const std::string& text) {
  auto src = SourceFile::from_string("t.json", text);
  auto r = JsonDoc::parse(src);
  if (auto* d = std::get_if<Diagnostic>(&r)) {
    ADD_FAILURE() << d->str();
    return nullptr;
  }
  return std::get<std::shared_ptr<const JsonDoc>>(r);
}

Diagnostic parse_err(const std::string& text, ParseOptions opt = {}) {
  auto src = SourceFile::from_string("t.json", text);
  auto r = JsonDoc::parse(src, opt);
  if (auto* d = std::get_if<Diagnostic>(&r)) return *d;
  ADD_FAILURE() << "expected a parse error for: " << text.substr(0, 60);
  return {};
}

TEST(Json, ParsesNestedValuesWithPositions) {
  auto doc = parse_ok(
      "{\n  \"a\": [1, 2.5, \"x\"],\n  \"b\": {\"c\": true, \"d\": null}\n}");
  JValue root = doc->root();
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.size(), 2u);
  EXPECT_EQ(root["a"].size(), 3u);
  EXPECT_EQ(root["a"].at(0).integer(), 1);
  EXPECT_DOUBLE_EQ(*root["a"].at(1).number(), 2.5);
  EXPECT_EQ(root["a"].at(2).str(), "x");
  EXPECT_EQ(root["b"]["c"].boolean(), true);
  EXPECT_TRUE(root["b"]["d"].is_null());
  EXPECT_TRUE(root["missing"]["deeper"].absent());
  EXPECT_EQ(root["b"].position().line, 3u);
  EXPECT_EQ(root["b"].position().column, 8u);
  EXPECT_EQ(root["b"]["c"].key(), "c");
  EXPECT_EQ(root["a"].raw(), "[1, 2.5, \"x\"]");
}

TEST(Json, IteratesMembersAndElementsInOrder) {
  auto doc = parse_ok(R"({"z": 1, "y": [ {"k": 1}, [2, 3], 4 ], "x": {}})");
  std::string keys;
  for (auto [k, v] : doc->root().members()) keys += std::string(k) + ",";
  EXPECT_EQ(keys, "z,y,x,");
  int n = 0;
  for (JValue v : doc->root()["y"].elements()) {
    (void)v;
    ++n;
  }
  EXPECT_EQ(n, 3);
  EXPECT_EQ(doc->root()["x"].size(), 0u);
}

TEST(Json, DecodesEscapes) {
  auto doc = parse_ok(R"({"s": "a\"b\\c\n\u00e9\ud83d\ude00", "k\u0041": 1})");
  EXPECT_EQ(doc->root()["s"].str(), "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(doc->root()["kA"].integer(), 1);
}

TEST(Json, LastDuplicateKeyWins) {
  auto doc = parse_ok(R"({"a": 1, "a": 2})");
  EXPECT_EQ(doc->root()["a"].integer(), 2);
}

TEST(Json, ColumnsCountCodePoints) {
  auto doc = parse_ok("{\"\xC3\xA9\xC3\xA9\": 1}");
  EXPECT_EQ(doc->root()["\xC3\xA9\xC3\xA9"].position().column, 8u);
}

TEST(Json, RejectsMalformedInputWithPosition) {
  Diagnostic d = parse_err("{\n  \"a\": 1,\n}");
  EXPECT_EQ(d.line, 3u);
  EXPECT_EQ(d.column, 1u);
  EXPECT_NE(d.message.find("trailing comma"), std::string::npos);

  EXPECT_NE(parse_err("").message.find("empty"), std::string::npos);
  EXPECT_NE(parse_err("{\"a\": NaN}").message.find("NaN"), std::string::npos);
  EXPECT_NE(parse_err("[Infinity]").message.find("Infinity"),
            std::string::npos);
  EXPECT_NE(parse_err("[-Infinity]").message.find("Infinity"),
            std::string::npos);
  EXPECT_NE(parse_err("{\"a\": \"\xFF\"}").message.find("UTF-8"),
            std::string::npos);
  EXPECT_NE(parse_err("{\"a\": \"x").message.find("unterminated"),
            std::string::npos);
  EXPECT_NE(parse_err("{} {}").message.find("after the top-level"),
            std::string::npos);
  EXPECT_NE(parse_err("[01]").message.find("expected ','"), std::string::npos);
  EXPECT_NE(parse_err("{\"a\" 1}").message.find("':'"), std::string::npos);
  EXPECT_NE(parse_err("[\"\t\"]").message.find("control"), std::string::npos);
  EXPECT_NE(parse_err("[\"\\x\"]").message.find("escape"), std::string::npos);
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
  std::string deep(200000, '[');
  Diagnostic d = parse_err(deep);
  EXPECT_NE(d.message.find("nesting deeper than 512"), std::string::npos);
  ParseOptions opt;
  opt.max_depth = 3;
  EXPECT_NE(parse_err("[[[[1]]]]", opt).message.find("deeper than 3"),
            std::string::npos);
}

TEST(Json, BomAndUtf16AreAccepted) {
  auto bom = SourceFile::from_string("b.json", "\xEF\xBB\xBF{\"a\": 1}");
  ASSERT_NE(bom, nullptr);
  EXPECT_EQ(bom->encoding(), "utf-8-bom");
  std::string u16 = "\xFF\xFE";
  for (char c : std::string("{\"a\": \"\xC3\xA9\"}")) {
    (void)c;
  }
  // {"a":1} as UTF-16LE
  for (char c : std::string("{\"a\":1}")) {
    u16 += c;
    u16 += '\0';
  }
  auto src = SourceFile::from_string("u.json", u16);
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->encoding(), "utf-16le");
  auto r = JsonDoc::parse(src);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const JsonDoc>>(r));
  EXPECT_EQ(std::get<0>(r)->root()["a"].integer(), 1);
}

TEST(Json, HugeNumbersSaturate) {
  auto doc = parse_ok("[1e999, -1e999, 1e-999, 12345678901234567890]");
  EXPECT_GT(*doc->root().at(0).number(), 1e300);
  EXPECT_LT(*doc->root().at(1).number(), -1e300);
  EXPECT_EQ(*doc->root().at(2).number(), 0.0);
  EXPECT_FALSE(doc->root().at(3).integer().has_value() &&
               *doc->root().at(3).integer() < 0);
}

// Skips the value of every member named "big" below the root.
class SkipBig : public SkipPolicy {
 public:
  bool skip(const MemberPath& path) override {
    seen.push_back(std::string(path.container_key(path.depth() - 1)) + "/" +
                   std::string(path.key()));
    return path.key() == "big" && path.depth() > 1;
  }
  std::vector<std::string> seen;
};

TEST(Json, SkippedValuesAreValidatedButNotIndexed) {
  std::string text =
      "{\"big\": [1],\n \"a\": {\"big\": {\"x\": [1, {\"y\": 2}]},"
      " \"after\": 7},\n \"b\": [{\"big\": [\"s\", null]}, 3]}";
  auto src = SourceFile::from_string("t.json", text);
  SkipBig policy;
  ParseOptions opt;
  opt.skip = &policy;
  auto r = JsonDoc::parse(src, opt);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const JsonDoc>>(r));
  auto doc = std::get<std::shared_ptr<const JsonDoc>>(r);
  JValue root = doc->root();
  // Only members whose value is a container are asked about, with the key
  // of the container they are in ("" for the root and array elements).
  EXPECT_EQ(policy.seen,
            (std::vector<std::string>{"/big", "/a", "a/big", "/b", "/big"}));
  EXPECT_FALSE(root["big"].skipped());  // depth 1: kept
  EXPECT_EQ(root["big"].size(), 1u);
  JValue big = root["a"]["big"];
  EXPECT_TRUE(big.is_object());
  EXPECT_TRUE(big.skipped());
  EXPECT_EQ(big.size(), 0u);
  EXPECT_TRUE(big["x"].absent());
  EXPECT_EQ(big.raw(), "{\"x\": [1, {\"y\": 2}]}");
  // What follows a skipped value is indexed as usual.
  EXPECT_EQ(root["a"]["after"].integer(), 7);
  EXPECT_EQ(root["a"]["after"].position().line, 2u);
  JValue in_array = root["b"].at(0)["big"];
  EXPECT_TRUE(in_array.is_array());
  EXPECT_TRUE(in_array.skipped());
  EXPECT_EQ(root["b"].at(1).integer(), 3);
  EXPECT_FALSE(root["a"].skipped());
  EXPECT_EQ(doc->node_count(), 10u);
}

// A key read inside a skipped value (here "x", whose value is an empty
// object) must not stick to the next value indexed after it.
TEST(Json, ValuesAfterASkippedValueHaveNoStaleKey) {
  auto src =
      SourceFile::from_string("t.json", "[{\"big\": {\"x\": {}}}, 5, [6]]");
  SkipBig policy;
  ParseOptions opt;
  opt.skip = &policy;
  auto r = JsonDoc::parse(src, opt);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const JsonDoc>>(r));
  JValue root = std::get<std::shared_ptr<const JsonDoc>>(r)->root();
  EXPECT_TRUE(root.at(0)["big"].skipped());
  EXPECT_EQ(root.at(1).raw(), "5");
  EXPECT_EQ(root.at(1).key(), "");
  EXPECT_EQ(root.at(2).key(), "");
  EXPECT_EQ(root.at(2).at(0).integer(), 6);
}

TEST(Json, ErrorsInsideSkippedValuesAreStillReported) {
  SkipBig policy;
  ParseOptions opt;
  opt.skip = &policy;
  Diagnostic d = parse_err("{\"a\": {\"big\": {\"x\": [1,]}}}", opt);
  EXPECT_EQ(d.line, 1u);
  EXPECT_EQ(d.column, 24u);
  d = parse_err("{\"a\": {\"big\": [\"\\q\"]}}", opt);
  EXPECT_EQ(d.column, 17u);
  d = parse_err("{\"a\": {\"big\": {\"x\": 1}", opt);
  EXPECT_NE(d.message.find("end of input"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace drcheck::json

namespace drcheck {
namespace {

TEST(SourcePosition, LongMinifiedLinesAreFastAndExact) {
  // One 8 MB line with multi-byte characters sprinkled in; positions far
  // along the line must count code points exactly.
  std::string text;
  for (int i = 0; i < 400000; ++i)
    text += (i % 7 == 0) ? "\xC3\xA9"
                           "abcdefghijklmnopq"
                         : "abcdefghijklmnopqrs";
  uint32_t offset = static_cast<uint32_t>(text.size() - 5);
  auto src = SourceFile::from_string("long.json", text);
  size_t cps = 0;
  for (uint32_t i = 0; i < offset; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++cps;
  }
  for (int k = 0; k < 20000; ++k) {
    Position p = src->position(offset - static_cast<uint32_t>(k));
    ASSERT_EQ(p.line, 1u);
    if (k == 0) {
      EXPECT_EQ(p.column, cps + 1);
    }
  }
  auto two = SourceFile::from_string("two.json", "ab\n\xC3\xA9x");
  EXPECT_EQ(two->position(5).line, 2u);
  EXPECT_EQ(two->position(5).column, 2u);
}

}  // namespace
}  // namespace drcheck
