// engine.h: runs the registered rules over a model.
//
//   std::vector<Finding> findings = run_rules(model, options, all_rules());
//
// The engine applies per-rule settings (enabled, level), infers the
// environment suffix when none is given (recording that it did), and sorts
// findings deterministically (rule id, primary address, facts, message).
// Rules with level "none" or disabled do not run.
#ifndef DRCHECK_ANALYZER_ENGINE_H_
#define DRCHECK_ANALYZER_ENGINE_H_

#include <memory>
#include <string>
#include <vector>

#include "analyzer/model.h"
#include "analyzer/options.h"
#include "analyzer/rule.h"

namespace drcheck {

// The level a rule runs at under `options` (its default unless overridden);
// Level::kNone when disabled.
Level effective_level(const Rule& rule, const ScanOptions& options);

// Fills options.env_suffix from the model when empty: the most common last
// `-`/`_`/`.`/`/`-delimited token of literal user-set names, after cutting
// trailing qualifiers off each name: a region (`-us-east-1`, `-use1`),
// numbers (account ids, indexes), DR role words (`primary`, `dr`, ...) and
// Pulumi's random auto-name suffix; of a path (`alias/x`, `/aws/lambda/x`)
// only the last segment counts. Only a convention is inferred: the token
// must end more than half of the literal names, and at least two; otherwise
// env_suffix stays empty. Computed names are ignored. With jobs > 1 the
// names are read on that many threads; the result is the same.
void infer_env_suffix(const Model& model, ScanOptions& options,
                      unsigned jobs = 1);

// Runs the enabled rules. With jobs > 1 the rules run on that many threads
// at once, heaviest first (RuleMeta::cost), each sorting its own findings
// (rules only read the model); the findings are the same, in the same
// order, whatever the job count.
std::vector<Finding> run_rules(const Model& model, ScanOptions& options,
                               const std::vector<std::unique_ptr<Rule>>& rules,
                               unsigned jobs = 1);

// Checks that every rule setting names a registered rule and a valid level;
// returns the problems found.
std::vector<std::string> validate_rule_settings(
    const ScanOptions& options,
    const std::vector<std::unique_ptr<Rule>>& rules);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_ENGINE_H_
