// loader.h: from paths on disk to resources in a Model.
//
// load_path() reads a file or walks a directory, detects each file's format
// from its content (never its name), and hands the parsed document to the
// format's loader. Every problem becomes a Diagnostic in Model::errors (with
// file, line, column); nothing throws and the other inputs still load.
//
// Per-format loaders share one signature: they read a parsed document and
// append Resources (with region, tags, name, references, provenance) to the
// model. They never read files themselves, except the folder loaders
// (cdk.out, cdktf.out), which read the manifest's files through
// LoadContext::read_json so limits and errors stay uniform.
#ifndef DRCHECK_ANALYZER_LOADER_H_
#define DRCHECK_ANALYZER_LOADER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/json.h"
#include "analyzer/model.h"

namespace drcheck {

struct LoadOptions {
  uint64_t max_file_size = SourceFile::kDefaultMaxSize;
  uint32_t max_depth = 512;
  // --region FILE=REGION for CloudFormation templates outside a cdk.out.
  // Keys are paths as given on the command line, or file base names.
  std::map<std::string, std::string> cfn_regions;
  bool verbose = false;
  // Files loaded in parallel (each file is parsed on one thread;
  // results merge in a fixed order, so output never depends on it).
  unsigned jobs = 1;
  // Threads one document's loader may use (the Terraform plan loader splits
  // its resources). load_paths() sets it: all `jobs` when there is one file
  // to load, else 1, since the files already keep every thread busy.
  unsigned document_jobs = 1;
};

// What the detector decided about one parsed document.
struct Detection {
  Format format = Format::kUnknown;
  std::string why;  // for unknown formats: what the document looked like
};
Detection detect_format(const json::JValue& root);

// Reads and parses one file with the options' limits; on failure appends the
// Diagnostic to model.errors and returns nullptr.
std::shared_ptr<const json::JsonDoc> read_json(const std::string& path,
                                               const LoadOptions& options,
                                               Model& model);

struct LoadContext {
  const LoadOptions* options = nullptr;
  Model* model = nullptr;
  int input = -1;       // index of this document's Input in the model
  std::string stack;    // stack name when known (cdk.out, cdktf.out)
  std::string region;   // region given by the container (cdk.out env)
  std::string account;  // account given by the container
  std::string file;     // path shown in messages

  // Appends an error about `at` (a value of the document) to the model.
  void error(const json::JValue& at, const std::string& message) const;
  void warning(const json::JValue& at, const std::string& message) const;
};

// Per-format loaders. Each appends to ctx.model->resources; each reports
// shape errors ("resources" is a number, ...) through ctx.error and loads
// what it can.
void load_tf_plan(const json::JValue& root, const LoadContext& ctx);
void load_tf_json(const json::JValue& root, const LoadContext& ctx);
void load_cfn(const json::JValue& root, const LoadContext& ctx);
void load_pulumi(const json::JValue& root, const LoadContext& ctx);

// Folder formats. `dir` holds manifest.json; every file the manifest names
// is loaded and added to `consumed` (so a directory walk skips it).
bool is_cdk_assembly_manifest(const json::JValue& root);
bool is_cdktf_manifest(const json::JValue& root);
void load_cdk_out(const std::string& dir, const json::JValue& manifest,
                  const LoadOptions& options, Model& model,
                  std::vector<std::string>& consumed);
void load_cdktf_out(const std::string& dir, const json::JValue& manifest,
                    const LoadOptions& options, Model& model,
                    std::vector<std::string>& consumed);

// Adds one parsed document as an Input and runs its format's loader.
// Returns the Input index, or -1 when the format is unknown (an error is
// recorded when `explicit_file`).
int load_document(std::shared_ptr<const json::JsonDoc> doc,
                  const std::string& file, const LoadOptions& options,
                  Model& model, bool explicit_file,
                  const std::string& stack = "", const std::string& region = "",
                  const std::string& account = "");

// Loads files and directories, `options.jobs` files at a time. A folder
// holding a cdk.out / cdktf.out manifest.json is loaded as that assembly and
// not walked further.
void load_paths(const std::vector<std::string>& paths,
                const LoadOptions& options, Model& model,
                std::vector<std::string>* skipped = nullptr);

// Loads a file or a directory. `skipped` (optional) receives the files a
// directory walk passed over, with the reason, for --verbose.
void load_path(const std::string& path, const LoadOptions& options,
               Model& model, std::vector<std::string>* skipped = nullptr);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_LOADER_H_
