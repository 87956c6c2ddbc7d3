// options.h: what a scan is told — by flags, by a config file, or both.
//
// Config file (`--config FILE`, or `.drcheck.json` found in the current
// directory): a JSON object whose keys mirror the flags. Unknown keys are an
// error that names them.
//
//   {
//     "primary_region": "us-east-1", "dr_region": "us-west-2",
//     "env_suffix": "dev", "profile": "production",
//     "required_tags": ["Environment", "DR-Role"],
//     "dr_role_pattern": "^(primary|dr|global)$",
//     "rules": {"DR002": {"enabled": false}, "DR004": {"level": "warning"}},
//     "fail_on": "error", "suppressions": "drcheck-suppressions.json",
//     "regions": {"path/template.json": "eu-west-1"}
//   }
//
// Flags given on the command line win over the file.
#ifndef DRCHECK_ANALYZER_OPTIONS_H_
#define DRCHECK_ANALYZER_OPTIONS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/diagnostic.h"

namespace drcheck {

enum class Profile { kProduction, kEphemeral };

struct RuleSetting {
  std::optional<bool> enabled;
  std::optional<std::string> level;  // "error" | "warning" | "note" | "none"
};

struct ScanOptions {
  std::string primary_region;
  std::string dr_region;
  // Environment suffix for DR002. Empty: inferred by the engine (most common
  // trailing token of user-set names); env_suffix_inferred then says so.
  std::string env_suffix;
  bool env_suffix_inferred = false;
  Profile profile = Profile::kProduction;
  std::vector<std::string> required_tags = {"Environment", "DR-Role"};
  std::string dr_role_pattern = "^(primary|dr|global)$";
  std::map<std::string, RuleSetting> rules;  // by rule id
  std::string fail_on = "error";
  std::string suppressions_file;
  std::map<std::string, std::string> regions;  // CloudFormation FILE=REGION
};

// Reads a config file into `options` (only the keys it has). Returns false
// and sets `error` (file:line:col: error: ...) on bad JSON, a wrong type or
// an unknown key.
bool load_config_file(const std::string& path, ScanOptions& options,
                      Diagnostic& error);

const char* profile_name(Profile p);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_OPTIONS_H_
