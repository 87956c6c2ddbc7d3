// backup_cross_region_copy.h: DR005 backup-cross-region-copy.
//
// Every AWS Backup plan rule must copy its recovery points to a vault in
// another region, and every stateful resource of the primary region must be
// selected by a backup selection of a plan that does so. See
// docs/rules/DR005.md for the exact semantics.
//
// Reads:
//   aws_backup_plan       rule[] / rules[] / BackupPlan.BackupPlanRule[]
//                         with copy_action[] / copyActions[] / CopyActions[]
//                         and their destination vault ARN
//   aws_backup_vault      region of a destination found in the model
//   aws_backup_selection  plan_id, resources, not_resources, selection_tag,
//                         condition (and the Pulumi / CloudFormation
//                         spellings: selectionTags, ListOfTags, Conditions)
//   stateful kinds        is_stateful_kind() resources with Role::kPrimary
//
// Reports a plan rule without a cross-region copy on the backup plan (one
// finding per rule, facts = {rule name}), and an uncovered stateful resource
// on that resource.
#ifndef DRCHECK_RULES_BACKUP_CROSS_REGION_COPY_H_
#define DRCHECK_RULES_BACKUP_CROSS_REGION_COPY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/rule.h"

namespace drcheck {

class BackupCrossRegionCopyRule : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

namespace dr005 {

// The parts of a backup vault ARN
// (arn:PARTITION:backup:REGION:ACCOUNT:backup-vault:NAME).
struct VaultArn {
  std::string region;
  std::string account;
  std::string name;
};
// Parses a well-formed backup vault ARN; nullopt for anything else. With
// `templated`, "{}" stands for a value only known at deploy time and is
// accepted as the account or inside the name (never as the region).
std::optional<VaultArn> parse_vault_arn(std::string_view s,
                                        bool templated = false);

// Glob match with '*' (any run) and '?' (one character), as AWS Backup
// selections and StringLike conditions use them.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace dr005
}  // namespace drcheck

#endif  // DRCHECK_RULES_BACKUP_CROSS_REGION_COPY_H_
