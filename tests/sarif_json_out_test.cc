// JsonOut writes the same bytes as nlohmann's dump(2, ' ', false, replace),
// which the reports were written with before: strings of every shape
// (controls, non-ASCII, invalid UTF-8) and nested values.
#include <gtest/gtest.h>

#include <random>

#include "sarif/json_out.h"

namespace drcheck {
namespace {

using oj = nlohmann::ordered_json;

std::string library(const oj& j) {
  return j.dump(2, ' ', false, oj::error_handler_t::replace);
}

std::string ours_string(const std::string& s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string ours(const oj& j) {
  std::string out;
  JsonOut(out).value(j);
  return out;
}

TEST(JsonOut, EveryByteAndEveryBytePair) {
  for (int a = 0; a < 256; ++a) {
    std::string one(1, static_cast<char>(a));
    ASSERT_EQ(ours_string(one), library(one)) << a;
    for (int b = 0; b < 256; ++b) {
      std::string two = one + static_cast<char>(b);
      ASSERT_EQ(ours_string(two), library(two)) << a << " " << b;
    }
  }
}

TEST(JsonOut, RandomStringsMatchTheLibrary) {
  // Pieces that make valid, overlong, surrogate, out-of-range and truncated
  // UTF-8 likely.
  const std::vector<std::string> pieces = {"a",
                                           "Z",
                                           " ",
                                           "\"",
                                           "\\",
                                           "/",
                                           "\n",
                                           "\t",
                                           "\x01",
                                           "\x1f",
                                           "\x7f",
                                           "\xc3\xa9",
                                           "\xe2\x80\x9c",
                                           "\xf0\x9f\x9a\x80",
                                           "\xc0\xaf",
                                           "\xe0\x80\xaf",
                                           "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80",
                                           "\xf5",
                                           "\xff",
                                           "\x80",
                                           "\xc3",
                                           "\xe2\x80",
                                           "\xf0\x9f\x9a",
                                           "\xef\xbf\xbd"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(0, 8);
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    for (int n = len(rng); n > 0; --n) s += pieces[pick(rng)];
    ASSERT_EQ(ours_string(s), library(s)) << testing::PrintToString(s);
  }
}

oj random_value(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 6 : 8);
  switch (kind(rng)) {
    case 0:
      return nullptr;
    case 1:
      return rng() % 2 == 0;
    case 2:
      return static_cast<int64_t>(rng()) - (int64_t{1} << 31);
    case 3:
      return static_cast<uint64_t>(rng()) << 20;
    case 4:
      return static_cast<double>(rng()) / 7.0;
    case 5:
      return std::string("s\xc3\xa9\n") + std::to_string(rng() % 100);
    case 6:
      return "";
    case 7: {
      oj a = oj::array();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
        a.push_back(random_value(rng, depth + 1));
      }
      return a;
    }
    default: {
      oj o = oj::object();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) {
        o["k\t" + std::to_string(rng() % 10)] = random_value(rng, depth + 1);
      }
      return o;
    }
  }
}

TEST(JsonOut, NestedValuesMatchTheLibrary) {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    oj j = random_value(rng, 0);
    ASSERT_EQ(ours(j), library(j)) << library(j);
  }
}

TEST(JsonOut, StreamedContainers) {
  std::string out;
  JsonOut o(out);
  o.begin_object();
  o.key("a").begin_array().end_array();
  o.key("b").begin_object().end_object();
  o.key("c").begin_array().number(1).number(-2).boolean(true).null();
  o.end_array();
  o.key("d").string("x");
  o.end_object();
  oj want = oj::object();
  want["a"] = oj::array();
  want["b"] = oj::object();
  want["c"] = oj::array({1, -2, true, nullptr});
  want["d"] = "x";
  EXPECT_EQ(out, library(want));
}

}  // namespace
}  // namespace drcheck
