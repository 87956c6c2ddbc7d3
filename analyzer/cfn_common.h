// cfn_common.h: small CloudFormation helpers shared by the template loader
// (cfn_loader.cc) and the cloud assembly loader (cfn_cdk_out.cc).
#ifndef DRCHECK_ANALYZER_CFN_COMMON_H_
#define DRCHECK_ANALYZER_CFN_COMMON_H_

#include <string>
#include <string_view>

#include "analyzer/json.h"

namespace drcheck {

// The function name when `v` is an intrinsic function object (exactly one
// member named "Ref", "Condition" or "Fn::..."), else "".
std::string_view cfn_intrinsic_name(const json::JValue& v);

// The stack name of a template outside a cdk.out: the file's base name
// without ".template.json" / ".json" ("dir/orders.template.json" ->
// "orders").
std::string cfn_stack_name_from_file(const std::string& file);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_CFN_COMMON_H_
