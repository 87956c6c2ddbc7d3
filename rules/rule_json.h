// rule_json.h: helpers rules share for reading attribute values written in
// any input format (snake_case, camelCase or PascalCase keys; Terraform JSON
// blocks as arrays or single objects; CloudFormation intrinsics).
#ifndef DRCHECK_RULES_RULE_JSON_H_
#define DRCHECK_RULES_RULE_JSON_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/json.h"
#include "analyzer/model.h"

namespace drcheck::rule_json {

// The member of `obj` whose key, in snake_case, is one of `names` (any
// format's spelling: copy_action, copyActions, CopyActions).
json::JValue field(const json::JValue& obj,
                   std::initializer_list<std::string_view> names);

// A block list: an array, or a single object (Terraform JSON allows both).
std::vector<json::JValue> as_list(const json::JValue& v);

// Whether `at` lies inside `outer` (same file, within its text).
bool within(const json::JValue& at, const json::JValue& outer);

bool path_matches(std::string_view attribute, std::string_view path);

// Whether `ref` was written inside `value` or is recorded under one of
// `paths` (loaders that know where a reference was written, and loaders
// that only know its attribute path).
bool reference_matches(const Reference& ref, const json::JValue& value,
                       const std::vector<std::string>& paths);

// Logical ids a CloudFormation value names through Ref, Fn::GetAtt or
// Fn::Sub (pseudo parameters excluded).
void cfn_targets(const json::JValue& v, std::vector<std::string>& out);

// The resources of the same stack that a CloudFormation value names.
std::vector<int> cfn_resolve(const Model& model, const Resource& r,
                             const json::JValue& value);

}  // namespace drcheck::rule_json

#endif  // DRCHECK_RULES_RULE_JSON_H_
