// required_tags.h: DR001 required-tags.
//
// Every taggable resource (Resource::taggable, or kinds.h is_taggable_kind)
// carries every ScanOptions::required_tags key with a non-empty value. The
// tags read are the effective ones the loaders record: explicit tags merged
// over provider default tags (Terraform default_tags / plan tags_all, Pulumi
// provider defaultTags). `DR-Role` must match ScanOptions::dr_role_pattern
// and agree with the resource's region role.
//
// One finding per resource and problem:
//   - missing (or empty) required keys      facts {"missing", keys...}
//   - DR-Role value outside the pattern     facts {"dr-role-value", value}
//   - DR-Role disagreeing with the region   facts {"dr-role-region", value,
//                                                   role}
#ifndef DRCHECK_RULES_REQUIRED_TAGS_H_
#define DRCHECK_RULES_REQUIRED_TAGS_H_

#include <string>

#include "analyzer/rule.h"

namespace drcheck {

// Whether `pattern` is a valid RE2 pattern for --dr-role-pattern; on false,
// `error` (when not null) says why. The CLI rejects a bad pattern with it;
// the rule itself treats an invalid pattern as "no pattern check".
bool valid_dr_role_pattern(const std::string& pattern, std::string* error);

// How DR001 reads a recorded tag value.
//   kLiteral: a known, non-empty value (Tag::value).
//   kEmpty:   a known empty value ("" or JSON null): the key counts as missing.
//   kUnknown: the value is computed or not literal: the key is present but
//             its value cannot be checked. Loaders record such a tag with an
//             empty Tag::value and Tag::at absent (computed in a plan) or on
//             a non-string (a CloudFormation intrinsic such as {"Ref": ...});
//             a string holding a Terraform interpolation ("${var.env}") or
//             Pulumi's unknown sentinel is unknown too.
enum class TagValueKind { kLiteral, kEmpty, kUnknown };
TagValueKind classify_tag_value(const Tag& tag);

class RequiredTagsRule : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

}  // namespace drcheck

#endif  // DRCHECK_RULES_REQUIRED_TAGS_H_
