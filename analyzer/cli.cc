#include "analyzer/cli.h"

#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/engine.h"
#include "analyzer/loader.h"
#include "analyzer/model.h"
#include "analyzer/model_json.h"
#include "analyzer/suppressions.h"
#include "analyzer/tf_source.h"
#include "rules/registry.h"
#include "rules/required_tags.h"
#include "sarif/baseline.h"
#include "sarif/json_writer.h"
#include "sarif/junit_writer.h"
#include "sarif/markdown_writer.h"
#include "sarif/output.h"
#include "sarif/sarif_writer.h"
#include "sarif/text_writer.h"

namespace drcheck {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
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
  unsigned jobs = 0;  // 0: one per core
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
  cmd->add_option("-j,--jobs", o.jobs,
                  "Load this many input files in parallel (default: the "
                  "number of cores)");
  cmd->add_flag("-v,--verbose", o.verbose,
                "List files a folder walk skipped, and why");
}

struct ScanFlags {
  std::string config;
  std::string format;  // empty: text
  std::string output;
  std::string env_suffix;
  std::string profile;
  std::vector<std::string> required_tags;
  std::string dr_role_pattern;
  std::vector<std::string> enable, disable, levels;  // levels: ID=LEVEL
  std::string fail_on;
  std::string src_root;
  std::string baseline;      // earlier drcheck SARIF
  std::string suppressions;  // suppressions file (wins over the config's)
  std::string tf_source;     // .tf folder for plan source mapping
  std::string link_base;     // markdown link prefix
};

// Phase timings on stderr when DRCHECK_TIMINGS is set (for profiling).
class PhaseTimer {
 public:
  PhaseTimer() : on_(std::getenv("DRCHECK_TIMINGS") != nullptr) {}
  void mark(const char* phase) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const double cpu = cpu_ms(usage);
    std::cerr << "drcheck: " << phase << " "
              << std::chrono::duration<double, std::milli>(now - last_).count()
              << " ms, CPU " << cpu - last_cpu_ << " ms (peak RSS so far "
              << usage.ru_maxrss / 1024 << " MiB; " << resident() << ")\n";
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  // "anon N MiB, file N MiB": what is resident now, from /proc/self/status
  // (anonymous pages are the ones the kernel had to clear).
  static std::string resident() {
    std::ifstream in("/proc/self/status");
    std::string line, out;
    while (std::getline(in, line)) {
      for (const char* key : {"RssAnon:", "RssFile:"}) {
        if (line.rfind(key, 0) != 0) continue;
        long kb = std::atol(line.c_str() + std::char_traits<char>::length(key));
        if (!out.empty()) out += ", ";
        out += std::string(key[3] == 'A' ? "anon " : "file ") +
               std::to_string(kb / 1024) + " MiB";
      }
    }
    return out;
  }
  // User and system time of all threads so far: beside the wall time, it
  // shows how well a phase spreads over the jobs.
  static double cpu_ms(const struct rusage& u) {
    auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
    return ms(u.ru_utime) + ms(u.ru_stime);
  }
  bool on_;
  double last_cpu_ = 0;
  std::chrono::steady_clock::time_point last_ =
      std::chrono::steady_clock::now();
};

}  // namespace

// Loads every path into `model` and finalizes it; prints input errors to
// stderr. Shared by `model` and `scan`.
bool load_model(const std::vector<std::string>& paths,
                const LoadOptions& load_options, const RoleOptions& roles,
                bool verbose, Model& model, PhaseTimer* timer = nullptr) {
  std::vector<std::string> skipped;
  load_paths(paths, load_options, model, &skipped);
  if (timer) timer->mark("load");
  model.finalize(roles, load_options.jobs);
  if (timer) timer->mark("finalize");
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
  lo.jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
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

// The scan's model is deliberately never freed: the process ends right after
// the report is written, and tearing down a 20,000-resource model (its
// strings, maps and parsed inputs) costs more than some rules. A global
// pointer keeps it reachable, so LeakSanitizer does not call it a leak.
// External linkage, so the store that keeps it reachable is never elided.
extern Model* g_scan_model;
Model* g_scan_model = nullptr;

namespace {

// Applies the config file, then the flags, to `options`.
bool build_scan_options(const ModelOptions& mo, const ScanFlags& sf,
                        ScanOptions& options) {
  std::string config = sf.config;
  if (config.empty() && std::filesystem::exists(".drcheck.json")) {
    config = ".drcheck.json";
  }
  if (!config.empty()) {
    Diagnostic d;
    if (!load_config_file(config, options, d)) {
      std::cerr << d.str() << '\n';
      return false;
    }
    // A suppressions file named by the config is relative to the config.
    std::filesystem::path sup(options.suppressions_file);
    std::filesystem::path dir = std::filesystem::path(config).parent_path();
    if (!sup.empty() && sup.is_relative() && !dir.empty()) {
      options.suppressions_file = (dir / sup).lexically_normal().string();
    }
  }
  if (!sf.suppressions.empty()) options.suppressions_file = sf.suppressions;
  if (!mo.primary_region.empty()) options.primary_region = mo.primary_region;
  if (!mo.dr_region.empty()) options.dr_region = mo.dr_region;
  if (!sf.env_suffix.empty()) options.env_suffix = sf.env_suffix;
  if (!sf.profile.empty()) {
    options.profile =
        sf.profile == "ephemeral" ? Profile::kEphemeral : Profile::kProduction;
  }
  if (!sf.required_tags.empty()) options.required_tags = sf.required_tags;
  if (!sf.dr_role_pattern.empty()) options.dr_role_pattern = sf.dr_role_pattern;
  if (!sf.fail_on.empty()) options.fail_on = sf.fail_on;
  for (const auto& id : sf.enable) options.rules[id].enabled = true;
  for (const auto& id : sf.disable) options.rules[id].enabled = false;
  for (const auto& il : sf.levels) {
    auto eq = il.find('=');
    if (eq == std::string::npos) {
      std::cerr << "drcheck: error: --level expects ID=LEVEL, got '" << il
                << "'\n";
      return false;
    }
    options.rules[il.substr(0, eq)].level = il.substr(eq + 1);
  }
  return true;
}

// Completes a report written to `file` (replacing `output` atomically), or
// to stdout when `output` is empty. Prints `FILE: error: ...` (`error` when
// already set) and returns false on failure.
bool finish_output(const std::string& output, AtomicFile& file,
                   std::string& error) {
  if (output.empty()) {
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "drcheck: error: cannot write the report to stdout\n";
      return false;
    }
    return true;
  }
  if (!error.empty() || !file.commit(error)) {
    std::cerr << output << ": error: " << error << '\n';
    return false;
  }
  return true;
}

int run_scan(const ModelOptions& mo, const ScanFlags& sf) {
  PhaseTimer timer;
  ScanOptions options;
  if (!build_scan_options(mo, sf, options)) return kExitInputError;
  if (std::string why; !valid_dr_role_pattern(options.dr_role_pattern, &why)) {
    std::cerr << "drcheck: error: invalid DR-Role pattern '"
              << options.dr_role_pattern << "': " << why << '\n';
    return kExitInputError;
  }
  auto rules = all_rules();
  auto problems = validate_rule_settings(options, rules);
  for (const auto& p : problems) std::cerr << "drcheck: error: " << p << '\n';
  if (!problems.empty()) return kExitInputError;

  // Everything that is a usage error is checked before the inputs load.
  std::vector<SuppressionEntry> suppressions;
  if (!options.suppressions_file.empty()) {
    Diagnostic d;
    if (!load_suppressions(options.suppressions_file, suppressions, d)) {
      std::cerr << d.str() << '\n';
      return kExitInputError;
    }
  }
  std::vector<nlohmann::ordered_json> baseline;
  if (!sf.baseline.empty()) {
    Diagnostic d;
    if (!load_baseline(sf.baseline, baseline, d)) {
      std::cerr << d.str() << '\n';
      return kExitInputError;
    }
  }
  for (const auto* dir : {&sf.tf_source, &sf.src_root}) {
    if (!dir->empty() && !std::filesystem::is_directory(*dir)) {
      std::cerr << *dir << ": error: not a directory\n";
      return kExitInputError;
    }
  }

  std::string error;
  LoadOptions lo = make_load_options(mo, error);
  if (!error.empty()) {
    std::cerr << "drcheck: error: " << error << '\n';
    return kExitInputError;
  }
  for (const auto& [file, region] : options.regions) {
    lo.cfn_regions.emplace(file, region);
  }
  g_scan_model = new Model();
  Model& model = *g_scan_model;
  bool ok =
      load_model(mo.paths, lo, {options.primary_region, options.dr_region},
                 mo.verbose, model, &timer);
  if (!sf.tf_source.empty()) {
    map_tf_sources(sf.tf_source, model);
  } else {
    map_tf_sources_beside_plans(model);
  }
  timer.mark("source mapping");
  std::vector<Finding> findings = run_rules(model, options, rules, lo.jobs);
  timer.mark("rules");
  // The report needs positions and a few values: let the inputs' pages go.
  for (const auto& in : model.inputs) {
    if (in.doc) in.doc->source().end_streaming();
  }

  std::vector<std::string> rule_ids;
  for (const auto& r : rules) rule_ids.emplace_back(r->meta().id);
  Report report;
  report.model = &model;
  report.findings = &findings;
  report.options = &options;
  report.rules = &rules;
  report.src_root = sf.src_root;
  report.link_base = sf.link_base;
  report.jobs = lo.jobs;
  report.notifications = apply_suppressions(model, suppressions, rule_ids,
                                            today_utc(), findings, lo.jobs);
  if (!sf.baseline.empty()) apply_baseline(baseline, report);

  // The report goes to its file (replaced atomically) or stdout as it
  // renders.
  const std::string format = sf.format.empty() ? "text" : sf.format;
  AtomicFile file;
  StreamSink stdout_sink(std::cout);
  ReportSink& out = sf.output.empty() ? static_cast<ReportSink&>(stdout_sink)
                                      : static_cast<ReportSink&>(file);
  std::string write_error;
  const bool opened = sf.output.empty() || file.open(sf.output, write_error);
  if (!opened) {
    // Nothing to render into; finish_output() prints the error.
  } else if (format == "sarif") {
    write_sarif(report, kSarifMaxResults, out);
  } else if (format == "json") {
    write_json(report, out);
  } else if (format == "junit") {
    write_junit(report, out);
  } else if (format == "markdown") {
    out.write(write_markdown(report));
  } else {
    bool tty = sf.output.empty() && isatty(STDOUT_FILENO);
    write_text(report, tty, out);
  }
  // The text report lists scan warnings itself; otherwise show them here.
  if (format != "text" || !sf.output.empty()) {
    for (const auto& d : report.notifications) std::cerr << d.str() << '\n';
  }
  timer.mark("report");
  if (!finish_output(sf.output, file, write_error)) return kExitInputError;
  timer.mark("write");
  if (!ok) return kExitInputError;

  // Findings count unless suppressed or unchanged against the baseline.
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    bool unchanged = !report.baseline.empty() &&
                     report.baseline[i] == BaselineState::kUnchanged;
    if (!f.suppressed && !unchanged && at_or_above(f.level, options.fail_on)) {
      return kExitFindings;
    }
  }
  return kExitClean;
}

}  // namespace

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

  ModelOptions so;
  ScanFlags sf;
  auto* scan_cmd = app.add_subcommand(
      "scan",
      "Check the DR rules (drcheck rules lists them) over the inputs and "
      "report findings. Exit 0 when clean, 1 when a finding is at or above "
      "--fail-on, 2 on a usage or input error.");
  add_input_options(scan_cmd, so);
  scan_cmd->add_option("--config", sf.config,
                       "JSON config file (default: .drcheck.json in the "
                       "current directory, when present)");
  scan_cmd
      ->add_option("--format", sf.format,
                   "Output format: text (default), sarif (GitHub code "
                   "scanning), json, junit or markdown")
      ->check(CLI::IsMember({"text", "sarif", "json", "junit", "markdown"}));
  scan_cmd->add_option("-o,--output", sf.output,
                       "Write the report to this file (atomically) instead "
                       "of stdout");
  scan_cmd->add_option("--src-root", sf.src_root,
                       "Folder report paths are relative to (SARIF "
                       "%SRCROOT%; default: the current directory)");
  scan_cmd->add_option("--baseline", sf.baseline,
                       "Earlier drcheck SARIF: only findings not in it count "
                       "(matched by fingerprint and file)");
  scan_cmd->add_option("--suppressions", sf.suppressions,
                       "Suppressions file (see analyzer/suppressions.h); "
                       "default: the config's \"suppressions\"");
  scan_cmd->add_option("--tf-source", sf.tf_source,
                       "Terraform configuration folder: put findings on "
                       "Terraform plans on the .tf line that declares the "
                       "resource (default: the plan's own folder, when it "
                       "holds .tf files)");
  scan_cmd->add_option("--link-base", sf.link_base,
                       "Markdown: prefix for file links, e.g. "
                       "https://github.com/OWNER/REPO/blob/SHA/");
  scan_cmd->add_option("--env-suffix", sf.env_suffix,
                       "Environment suffix every user-set name must carry "
                       "(DR002); default: inferred");
  scan_cmd
      ->add_option("--profile", sf.profile,
                   "production (stateful resources must be protected) or "
                   "ephemeral (everything must be destroyable)")
      ->check(CLI::IsMember({"production", "ephemeral"}));
  scan_cmd->add_option("--required-tag", sf.required_tags,
                       "Tag key every taggable resource must carry "
                       "(repeatable; default Environment and DR-Role)");
  scan_cmd->add_option("--dr-role-pattern", sf.dr_role_pattern,
                       "RE2 pattern DR-Role tag values must match");
  scan_cmd->add_option("--enable", sf.enable,
                       "Enable a rule by id (repeatable)");
  scan_cmd->add_option("--disable", sf.disable,
                       "Disable a rule by id (repeatable)");
  scan_cmd->add_option("--level", sf.levels,
                       "ID=LEVEL: report a rule at error, warning, note or "
                       "none (repeatable)");
  scan_cmd
      ->add_option("--fail-on", sf.fail_on,
                   "Lowest level that makes the exit code 1: error "
                   "(default), warning, note or never")
      ->check(CLI::IsMember({"error", "warning", "note", "never"}));

  auto* rules_cmd = app.add_subcommand(
      "rules",
      "List the rules with their id, name, default level and "
      "description.");

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
  if (rules_cmd->parsed()) {
    for (const auto& rule : all_rules()) {
      const RuleMeta& m = rule->meta();
      std::cout << m.id << "  " << m.name << "  ["
                << level_name(m.default_level) << "]\n    "
                << m.short_description << "\n";
    }
    return kExitClean;
  }
  if (scan_cmd->parsed()) return run_scan(so, sf);
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
