#include "analyzer/cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/model_json.h"

namespace drcheck {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitInputError = 2;

struct ModelOptions {
  std::vector<std::string> paths;
  std::string format = "json";
  std::string primary_region;
  std::string dr_region;
  std::vector<std::string> cfn_regions;  // FILE=REGION
  uint64_t max_file_size = SourceFile::kDefaultMaxSize;
  uint32_t max_depth = 512;
  bool verbose = false;
};

void add_input_options(CLI::App* cmd, ModelOptions& o) {
  cmd->add_option("paths", o.paths,
                  "Input files or folders: Terraform plan JSON (terraform "
                  "show -json), *.tf.json / cdktf.out, CloudFormation JSON "
                  "/ cdk.out, Pulumi state (pulumi stack export)")
      ->required();
  cmd->add_option("--primary-region", o.primary_region,
                  "Region holding the primary deployment (default: inferred "
                  "from DR-Role=primary tags, else the region with most "
                  "resources)");
  cmd->add_option("--dr-region", o.dr_region,
                  "Region holding the disaster-recovery deployment (default: "
                  "inferred)");
  cmd->add_option("--region", o.cfn_regions,
                  "FILE=REGION: region of a CloudFormation template outside "
                  "a cdk.out (repeatable)");
  cmd->add_option("--max-file-size", o.max_file_size,
                  "Refuse input files larger than this many bytes")
      ->capture_default_str();
  cmd->add_option("--max-depth", o.max_depth,
                  "Refuse JSON nested deeper than this")
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", o.verbose,
                "List files a folder walk skipped, and why");
}

}  // namespace

// Loads every path into `model` and finalizes it; prints input errors to
// stderr. Shared by `model` and `scan`.
bool load_model(const std::vector<std::string>& paths,
                const LoadOptions& load_options, const RoleOptions& roles,
                bool verbose, Model& model) {
  std::vector<std::string> skipped;
  for (const auto& p : paths) load_path(p, load_options, model, &skipped);
  model.finalize(roles);
  if (verbose) {
    for (const auto& s : skipped) std::cerr << "skipped " << s << '\n';
  }
  for (const auto& d : model.errors) std::cerr << d.str() << '\n';
  return model.errors.empty();
}

LoadOptions make_load_options(const ModelOptions& o, std::string& error) {
  LoadOptions lo;
  lo.max_file_size = o.max_file_size;
  lo.max_depth = o.max_depth;
  lo.verbose = o.verbose;
  for (const auto& fr : o.cfn_regions) {
    auto eq = fr.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == fr.size()) {
      error = "--region expects FILE=REGION, got '" + fr + "'";
      continue;
    }
    lo.cfn_regions[fr.substr(0, eq)] = fr.substr(eq + 1);
  }
  return lo;
}

int run_cli(int argc, char** argv) {
  CLI::App app{
      "drcheck: proves, before merge, that a two-region AWS disaster-recovery "
      "setup is complete and safe. It reads synthesized infrastructure "
      "(Terraform plans, CDKTF, CloudFormation/CDK, Pulumi state), builds one "
      "cross-region model and checks the DR rules DR001-DR006.",
      "drcheck"};
  app.require_subcommand(1);
  app.set_version_flag("--version", DRCHECK_VERSION);

  ModelOptions mo;
  auto* model_cmd = app.add_subcommand(
      "model",
      "Print the cross-region resource model: every resource with its "
      "region, role (primary/dr/global), tags, name, references and source "
      "location. Use it to see what drcheck understood of your inputs.");
  add_input_options(model_cmd, mo);
  model_cmd->add_option("--format", mo.format, "json or text")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();

  auto* version_cmd =
      app.add_subcommand("version", "Print drcheck's version and exit.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitClean : kExitInputError;
  }

  if (version_cmd->parsed()) {
    std::cout << "drcheck " << DRCHECK_VERSION << '\n';
    return kExitClean;
  }
  if (model_cmd->parsed()) {
    std::string error;
    LoadOptions lo = make_load_options(mo, error);
    if (!error.empty()) {
      std::cerr << "drcheck: error: " << error << '\n';
      return kExitInputError;
    }
    Model model;
    bool ok = load_model(mo.paths, lo, {mo.primary_region, mo.dr_region},
                         mo.verbose, model);
    if (mo.format == "text") {
      std::cout << model_to_text(model);
    } else {
      std::cout << model_to_json(model).dump(2) << '\n';
    }
    return ok ? kExitClean : kExitInputError;
  }
  return kExitInputError;
}

}  // namespace drcheck
