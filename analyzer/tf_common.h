// tf_common.h: what the two Terraform loaders share.
//
// Terraform addresses and references are traversals: `module.a["k"]` module
// paths, `aws_subnet.a[0].id` resource attributes, `var.regions["dr"]`. The
// helpers below split and parse them without a full HCL parser, and scan
// `${...}` / `%{...}` templates (Terraform JSON configuration, CDKTF) for the
// resource references inside, including references nested in function calls
// (`${element(aws_subnet.a.*.id, 0)}`) and quoted sub-templates.
//
// Both loaders keep one reference per (attribute, target), preferring the
// most specific instance (add_reference, prune_references).
#ifndef DRCHECK_ANALYZER_TF_COMMON_H_
#define DRCHECK_ANALYZER_TF_COMMON_H_

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzer/json.h"
#include "analyzer/model.h"

namespace drcheck::tf {

// s == lit, with the literal's length known at compile time so the compare
// is inlined (member dispatch on large documents is hot).
template <size_t N>
inline bool is(std::string_view s, const char (&lit)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

// Where a bracketed instance key starting at text[open] ('[') ends: the
// index one past its ']' (quoted keys may hold ']', '.' and escaped quotes).
// npos when unterminated.
size_t skip_index(std::string_view text, size_t open);

// "module.a[\"k\"].module.b[0].aws_vpc.this[1]" ->
//   {"module.a[\"k\"].module.b[0]", "aws_vpc.this[1]"}; a root address has
// an empty module path.
std::pair<std::string_view, std::string_view> split_module_path(
    std::string_view address);

// Drops instance keys: "module.a[\"k\"].module.b[0]" -> "module.a.module.b",
// "aws_vpc.this[0]" -> "aws_vpc.this".
std::string strip_instance_keys(std::string_view path);

// The enclosing module of a module path without instance keys:
// "module.a.module.b" -> "module.a", "module.a" -> "". Also accepts the old
// Terraform 0.12 provider-key prefixes ("vpc" -> "").
std::string_view parent_module(std::string_view path);

// One reference string as Terraform prints it in plan configuration
// (`aws_vpc.this.id`, `module.net.vpc_id`, `var.region`, `data.x.y.id`).
struct ParsedRef {
  enum class Kind {
    kOther,     // local., data., each., count., path., self., terraform., ...
    kResource,  // target = "aws_vpc.this" or "aws_subnet.a[0]"
    kModule,    // module_call = "module.net[0]", output = "vpc_id" or ""
    kVariable,  // name = "regions", steps = "[\"dr\"]" (may be empty)
  };
  Kind kind = Kind::kOther;
  std::string_view target;
  std::string_view module_call;
  std::string_view output;
  std::string_view name;
  std::string_view steps;
};
// `require_underscore`: a resource type must contain '_' (used for template
// scanning, where for-expression symbols like `s.id` look like traversals).
ParsedRef parse_reference(std::string_view ref,
                          bool require_underscore = false);

// Calls `emit` with every traversal (e.g. "aws_subnet.a.*.id",
// "var.region") found in the templates of a Terraform JSON string value.
// Function names and provider functions (`provider::aws::arn_parse`) are not
// traversals. `$${` and `%%{` escapes are literal text.
void template_traversals(std::string_view text,
                         const std::function<void(std::string_view)>& emit);

// For a CDKTF cross-stack traversal
// "data.terraform_remote_state.NAME.outputs.OUT..." the prefix up to OUT;
// empty for anything else.
std::string_view remote_state_output(std::string_view traversal);

// When the whole string is one `${var.NAME...}` interpolation, the variable
// traversal ("var.NAME..."); empty otherwise.
std::string_view sole_variable(std::string_view text);

// Follows `steps` (`["k"]`, `[0]`, `.attr`, in any sequence) from `value`;
// absent when a step does not apply.
json::JValue follow_steps(json::JValue value, std::string_view steps);

// Appends a reference unless the resource already has one for the same
// (attribute, target).
void add_reference(Resource& r, std::string_view attribute,
                   std::string_view target, const json::JValue& at);
// Drops `T` for an attribute that also references an instance `T[...]`
// (Terraform lists `aws_subnet.a[0].id` and `aws_subnet.a` together).
void prune_references(std::vector<Reference>& refs);

// The provider local name a resource type implies: "aws_vpc" -> "aws".
std::string_view implied_provider(std::string_view type);

// What of a plan (`terraform show -json`) no reader needs indexed, so the
// parser only validates it: the `before`, `after`, `before_sensitive` and
// `after_sensitive` copies inside each resource change (the loader reads
// resources from `planned_values` and only `actions` and `after_unknown`
// from their changes), `resource_drift`, and `prior_state` once an object
// `planned_values` came before it (the state is read only without one).
// Safe for any input: other formats have no such members at those places.
class PlanSkipPolicy : public json::SkipPolicy {
 public:
  bool skip(const json::MemberPath& path) override;
  std::unique_ptr<json::SkipPolicy> clone() const override {
    return std::make_unique<PlanSkipPolicy>(*this);
  }

 private:
  bool planned_values_seen_ = false;
};

}  // namespace drcheck::tf

#endif  // DRCHECK_ANALYZER_TF_COMMON_H_
