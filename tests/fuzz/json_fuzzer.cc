// libFuzzer harness: the JSON parser, every accessor over the result, and
// position lookups. Invariants: parsing never crashes; every value's offset
// is inside the input; raw() of every value lies inside the input. And a
// differential one: parsing with a skip policy (Terraform's, and one that
// skips every nested container) accepts and rejects exactly the same inputs,
// with the same error at the same place; and parsing in two parts, split
// after a byte the input picks, gives the very same index or error.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

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
  std::unique_ptr<drcheck::json::SkipPolicy> clone() const override {
    return std::make_unique<SkipSome>(*this);
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

using Parsed = std::variant<std::shared_ptr<const drcheck::json::JsonDoc>,
                            drcheck::Diagnostic>;

// Same verdict, and on success the same nodes and container ends.
void same_index(const Parsed& a, const Parsed& b) {
  same_verdict(a, b);
  auto* da = std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(&a);
  auto* db = std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(&b);
  if (!da) return;
  const auto& x = **da;
  const auto& y = **db;
  if (x.node_count() != y.node_count()) __builtin_trap();
  for (uint32_t i = 0; i < x.node_count(); ++i) {
    const auto& m = x.node(i);
    const auto& n = y.node(i);
    if (m.offset != n.offset || m.extent != n.extent || m.key != n.key ||
        m.bits != n.bits || x.container_end(i) != y.container_end(i)) {
      __builtin_trap();
    }
  }
}

// Parses in two parts (the split point looked for from `from`) and checks
// the result against `want`, the parse on one thread with the same policy.
void same_in_two_parts(const std::shared_ptr<const drcheck::SourceFile>& src,
                       drcheck::json::ParseOptions opt,
                       drcheck::json::SkipPolicy* policy, size_t from,
                       const Parsed& want) {
  opt.skip = policy;
  opt.jobs = 2;
  opt.parallel_min_size = 0;
  opt.split_from = from;
  opt.split_before_parsing = true;
  same_index(drcheck::json::JsonDoc::parse(src, opt), want);
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
  if (size > 1) {
    const size_t from = 1 + data[0] % (size - 1);
    same_in_two_parts(*src, opt, nullptr, from, doc);
    drcheck::tf::PlanSkipPolicy plan_copy_source;
    same_in_two_parts(*src, opt, &plan_copy_source, from, with_plan_skip);
    SkipSome some_copy_source;
    same_in_two_parts(*src, opt, &some_copy_source, from, with_some);
  }
  if (auto* d = std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(
          &with_some)) {
    walk((*d)->root(), (*src)->size(), 0);
  }
  return 0;
}
