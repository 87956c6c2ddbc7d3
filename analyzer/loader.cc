#include "analyzer/loader.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "analyzer/parallel.h"
#include "analyzer/tf_common.h"

namespace drcheck {

namespace fs = std::filesystem;

namespace {

Diagnostic diag_at(const json::JValue& at, const std::string& file,
                   Severity severity, const std::string& message) {
  Diagnostic d;
  d.file = at.present() ? at.source()->path() : file;
  if (at.present()) {
    Position p = at.position();
    d.line = p.line;
    d.column = p.column;
  }
  d.severity = severity;
  d.message = message;
  return d;
}

bool has(const json::JValue& obj, std::string_view key) {
  return obj.get(key).present();
}

}  // namespace

void LoadContext::error(const json::JValue& at,
                        const std::string& message) const {
  model->errors.push_back(diag_at(at, file, Severity::kError, message));
}

void LoadContext::warning(const json::JValue& at,
                          const std::string& message) const {
  model->warnings.push_back(diag_at(at, file, Severity::kWarning, message));
}

bool is_cdk_assembly_manifest(const json::JValue& root) {
  return root.is_object() && root["artifacts"].is_object() &&
         root["version"].is_string();
}

bool is_cdktf_manifest(const json::JValue& root) {
  if (!root.is_object() || !root["stacks"].is_object()) return false;
  for (auto [name, stack] : root["stacks"].members()) {
    (void)name;
    if (stack["synthesizedStackPath"].is_string()) return true;
  }
  return root["stacks"].size() == 0 && root["version"].is_string();
}

Detection detect_format(const json::JValue& root) {
  Detection d;
  if (!root.is_object()) {
    d.why = std::string("the top-level value is ") +
            json::type_name(root.type()) + ", not an object";
    return d;
  }
  if (has(root, "format_version") &&
      (has(root, "planned_values") || has(root, "resource_changes") ||
       has(root, "prior_state") || has(root, "values") ||
       has(root, "configuration") || has(root, "terraform_version"))) {
    d.format = Format::kTerraformPlan;
    return d;
  }
  if (has(root, "deployment") || has(root, "checkpoint")) {
    if (has(root, "version")) {
      d.format = Format::kPulumiState;
      return d;
    }
  }
  // A bare Pulumi deployment ({"manifest": ..., "resources": [...]}) or the
  // old {"latest": deployment} checkpoint body.
  if ((has(root, "manifest") && root["resources"].is_array()) ||
      (has(root, "latest") && root["latest"]["resources"].present())) {
    d.format = Format::kPulumiState;
    return d;
  }
  if (has(root, "AWSTemplateFormatVersion") || has(root, "Resources")) {
    d.format = Format::kCloudFormation;
    return d;
  }
  if (is_cdk_assembly_manifest(root)) {
    d.why = "a CDK cloud assembly manifest (pass its folder)";
    return d;
  }
  if (is_cdktf_manifest(root)) {
    d.why = "a CDKTF manifest (pass its folder)";
    return d;
  }
  static const char* kTfKeys[] = {"resource", "provider", "terraform",
                                  "module",   "data",     "variable",
                                  "output",   "locals"};
  for (const char* k : kTfKeys) {
    if (has(root, k)) {
      d.format = Format::kTerraformJson;
      return d;
    }
  }
  if (has(root, "$schema") || has(root, "properties")) {
    d.why = "a JSON schema or other JSON document";
  } else if (has(root, "format_version")) {
    d.why = "a Terraform JSON document with no plan or state values";
  } else {
    std::string keys;
    int n = 0;
    for (auto [k, v] : root.members()) {
      (void)v;
      if (n++ == 4) {
        keys += ", ...";
        break;
      }
      if (!keys.empty()) keys += ", ";
      keys += "\"" + std::string(k) + "\"";
    }
    d.why = keys.empty() ? "an empty object" : "an object with keys " + keys;
  }
  return d;
}

std::shared_ptr<const json::JsonDoc> read_json(const std::string& path,
                                               const LoadOptions& options,
                                               Model& model) {
  auto file = SourceFile::read(path, options.max_file_size);
  if (auto* d = std::get_if<Diagnostic>(&file)) {
    model.errors.push_back(*d);
    return nullptr;
  }
  auto src = std::get<std::shared_ptr<const SourceFile>>(std::move(file));
  json::ParseOptions popt;
  popt.max_depth = options.max_depth;
  popt.jobs = options.document_jobs;
  tf::PlanSkipPolicy plan_skip;  // the format is known only after parsing
  popt.skip = &plan_skip;
  auto doc = json::JsonDoc::parse(src, popt);
  if (auto* d = std::get_if<Diagnostic>(&doc)) {
    model.errors.push_back(*d);
    return nullptr;
  }
  return std::get<std::shared_ptr<const json::JsonDoc>>(std::move(doc));
}

int load_document(std::shared_ptr<const json::JsonDoc> doc,
                  const std::string& file, const LoadOptions& options,
                  Model& model, bool explicit_file, const std::string& stack,
                  const std::string& region, const std::string& account) {
  json::JValue root = doc->root();
  Detection det = detect_format(root);
  if (det.format == Format::kUnknown) {
    if (explicit_file) {
      Diagnostic d;
      d.file = file;
      Position p = root.position();
      d.line = p.line;
      d.column = p.column;
      d.message = "not a recognized input format: " + det.why +
                  " (drcheck reads Terraform plan JSON, Terraform JSON "
                  "configuration, CloudFormation JSON and Pulumi state)";
      model.errors.push_back(d);
    }
    return -1;
  }
  Input input;
  input.file = file;
  input.format = det.format;
  input.stack = stack;
  input.doc = doc;
  model.inputs.push_back(input);
  int index = static_cast<int>(model.inputs.size()) - 1;

  LoadContext ctx;
  ctx.options = &options;
  ctx.model = &model;
  ctx.input = index;
  ctx.stack = stack;
  ctx.region = region;
  ctx.account = account;
  ctx.file = file;
  if (ctx.region.empty() && det.format == Format::kCloudFormation) {
    auto it = options.cfn_regions.find(file);
    if (it == options.cfn_regions.end()) {
      it = options.cfn_regions.find(fs::path(file).filename().string());
    }
    if (it != options.cfn_regions.end()) ctx.region = it->second;
  }
  size_t before = model.resources.size();
  switch (det.format) {
    case Format::kTerraformPlan:
      load_tf_plan(root, ctx);
      break;
    case Format::kTerraformJson:
      load_tf_json(root, ctx);
      break;
    case Format::kCloudFormation:
      load_cfn(root, ctx);
      break;
    case Format::kPulumiState:
      load_pulumi(root, ctx);
      break;
    case Format::kUnknown:
      break;
  }
  for (size_t i = before; i < model.resources.size(); ++i) {
    model.resources[i].input = index;
    if (model.resources[i].format == Format::kUnknown) {
      model.resources[i].format = det.format;
    }
  }
  model.inputs[static_cast<size_t>(index)].resources =
      model.resources.size() - before;
  return index;
}

namespace {

// Peeks at a file's first bytes: JSON starts with '{' or '[' (after
// whitespace or a BOM); UTF-16 starts with a BOM.
enum class Peek { kJson, kYamlTemplate, kOther, kUnreadable };

Peek peek(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Peek::kUnreadable;
  char buf[512];
  in.read(buf, sizeof buf);
  std::string_view s(buf, static_cast<size_t>(in.gcount()));
  if (s.substr(0, 2) == "\xFF\xFE" || s.substr(0, 2) == "\xFE\xFF") {
    return Peek::kJson;
  }
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  size_t i = s.find_first_not_of(" \t\r\n");
  if (i != std::string_view::npos && (s[i] == '{' || s[i] == '[')) {
    return Peek::kJson;
  }
  if (s.find("AWSTemplateFormatVersion") != std::string_view::npos ||
      s.find("Resources:") != std::string_view::npos) {
    return Peek::kYamlTemplate;
  }
  return Peek::kOther;
}

void note_skip(std::vector<std::string>* skipped, const std::string& path,
               const std::string& why) {
  if (skipped) skipped->push_back(path + ": " + why);
}

// One unit of loading work, planned sequentially and run in parallel.
struct Task {
  enum Kind { kFile, kFolder } kind = kFile;
  std::string path;  // the file, or the folder's manifest.json
  bool explicit_file = false;
};

// Whether `manifest` (a parsed manifest.json) makes `dir` a cdk.out or a
// cdktf.out; if so loads it.
bool load_folder_manifest(const std::string& dir,
                          const std::shared_ptr<const json::JsonDoc>& doc,
                          const std::string& manifest,
                          const LoadOptions& options, Model& model) {
  json::JValue root = doc->root();
  std::vector<std::string> consumed{manifest};
  if (is_cdk_assembly_manifest(root)) {
    load_cdk_out(dir, root, options, model, consumed);
    return true;
  }
  if (is_cdktf_manifest(root)) {
    load_cdktf_out(dir, root, options, model, consumed);
    return true;
  }
  return false;
}

// Cheap check used while planning: is `dir`/manifest.json a cdk.out or
// cdktf.out manifest? Parse errors are left for the task to report.
bool is_folder_format(const std::string& manifest, const LoadOptions& options) {
  struct stat st {};
  if (::stat(manifest.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  Model scratch;
  auto doc = read_json(manifest, options, scratch);
  if (!doc) return false;
  return is_cdk_assembly_manifest(doc->root()) ||
         is_cdktf_manifest(doc->root());
}

// A file named on the command line that is not JSON from its first byte
// is most likely YAML whose first bytes did not show it was a template
// (comments, "---", a long header): say so in its parse error.
void explain_not_json(const std::string& path, Model& model) {
  if (model.errors.empty() || peek(path) != Peek::kOther) return;
  Diagnostic& d = model.errors.back();
  if (d.file != path || d.line == 0) return;
  d.message = "not JSON (" + d.message +
              "); YAML, including CloudFormation YAML templates, is not "
              "supported yet: synthesize JSON (cdk synth --json, or "
              "cfn-flip) and pass that";
}

void run_task(const Task& task, const LoadOptions& options, Model& model,
              std::vector<std::string>* skipped) {
  auto doc = read_json(task.path, options, model);
  if (!doc) {
    if (task.explicit_file) explain_not_json(task.path, model);
    return;
  }
  fs::path parent = fs::path(task.path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  if (task.kind == Task::kFolder || task.explicit_file) {
    if (load_folder_manifest(dir, doc, task.path, options, model)) return;
  }
  if (load_document(doc, task.path, options, model, task.explicit_file) < 0 &&
      skipped) {
    skipped->push_back(task.path + ": not a recognized format (" +
                       detect_format(doc->root()).why + ")");
  }
  // Rules and reports touch a few values of it from now on.
  doc->source().end_streaming();
}

void plan_walk(const std::string& dir, const LoadOptions& options, Model& model,
               std::vector<std::string>* skipped,
               std::set<std::pair<dev_t, ino_t>>& seen, int depth,
               std::vector<Task>& tasks) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return;
  if (!seen.insert({st.st_dev, st.st_ino}).second) {
    note_skip(skipped, dir, "directory already visited (symlink loop?)");
    return;
  }
  if (depth > 64) {
    note_skip(skipped, dir, "directory nesting deeper than 64");
    return;
  }
  // A cdk.out / cdktf.out folder is one task; its files are not walked.
  std::string manifest = (fs::path(dir) / "manifest.json").string();
  if (is_folder_format(manifest, options)) {
    tasks.push_back({Task::kFolder, manifest, false});
    return;
  }

  std::vector<fs::path> entries;
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied,
                            ec);
  if (ec) {
    Diagnostic d;
    d.file = dir;
    d.message = "cannot read directory: " + ec.message();
    model.errors.push_back(d);
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    entries.push_back(it->path());
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    std::string path = p.string();
    std::string name = p.filename().string();
    struct stat lst {};
    if (::lstat(path.c_str(), &lst) != 0) {
      note_skip(skipped, path, "cannot stat");
      continue;
    }
    bool is_link = S_ISLNK(lst.st_mode);
    struct stat tst {};
    if (::stat(path.c_str(), &tst) != 0) {
      note_skip(skipped, path,
                is_link ? "dangling or looping symlink" : "cannot stat");
      continue;
    }
    if (S_ISDIR(tst.st_mode)) {
      if (name == ".git" || name == "node_modules" || name == ".terraform") {
        note_skip(skipped, path, "tool folder");
        continue;
      }
      plan_walk(path, options, model, skipped, seen, depth + 1, tasks);
      continue;
    }
    if (!S_ISREG(tst.st_mode)) {
      note_skip(skipped, path, "not a regular file (FIFO, socket or device)");
      continue;
    }
    switch (peek(path)) {
      case Peek::kUnreadable:
        note_skip(skipped, path, "unreadable");
        continue;
      case Peek::kYamlTemplate:
        note_skip(skipped, path, "CloudFormation YAML is not supported yet");
        continue;
      case Peek::kOther:
        note_skip(skipped, path, "not JSON");
        continue;
      case Peek::kJson:
        break;
    }
    tasks.push_back({Task::kFile, path, false});
  }
}

// Plans the tasks for one command-line path; errors about the path itself
// go straight to the model.
void plan_path(const std::string& path, const LoadOptions& options,
               Model& model, std::vector<std::string>* skipped,
               std::vector<Task>& tasks) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    Diagnostic d;
    d.file = path;
    d.message = std::string("cannot open: ") + strerror(errno);
    model.errors.push_back(d);
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    std::set<std::pair<dev_t, ino_t>> seen;
    plan_walk(path, options, model, skipped, seen, 0, tasks);
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    Diagnostic d;
    d.file = path;
    d.message = "not a regular file (FIFO, socket or device)";
    model.errors.push_back(d);
    return;
  }
  if (peek(path) == Peek::kYamlTemplate) {
    Diagnostic d;
    d.file = path;
    d.line = 1;
    d.column = 1;
    d.message =
        "CloudFormation YAML templates are not supported yet; synthesize "
        "JSON (cdk synth --json, or cfn-flip) and pass that";
    model.errors.push_back(d);
    return;
  }
  tasks.push_back({Task::kFile, path, true});
}

// Faults in the pages of [p, p + bytes) for writing, on up to `jobs`
// threads, in one call per slice instead of one page fault per page. The
// bytes are left as they are. Does nothing where the kernel cannot (before
// Linux 5.14); the pages then fault in when first written, as usual.
void populate(void* p, size_t bytes, unsigned jobs) {
#ifdef MADV_POPULATE_WRITE
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  auto begin = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(page - 1);
  if (end <= begin) return;
  // Slices of 2048 pages (8 MiB of 4 KiB pages).
  parallel_for_chunks((end - begin) / page, 2048, jobs,
                      [&](size_t, size_t first, size_t last) {
                        ::madvise(reinterpret_cast<void*>(begin + first * page),
                                  (last - first) * page, MADV_POPULATE_WRITE);
                      });
#else
  (void)p, (void)bytes, (void)jobs;
#endif
}

}  // namespace

void Model::merge(std::vector<Model>& parts, unsigned jobs) {
  // Where each part's inputs and resources go.
  std::vector<int> input_base(parts.size());
  std::vector<size_t> resource_base(parts.size());
  size_t input_count = inputs.size();
  size_t total = resources.size();
  size_t with_resources = 0;
  for (size_t p = 0; p < parts.size(); ++p) {
    input_base[p] = static_cast<int>(input_count);
    resource_base[p] = total;
    input_count += parts[p].inputs.size();
    total += parts[p].resources.size();
    with_resources += !parts[p].resources.empty();
  }
  for (size_t p = 0; p < parts.size(); ++p) {
    for (auto& in : parts[p].inputs) inputs.push_back(std::move(in));
    for (auto& d : parts[p].errors) errors.push_back(std::move(d));
    for (auto& d : parts[p].warnings) warnings.push_back(std::move(d));
  }
  // Re-indexes the inputs and the already resolved references (CDKTF
  // cross-stack) of part p's resources, now at `to`.
  auto rebase = [&](size_t p, Resource& r) {
    if (r.input >= 0) r.input += input_base[p];
    for (auto& ref : r.references) {
      if (ref.index >= 0) ref.index += static_cast<int>(resource_base[p]);
    }
  };
  if (resources.empty() && with_resources == 1) {
    // One part holds every resource (one input file): take its vector whole.
    for (size_t p = 0; p < parts.size(); ++p) {
      if (parts[p].resources.empty()) continue;
      resources = std::move(parts[p].resources);
      if (input_base[p] != 0) {
        for (Resource& r : resources) rebase(p, r);
      }
    }
    return;
  }
  // Each part moves its resources into their place, on its own thread, and
  // frees its vector there. The fresh target (52 MB for 80,000 resources)
  // is faulted in on all jobs first, so sizing it is not one long serial
  // run of page faults.
  resources.reserve(total);
  populate(resources.data() + resources.size(),
           (total - resources.size()) * sizeof(Resource), jobs);
  resources.resize(total);
  parallel_for(parts.size(), jobs, [&](size_t p) {
    std::vector<Resource>& from = parts[p].resources;
    Resource* to = resources.data() + resource_base[p];
    for (size_t k = 0; k < from.size(); ++k) {
      to[k] = std::move(from[k]);
      rebase(p, to[k]);
    }
    std::vector<Resource>().swap(from);
  });
}

void load_paths(const std::vector<std::string>& paths,
                const LoadOptions& options, Model& model,
                std::vector<std::string>* skipped) {
  std::vector<Task> tasks;
  for (const auto& p : paths) plan_path(p, options, model, skipped, tasks);
  std::vector<Model> parts(tasks.size());
  std::vector<std::vector<std::string>> part_skipped(tasks.size());
  const unsigned jobs = options.jobs ? options.jobs : 1;
  LoadOptions task_options = options;
  task_options.document_jobs = tasks.size() == 1 ? jobs : 1;
  parallel_for(tasks.size(), jobs, [&](size_t i) {
    run_task(tasks[i], task_options, parts[i], &part_skipped[i]);
  });
  // Merge in task order: the model is the same whatever the job count.
  model.merge(parts, jobs);
  if (skipped) {
    for (auto& part : part_skipped) {
      for (auto& s : part) skipped->push_back(std::move(s));
    }
  }
}

void load_path(const std::string& path, const LoadOptions& options,
               Model& model, std::vector<std::string>* skipped) {
  load_paths({path}, options, model, skipped);
}

}  // namespace drcheck
