#include "rules/registry.h"

// One include and one line per rule, in order of rule id.
#include "rules/backup_cross_region_copy.h"
#include "rules/failover_completeness.h"

namespace drcheck {

std::vector<std::unique_ptr<Rule>> all_rules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<BackupCrossRegionCopyRule>());
  rules.push_back(std::make_unique<FailoverCompletenessRule>());
  return rules;
}

}  // namespace drcheck
