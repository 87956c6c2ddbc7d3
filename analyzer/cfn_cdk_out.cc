// cfn_cdk_out.cc: a CDK cloud assembly (cdk.out) -> CloudFormation stacks.
//
// manifest.json lists artifacts. Each "aws:cloudformation:stack" artifact
// names its template (properties.templateFile), its stack name
// (properties.stackName, else the artifact id) and its environment
// ("aws://ACCOUNT/REGION", which gives every resource of the stack its
// region). Nested stacks (AWS::CloudFormation::Stack resources whose
// template is a file of the assembly) load as stacks named
// "PARENT/NestedLogicalId" in the parent's environment; nested assemblies
// ("cdk:cloud-assembly", e.g. CDK stages) are loaded recursively.
//
// Construct paths and source lines: a template's resources carry
// Metadata["aws:cdk:path"] when path metadata is on (the CDK CLI's default).
// The artifact's metadata — in the manifest ("metadata") or, since CDK
// 2.1xx, in a side file ("additionalMetadataFile") — maps construct paths to
// logical ids ("aws:cdk:logicalId") and, when stack traces are on, to the
// stack that created the construct ("aws:cdk:creationStack" entries, or a
// "trace" on the logicalId entry in older versions). The first frame outside
// node_modules becomes the resource's source_ref. When neither gives a
// construct path (an app run without the CLI), tree.json does.
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/cfn_common.h"
#include "analyzer/loader.h"

namespace drcheck {
namespace {

namespace fs = std::filesystem;
using json::JValue;

constexpr int kMaxNesting = 16;

std::string join(const std::string& dir, std::string_view file) {
  return (fs::path(dir) / fs::path(std::string(file))).string();
}

// "aws://111111111111/us-east-1"; "unknown-account" / "unknown-region" mark
// an environment-agnostic stack.
struct Env {
  std::string text;
  std::string account;
  std::string region;
};

Env parse_env(std::string_view env) {
  Env e;
  e.text = std::string(env);
  if (env.substr(0, 6) != "aws://") return e;
  std::string_view rest = env.substr(6);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return e;
  std::string_view account = rest.substr(0, slash);
  std::string_view region = rest.substr(slash + 1);
  if (account != "unknown-account") e.account = std::string(account);
  if (region != "unknown-region") e.region = std::string(region);
  return e;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// One frame of a CDK creation stack: "new OrdersStack (/app/lib/x.ts:42:17)",
// "at new X (file:///app/x.js:3:9)", "/app/bin/app.js:15:17",
// "...node internals...", "...new Bucket2 in aws-cdk-lib...". Frames with
// no location, or inside node_modules or node itself, give nothing.
std::optional<SourceRef> parse_frame(std::string_view f) {
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) {
    f.remove_prefix(1);
  }
  if (f.substr(0, 3) == "at ") f.remove_prefix(3);
  std::string_view loc = f;
  if (!f.empty() && f.back() == ')') {
    size_t open = f.rfind('(');
    if (open == std::string_view::npos) return std::nullopt;
    loc = f.substr(open + 1, f.size() - open - 2);
  }
  size_t c2 = loc.rfind(':');
  if (c2 == std::string_view::npos || c2 == 0) return std::nullopt;
  size_t c1 = loc.rfind(':', c2 - 1);
  if (c1 == std::string_view::npos) return std::nullopt;
  std::string_view line = loc.substr(c1 + 1, c2 - c1 - 1);
  std::string_view col = loc.substr(c2 + 1);
  std::string_view file = loc.substr(0, c1);
  if (!all_digits(line) || !all_digits(col) || file.empty()) {
    return std::nullopt;
  }
  if (file.find("node_modules") != std::string_view::npos ||
      file.substr(0, 5) == "node:" || file.substr(0, 9) == "internal/") {
    return std::nullopt;
  }
  if (line.size() > 9 || col.size() > 9) return std::nullopt;
  SourceRef ref;
  ref.file = std::string(file);
  ref.line = static_cast<uint32_t>(std::stoul(std::string(line)));
  ref.column = static_cast<uint32_t>(std::stoul(std::string(col)));
  return ref;
}

std::optional<SourceRef> first_user_frame(const JValue& trace) {
  for (JValue frame : trace.elements()) {
    if (auto ref = parse_frame(frame.str())) return ref;
  }
  return std::nullopt;
}

// The metadata of one stack artifact (and of its nested stacks).
class MetaIndex {
 public:
  struct Entry {
    std::string path;  // construct path, without the leading '/'
    std::string_view logical_id;
    JValue trace;  // array of frames, or absent
  };

  void add(const JValue& metadata) {
    for (auto [key, entries] : metadata.members()) {
      std::string_view path = key;
      if (!path.empty() && path.front() == '/') path.remove_prefix(1);
      Entry e;
      e.path = std::string(path);
      JValue creation;
      for (JValue m : entries.elements()) {
        std::string_view type = m["type"].str();
        if (type == "aws:cdk:logicalId") {
          e.logical_id = m["data"].str();
          if (m["trace"].is_array()) e.trace = m["trace"];
        } else if (type == "aws:cdk:creationStack") {
          creation = m["data"];
        } else if (type == "aws:cdk:templateFile" && m["data"].is_string()) {
          stack_of_template_.emplace(std::string(m["data"].str()), e.path);
          stacks_.insert(e.path);
        }
      }
      if (e.trace.absent() && creation.is_array()) e.trace = creation;
      if (!e.logical_id.empty()) entries_.push_back(std::move(e));
    }
  }

  // Assigns entries to the stack whose construct path is their nearest
  // ancestor (nested stacks have their own).
  void finish() {
    for (size_t i = 0; i < entries_.size(); ++i) {
      const Entry& e = entries_[i];
      by_path_.emplace(e.path, i);
      std::string_view p = e.path;
      std::string stack;
      for (size_t slash = p.rfind('/'); slash != std::string_view::npos;
           slash = p.rfind('/')) {
        p = p.substr(0, slash);
        if (stacks_.count(std::string(p))) {
          stack = std::string(p);
          break;
        }
      }
      by_id_.emplace(stack + '\x1f' + std::string(e.logical_id), i);
    }
  }

  const Entry* find(const std::string& stack_path, std::string_view logical_id,
                    const std::string& construct_path) const {
    if (!construct_path.empty()) {
      auto it = by_path_.find(construct_path);
      if (it != by_path_.end()) return &entries_[it->second];
    }
    for (const std::string* s : {&stack_path, &empty_}) {
      auto it = by_id_.find(*s + '\x1f' + std::string(logical_id));
      if (it != by_id_.end()) return &entries_[it->second];
    }
    return nullptr;
  }

  // The construct path of the stack synthesized to `template_file`, or "".
  std::string stack_of_template(std::string_view template_file) const {
    auto it = stack_of_template_.find(std::string(template_file));
    return it == stack_of_template_.end() ? std::string() : it->second;
  }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> by_path_;
  std::unordered_map<std::string, size_t> by_id_;  // stack \x1f logical id
  std::unordered_map<std::string, std::string> stack_of_template_;
  std::unordered_set<std::string> stacks_;
  const std::string empty_;
};

bool is_stack_fqn(std::string_view fqn) {
  return fqn.ends_with(".Stack") || fqn.ends_with(".NestedStack");
}

// tree.json: {"tree": {"id", "path", "constructInfo": {"fqn"},
// "attributes": {"aws:cdk:cloudformation:logicalId"}, "children": {...}}}.
void index_tree(const JValue& node, std::string stack, int depth,
                std::unordered_map<std::string, std::string>& out) {
  std::string_view path = node["path"].str();
  if (depth == 1 || is_stack_fqn(node["constructInfo"]["fqn"].str())) {
    stack = std::string(path);
  }
  JValue id = node["attributes"]["aws:cdk:cloudformation:logicalId"];
  if (id.is_string()) {
    out.emplace(stack + '\x1f' + std::string(id.str()), std::string(path));
  }
  for (auto [name, child] : node["children"].members()) {
    (void)name;
    index_tree(child, stack, depth + 1, out);
  }
}

// Calls fn on every string inside v (TemplateURL is usually an Fn::Join).
template <typename Fn>
void each_string(const JValue& v, Fn&& fn) {
  if (v.is_string()) {
    fn(v.str());
  } else if (v.is_array()) {
    for (JValue e : v.elements()) each_string(e, fn);
  } else if (v.is_object()) {
    for (auto [k, e] : v.members()) {
      (void)k;
      each_string(e, fn);
    }
  }
}

// "…/<64 hex digits>.json" -> the hex digits.
std::string_view asset_hash(std::string_view s) {
  for (size_t pos = s.find(".json"); pos != std::string_view::npos;
       pos = s.find(".json", pos + 1)) {
    if (pos < 64) continue;
    std::string_view h = s.substr(pos - 64, 64);
    bool hex = true;
    for (char c : h) {
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        hex = false;
        break;
      }
    }
    if (hex) return h;
  }
  return {};
}

class AssemblyLoader {
 public:
  AssemblyLoader(const LoadOptions& options, Model& model,
                 std::vector<std::string>& consumed)
      : options_(options), model_(model), consumed_(consumed) {}

  void load(const std::string& dir, const JValue& manifest, int depth);

 private:
  // Per assembly folder: lazily read side files.
  struct Assembly {
    std::string dir;
    std::vector<std::string> asset_manifests;
    bool assets_read = false;
    std::unordered_map<std::string, std::string> asset_by_hash;
    std::string tree_file;
    bool tree_read = false;
    std::unordered_map<std::string, std::string> tree;  // stack\x1flid->path
  };

  struct Stack {
    std::string name;            // stack name used in addresses
    std::string construct_path;  // of the stack construct, "" if unknown
    Env env;
  };

  void load_stack(Assembly& as, std::string_view id, const JValue& art,
                  const LoadContext& mctx);
  void load_template(Assembly& as, const std::string& file, const Stack& stack,
                     const MetaIndex& meta, int nesting);
  std::string nested_template(Assembly& as, const JValue& resource);
  const std::unordered_map<std::string, std::string>& tree(Assembly& as);
  std::shared_ptr<const json::JsonDoc> read(const std::string& path) {
    consumed_.push_back(path);
    auto doc = read_json(path, options_, model_);
    if (doc) docs_.push_back(doc);
    return doc;
  }

  const LoadOptions& options_;
  Model& model_;
  std::vector<std::string>& consumed_;
  std::set<std::string> loaded_templates_;
  std::vector<std::shared_ptr<const json::JsonDoc>> docs_;  // keep alive
};

void AssemblyLoader::load(const std::string& dir, const JValue& manifest,
                          int depth) {
  LoadContext mctx;
  mctx.options = &options_;
  mctx.model = &model_;
  mctx.file = manifest.present() ? manifest.source()->path()
                                 : join(dir, "manifest.json");
  JValue artifacts = manifest["artifacts"];
  if (!artifacts.is_object()) {
    mctx.error(artifacts.present() ? artifacts : manifest,
               "a cloud assembly manifest needs an \"artifacts\" object");
    return;
  }
  Assembly as;
  as.dir = dir;
  // Side files first: a stack may need the asset manifests (nested stacks)
  // and the tree (construct paths) whatever the artifact order.
  for (auto [id, art] : artifacts.members()) {
    (void)id;
    std::string_view type = art["type"].str();
    JValue file = art["properties"]["file"];
    if (type == "cdk:asset-manifest" && file.is_string()) {
      as.asset_manifests.push_back(join(dir, file.str()));
      consumed_.push_back(as.asset_manifests.back());
    } else if (type == "cdk:tree" && file.is_string()) {
      as.tree_file = join(dir, file.str());
      consumed_.push_back(as.tree_file);
    }
  }
  for (auto [id, art] : artifacts.members()) {
    if (!art.is_object()) {
      mctx.error(art, "artifact \"" + std::string(id) +
                          "\" must be an object, not " +
                          json::type_name(art.type()));
      continue;
    }
    std::string_view type = art["type"].str();
    if (type == "aws:cloudformation:stack") {
      load_stack(as, id, art, mctx);
    } else if (type == "cdk:cloud-assembly") {
      JValue name = art["properties"]["directoryName"];
      if (!name.is_string()) {
        mctx.error(art, "nested cloud assembly \"" + std::string(id) +
                            "\" has no properties.directoryName");
        continue;
      }
      if (depth >= kMaxNesting) {
        mctx.warning(name, "nested cloud assemblies deeper than " +
                               std::to_string(kMaxNesting) + " are skipped");
        continue;
      }
      std::string sub = join(dir, name.str());
      consumed_.push_back(sub);
      auto doc = read(join(sub, "manifest.json"));
      if (!doc) continue;
      if (!is_cdk_assembly_manifest(doc->root())) {
        LoadContext sctx = mctx;
        sctx.file = doc->source().path();
        sctx.error(doc->root(),
                   "not a cloud assembly manifest (needs \"version\" and "
                   "\"artifacts\")");
        continue;
      }
      load(sub, doc->root(), depth + 1);
    }
  }
}

void AssemblyLoader::load_stack(Assembly& as, std::string_view id,
                                const JValue& art, const LoadContext& mctx) {
  JValue props = art["properties"];
  JValue template_file = props["templateFile"];
  if (!template_file.is_string()) {
    mctx.error(template_file.present() ? template_file : art,
               "stack artifact \"" + std::string(id) +
                   "\" has no properties.templateFile string");
    return;
  }
  Stack stack;
  JValue stack_name = props["stackName"];
  stack.name =
      stack_name.is_string() ? std::string(stack_name.str()) : std::string(id);
  JValue env = art["environment"];
  if (env.is_string()) {
    stack.env = parse_env(env.str());
  } else {
    stack.env.text = "aws://unknown-account/unknown-region";
  }

  MetaIndex meta;
  meta.add(art["metadata"]);
  JValue extra = art["additionalMetadataFile"];
  if (extra.is_string()) {
    std::string path = join(as.dir, extra.str());
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
      if (auto doc = read(path)) meta.add(doc->root());
    } else {
      mctx.warning(extra, "metadata file " + path +
                              " is missing: construct paths come from "
                              "tree.json and source lines are unknown");
    }
  }
  meta.finish();

  stack.construct_path = meta.stack_of_template(template_file.str());
  if (stack.construct_path.empty()) {
    JValue display = art["displayName"];
    stack.construct_path =
        display.is_string() ? std::string(display.str()) : std::string(id);
  }
  load_template(as, join(as.dir, template_file.str()), stack, meta, 0);
}

void AssemblyLoader::load_template(Assembly& as, const std::string& file,
                                   const Stack& stack, const MetaIndex& meta,
                                   int nesting) {
  if (!loaded_templates_.insert(file).second) return;
  auto doc = read(file);
  if (!doc) return;
  size_t before = model_.resources.size();
  if (load_document(doc, file, options_, model_, true, stack.name,
                    stack.env.region, stack.env.account) < 0) {
    return;
  }
  size_t after = model_.resources.size();

  struct Nested {
    std::string logical_id;
    std::string construct_path;
    JValue resource;
  };
  std::vector<Nested> nested;
  for (size_t i = before; i < after; ++i) {
    Resource& r = model_.resources[i];
    if (r.region && *r.region == stack.env.region) {
      r.region_source = "cdk.out environment " + stack.env.text;
    } else if (!r.region && stack.env.region.empty()) {
      r.region_source = "cdk.out stack \"" + stack.name +
                        "\" is environment-agnostic (" + stack.env.text +
                        "); pass --region FILE=REGION";
    }
    std::string_view logical_id = r.envelope.key();
    const MetaIndex::Entry* m =
        meta.find(stack.construct_path, logical_id, r.construct_path);
    if (r.construct_path.empty()) {
      if (m) {
        r.construct_path = m->path;
      } else {
        const auto& t = tree(as);
        auto it =
            t.find(stack.construct_path + '\x1f' + std::string(logical_id));
        if (it != t.end()) r.construct_path = it->second;
      }
    }
    if (!r.source_ref && m) r.source_ref = first_user_frame(m->trace);
    if (r.type == "AWS::CloudFormation::Stack") {
      nested.push_back({std::string(logical_id), r.construct_path, r.envelope});
    }
  }

  for (const Nested& n : nested) {
    LoadContext ctx;
    ctx.options = &options_;
    ctx.model = &model_;
    ctx.file = file;
    std::string nested_file = nested_template(as, n.resource);
    if (nested_file.empty()) {
      ctx.warning(n.resource,
                  "the template of nested stack \"" + stack.name + "/" +
                      n.logical_id +
                      "\" is not in the cloud assembly; its resources are "
                      "not loaded");
      continue;
    }
    if (nesting + 1 >= kMaxNesting) {
      ctx.warning(n.resource, "nested stacks deeper than " +
                                  std::to_string(kMaxNesting) +
                                  " are not loaded");
      continue;
    }
    Stack child;
    child.name = stack.name + "/" + n.logical_id;
    child.env = stack.env;
    child.construct_path = meta.stack_of_template(nested_file);
    if (child.construct_path.empty()) {
      // "Parent/Data.NestedStack/Data.NestedStackResource" -> "Parent/Data"
      size_t cut = n.construct_path.find(".NestedStack/");
      if (cut != std::string::npos) {
        child.construct_path = n.construct_path.substr(0, cut);
      }
    }
    load_template(as, join(as.dir, nested_file), child, meta, nesting + 1);
  }
}

// The assembly file holding the template of an AWS::CloudFormation::Stack
// resource: Metadata["aws:asset:path"] (asset metadata on), else the asset
// whose hash the TemplateURL names, looked up in the asset manifests.
std::string AssemblyLoader::nested_template(Assembly& as,
                                            const JValue& resource) {
  JValue asset_path = resource["Metadata"]["aws:asset:path"];
  if (asset_path.is_string() && asset_path.str().ends_with(".json")) {
    return std::string(asset_path.str());
  }
  if (!as.assets_read) {
    as.assets_read = true;
    for (const std::string& path : as.asset_manifests) {
      auto doc = read(path);
      if (!doc) continue;
      for (auto [hash, asset] : doc->root()["files"].members()) {
        JValue src = asset["source"]["path"];
        if (src.is_string()) {
          as.asset_by_hash.emplace(std::string(hash), std::string(src.str()));
        }
      }
    }
  }
  std::string found;
  each_string(resource["Properties"]["TemplateURL"], [&](std::string_view s) {
    if (!found.empty()) return;
    std::string_view hash = asset_hash(s);
    if (hash.empty()) return;
    auto it = as.asset_by_hash.find(std::string(hash));
    if (it != as.asset_by_hash.end()) found = it->second;
  });
  return found;
}

const std::unordered_map<std::string, std::string>& AssemblyLoader::tree(
    Assembly& as) {
  if (!as.tree_read) {
    as.tree_read = true;
    std::error_code ec;
    if (!as.tree_file.empty() && fs::is_regular_file(as.tree_file, ec)) {
      if (auto doc = read(as.tree_file)) {
        index_tree(doc->root()["tree"], std::string(), 0, as.tree);
      }
    }
  }
  return as.tree;
}

}  // namespace

void load_cdk_out(const std::string& dir, const json::JValue& manifest,
                  const LoadOptions& options, Model& model,
                  std::vector<std::string>& consumed) {
  AssemblyLoader(options, model, consumed).load(dir, manifest, 0);
}

}  // namespace drcheck
