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
