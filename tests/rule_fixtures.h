// rule_fixtures.h: helpers for rule tests over fixtures/rules/<ID>/.
//
// A rule's fixtures live in fixtures/rules/<ID>/pass/<case>/ and
// fixtures/rules/<ID>/fail/<case>/, one case per folder (any input format;
// a case folder is loaded like a command-line folder argument). A case may
// hold `.drcheck.json` (scan options for that case, same keys as the config
// file).
//
// Expected findings follow the resources' names: a resource whose local
// name (Terraform resource name, CloudFormation logical id, Pulumi URN name)
// starts with "fail" (fail_x, fail-x, FailX) must be reported by the rule;
// every other resource must not. Pass cases must report nothing.
#ifndef DRCHECK_TESTS_RULE_FIXTURES_H_
#define DRCHECK_TESTS_RULE_FIXTURES_H_

#include <set>
#include <string>
#include <vector>

#include "analyzer/model.h"
#include "analyzer/options.h"
#include "analyzer/rule.h"

namespace drcheck::testing {

std::string source_dir();                          // the repository root
std::string fixture(const std::string& relative);  // source_dir()/fixtures/..

// The local name of a resource address: "module.a.aws_vpc.fail_x[0]" ->
// "fail_x", "Stack/FailX" -> "FailX", "urn:...::fail-x" -> "fail-x".
std::string local_name(const std::string& address);
bool named_fail(const std::string& address);

struct CaseResult {
  Model model;
  std::vector<Finding> findings;
  std::vector<std::string> errors;  // input errors, as file:line:col text
  std::set<std::string> reported;   // addresses reported by the rule
  std::set<std::string> expected;   // addresses named fail*
};

// Loads `dir`, applies its .drcheck.json when present, runs only `rule_id`.
CaseResult run_case(const std::string& dir, const std::string& rule_id);

// The case folders under fixtures/rules/<rule_id>/<pass|fail>/.
std::vector<std::string> case_dirs(const std::string& rule_id,
                                   const std::string& outcome);

}  // namespace drcheck::testing

#endif  // DRCHECK_TESTS_RULE_FIXTURES_H_
