// tf_source.h: where a Terraform plan's resources are written in .tf files.
//
// A plan (terraform show -json) is generated and rarely committed, so a
// finding that points into it cannot annotate a pull request. Given the
// configuration folder (`--tf-source DIR`), TfSourceIndex finds the block
// `resource "TYPE" "NAME"` (or `data "TYPE" "NAME"`) that declares a plan
// address, and map_tf_sources() records it as the resource's source_ref
// (writers then put the finding on that line).
//
// Module resources (`module.net.aws_vpc.dr`) are looked up in the folder
// the `module "net"` block's `source` points at, when that is a local path
// ("./", "../") that stays under DIR; registry and git modules are skipped.
// Each folder's *.tf files are scanned once (comments, strings with
// interpolations and heredocs are skipped; only top-level blocks count).
#ifndef DRCHECK_ANALYZER_TF_SOURCE_H_
#define DRCHECK_ANALYZER_TF_SOURCE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/model.h"

namespace drcheck {

// The top-level blocks of one module folder.
struct TfFolder {
  // "aws_vpc.main" / "data.aws_region.current" -> where the block starts.
  std::map<std::string, SourceRef> blocks;
  // module name -> its `source` string.
  std::map<std::string, std::string> module_sources;
};

// Scans one .tf file's text into `folder`; `file` is the path recorded in
// SourceRefs (TfSourceIndex records absolute paths). The first declaration
// of an address wins.
void scan_tf_file(std::string_view text, const std::string& file,
                  TfFolder& folder);

class TfSourceIndex {
 public:
  explicit TfSourceIndex(std::string dir);
  // The declaration of a plan address ("module.a[0].aws_vpc.b[\"x\"]"),
  // or nullopt.
  std::optional<SourceRef> find(std::string_view address);

 private:
  const TfFolder& folder(const std::string& path);
  std::string dir_;
  std::map<std::string, TfFolder> folders_;
};

// Sets source_ref on Terraform plan resources that have none. Returns how
// many were mapped.
size_t map_tf_sources(const std::string& dir, Model& model);

// Without --tf-source: each plan's own folder is tried as its
// configuration (`terraform show -json` is usually run in the root module).
// Folders without .tf files map nothing.
size_t map_tf_sources_beside_plans(Model& model);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_TF_SOURCE_H_
