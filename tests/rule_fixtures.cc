#include "tests/rule_fixtures.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "analyzer/engine.h"
#include "analyzer/loader.h"
#include "rules/registry.h"

namespace drcheck::testing {

namespace fs = std::filesystem;

std::string source_dir() {
  if (const char* env = std::getenv("DRCHECK_SOURCE_DIR")) return env;
  return DRCHECK_SOURCE_DIR;
}

std::string fixture(const std::string& relative) {
  return source_dir() + "/fixtures/" + relative;
}

std::string local_name(const std::string& address) {
  std::string a = address;
  if (!a.empty() && a.back() == ']') {
    auto open = a.rfind('[');
    if (open != std::string::npos) a = a.substr(0, open);
  }
  auto urn = a.rfind("::");
  if (a.rfind("urn:pulumi:", 0) == 0 && urn != std::string::npos) {
    return a.substr(urn + 2);
  }
  auto slash = a.rfind('/');
  if (slash != std::string::npos && a.find('.') == std::string::npos) {
    return a.substr(slash + 1);
  }
  auto dot = a.rfind('.');
  return dot == std::string::npos ? a : a.substr(dot + 1);
}

bool named_fail(const std::string& address) {
  std::string n = local_name(address);
  if (n.size() < 4) return false;
  std::string head = n.substr(0, 4);
  std::transform(head.begin(), head.end(), head.begin(), ::tolower);
  return head == "fail";
}

CaseResult run_case(const std::string& dir, const std::string& rule_id) {
  CaseResult result;
  ScanOptions options;
  std::string config = dir + "/.drcheck.json";
  if (fs::exists(config)) {
    Diagnostic d;
    if (!load_config_file(config, options, d)) {
      result.errors.push_back(d.str());
      return result;
    }
  }
  LoadOptions lo;
  for (const auto& [f, r] : options.regions) lo.cfn_regions[f] = r;
  load_path(dir, lo, result.model);
  result.model.finalize({options.primary_region, options.dr_region});
  for (const auto& d : result.model.errors) result.errors.push_back(d.str());

  std::vector<std::unique_ptr<Rule>> only;
  for (auto& r : all_rules()) {
    if (r->meta().id == rule_id) only.push_back(std::move(r));
  }
  result.findings = run_rules(result.model, options, only);
  for (const auto& f : result.findings) {
    if (f.resource >= 0) {
      result.reported.insert(
          result.model.resources[static_cast<size_t>(f.resource)].address);
    }
  }
  for (const auto& r : result.model.resources) {
    if (named_fail(r.address)) result.expected.insert(r.address);
  }
  return result;
}

std::vector<std::string> case_dirs(const std::string& rule_id,
                                   const std::string& outcome) {
  std::vector<std::string> out;
  fs::path root = fixture("rules/" + rule_id + "/" + outcome);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace drcheck::testing
