// libFuzzer harness: the JSON parser, every accessor over the result, and
// position lookups. Invariants: parsing never crashes; every value's offset
// is inside the input; raw() of every value lies inside the input. And a
// differential one: parsing with a skip policy (Terraform's, and one that
// skips every nested container) accepts and rejects exactly the same inputs,
// with the same error at the same place.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/json.h"
#include "analyzer/tf_common.h"

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

// Skips every container below depth 2 whose key starts with a letter
// before 'n' (so both skipped and indexed siblings occur).
class SkipSome : public drcheck::json::SkipPolicy {
 public:
  bool skip(const drcheck::json::MemberPath& path) override {
    return path.depth() >= 2 && !path.key().empty() && path.key()[0] < 'n';
  }
};

void same_verdict(
    const std::variant<std::shared_ptr<const drcheck::json::JsonDoc>,
                       drcheck::Diagnostic>& a,
    const std::variant<std::shared_ptr<const drcheck::json::JsonDoc>,
                       drcheck::Diagnostic>& b) {
  if (a.index() != b.index()) __builtin_trap();
  auto* da = std::get_if<drcheck::Diagnostic>(&a);
  auto* db = std::get_if<drcheck::Diagnostic>(&b);
  if (da && (da->str() != db->str())) __builtin_trap();
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
  drcheck::tf::PlanSkipPolicy plan_skip;
  opt.skip = &plan_skip;
  auto with_plan_skip = drcheck::json::JsonDoc::parse(*src, opt);
  same_verdict(doc, with_plan_skip);
  SkipSome some;
  opt.skip = &some;
  auto with_some = drcheck::json::JsonDoc::parse(*src, opt);
  same_verdict(doc, with_some);
  if (auto* d = std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(
          &with_some)) {
    walk((*d)->root(), (*src)->size(), 0);
  }
  return 0;
}
