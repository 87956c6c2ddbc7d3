// libFuzzer harness: the JSON parser, every accessor over the result, and
// position lookups. Invariants: parsing never crashes; every value's offset
// is inside the input; raw() of every value lies inside the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/json.h"

namespace {

using drcheck::json::JValue;

void walk(const JValue& v, size_t size, int depth) {
  if (v.offset() > size) __builtin_trap();
  std::string_view raw = v.raw();
  if (raw.size() > size) __builtin_trap();
  (void)v.position();
  (void)v.str();
  (void)v.number();
  (void)v.integer();
  (void)v.boolean();
  (void)v.key();
  if (depth > 64) return;
  for (auto [k, m] : v.members()) {
    (void)k;
    walk(m, size, depth + 1);
  }
  for (JValue e : v.elements()) walk(e, size, depth + 1);
  (void)v.get("a");
  (void)v.at(1);
  (void)v.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = drcheck::SourceFile::from_bytes(
      "fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  auto* src = std::get_if<std::shared_ptr<const drcheck::SourceFile>>(&file);
  if (!src) return 0;
  drcheck::json::ParseOptions opt;
  opt.max_depth = 128;
  auto doc = drcheck::json::JsonDoc::parse(*src, opt);
  if (auto* d =
          std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(&doc)) {
    walk((*d)->root(), (*src)->size(), 0);
  }
  return 0;
}
