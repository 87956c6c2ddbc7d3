// registry.h: the one list of rules drcheck runs.
//
// Every rule is registered by one line in registry.cc, in order of id. No
// rule registers itself.
#ifndef DRCHECK_RULES_REGISTRY_H_
#define DRCHECK_RULES_REGISTRY_H_

#include <memory>
#include <vector>

#include "analyzer/rule.h"

namespace drcheck {

std::vector<std::unique_ptr<Rule>> all_rules();

}  // namespace drcheck

#endif  // DRCHECK_RULES_REGISTRY_H_
