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
// `-`/`_`/`.`/`/`-delimited token of literal user-set names (ties:
// alphabetical), after cutting a trailing region (`-us-east-1`) and trailing
// numbers (account ids, indexes) off each name. Computed names and
// one-token names do not count, and a token must end at least two names:
// otherwise nothing is inferred and env_suffix stays empty.
void infer_env_suffix(const Model& model, ScanOptions& options);

std::vector<Finding> run_rules(const Model& model, ScanOptions& options,
                               const std::vector<std::unique_ptr<Rule>>& rules);

// Checks that every rule setting names a registered rule and a valid level;
// returns the problems found.
std::vector<std::string> validate_rule_settings(
    const ScanOptions& options,
    const std::vector<std::unique_ptr<Rule>>& rules);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_ENGINE_H_
