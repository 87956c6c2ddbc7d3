#include "rules/registry.h"

// One include and one line per rule, in order of rule id.
#include "rules/backup_cross_region_copy.h"
#include "rules/cidr_overlap.h"
#include "rules/deletion_protection.h"
#include "rules/environment_suffix.h"
#include "rules/failover_completeness.h"
#include "rules/required_tags.h"

namespace drcheck {

std::vector<std::unique_ptr<Rule>> all_rules() {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(std::make_unique<RequiredTagsRule>());
  rules.push_back(std::make_unique<EnvironmentSuffixRule>());
  rules.push_back(std::make_unique<DeletionProtectionRule>());
  rules.push_back(std::make_unique<CidrOverlapRule>());
  rules.push_back(std::make_unique<BackupCrossRegionCopyRule>());
  rules.push_back(std::make_unique<FailoverCompletenessRule>());
  return rules;
}

}  // namespace drcheck
