// model.h: the cross-region resource model every rule reads.
//
// Loaders (analyzer/loader.h) turn each input — Terraform plan JSON,
// Terraform JSON configuration (CDKTF), CloudFormation / cdk.out, Pulumi
// state — into Resources appended to one Model. Then finalize() resolves
// references across inputs, places resources by ARN, assigns region roles,
// and indexes resources by kind and address.
//
// Provenance: a Resource records where its object starts (`at`), and its
// attributes are a json::JValue into the parsed input, so every attribute a
// rule reads carries its own file/line/column (JValue::position()). A rule
// reports the offending value; it never computes a position.
//
// Attribute names differ by format (Terraform `cidr_block`, Pulumi
// `cidrBlock`, CloudFormation `CidrBlock`). Resource::attr("cidr_block")
// takes the snake_case name and finds whichever spelling the input uses.
// References are keyed by the snake_case attribute path in every format.
#ifndef DRCHECK_ANALYZER_MODEL_H_
#define DRCHECK_ANALYZER_MODEL_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/json.h"
#include "analyzer/source.h"
#include "analyzer/string_table.h"

namespace drcheck {

enum class Format {
  kUnknown,
  kTerraformPlan,   // terraform show -json (plan or state)
  kTerraformJson,   // *.tf.json, CDKTF cdk.tf.json
  kCloudFormation,  // CloudFormation JSON template (alone or in cdk.out)
  kPulumiState,     // pulumi stack export / checkpoint file
};
// "tf-plan", "tf-json", "cfn-json", "pulumi-state" (the corpus MANIFEST names).
const char* format_name(Format f);

enum class Role { kUnknown, kPrimary, kDr, kGlobal };
const char* role_name(Role r);  // "primary", "dr", "global", "unknown"

// A location in an input file (a resolved JValue position, or where a
// resource's object starts).
struct Location {
  const SourceFile* file = nullptr;
  uint32_t offset = 0;
  bool valid() const { return file != nullptr; }
  Position position() const {
    return file ? file->position(offset) : Position{};
  }
  static Location of(const json::JValue& v) {
    return v.present() ? Location{v.source(), v.offset()} : Location{};
  }
};

// A human-written source line recorded by the input itself (Pulumi
// sourcePosition, CDK creation stack trace), or found by --tf-source.
struct SourceRef {
  std::string file;  // as recorded (may be absolute or a file:// URI)
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Tag {
  std::string value;
  json::JValue at;  // where the value was written (absent if computed)
  bool from_default = false;  // from provider default_tags / defaultTags
};

// A resource's tags: a small map from key to Tag kept as one sorted vector
// (one allocation instead of a node per tag; most resources have a handful).
// It offers the subset of std::map that the loaders and rules use, with
// lookups by string_view. Iteration is in key order; inserting invalidates
// iterators and pointers into it.
class TagMap {
 public:
  using value_type = std::pair<std::string, Tag>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  void reserve(size_t n) { items_.reserve(n); }

  iterator find(std::string_view key) {
    auto it = lower(key);
    return it != items_.end() && it->first == key ? it : items_.end();
  }
  const_iterator find(std::string_view key) const {
    return const_cast<TagMap*>(this)->find(key);
  }
  size_t count(std::string_view key) const { return find(key) != end(); }

  // As std::map: inserts when the key is new; `inserted` says whether.
  std::pair<iterator, bool> emplace(std::string key, Tag tag) {
    return try_emplace(std::move(key), std::move(tag));
  }
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(std::string key, Args&&... args) {
    auto it = lower(key);
    if (it != items_.end() && it->first == key) return {it, false};
    it = items_.emplace(it, std::move(key), Tag{std::forward<Args>(args)...});
    return {it, true};
  }
  std::pair<iterator, bool> insert_or_assign(std::string key, Tag tag) {
    auto [it, inserted] = try_emplace(std::move(key));
    it->second = std::move(tag);
    return {it, inserted};
  }
  Tag& operator[](std::string_view key) {
    return try_emplace(std::string(key)).first->second;
  }

 private:
  iterator lower(std::string_view key) {
    return std::lower_bound(items_.begin(), items_.end(), key,
                            [](const value_type& item, std::string_view k) {
                              return std::string_view(item.first) < k;
                            });
  }
  std::vector<value_type> items_;
};

struct Reference {
  std::string attribute;  // snake_case path, e.g. "peer_vpc_id" or
                          // "rule[0].copy_action[0].destination_vault_arn"
  std::string target;     // address of the referenced resource as written
  int index = -1;         // index into Model::resources, -1 if unresolved
  json::JValue at;        // where the reference was written
};

struct Resource {
  std::string address;  // tf address, "Stack/LogicalId", or Pulumi URN
  std::string type;     // native type: aws_vpc, AWS::EC2::VPC, aws:ec2/vpc:Vpc
  std::string kind;     // canonical kind shared across formats (tf style)
  Format format = Format::kUnknown;
  int input = -1;  // index into Model::inputs

  std::optional<std::string> region;  // null when it cannot be known
  std::string region_source;          // how it was found, or why it is null
  Role role = Role::kUnknown;
  std::string account;  // when the input says (cdk.out env, ARNs)

  TagMap tags;            // effective tags (explicit + defaults)
  bool taggable = false;  // set by Model::finalize from the kind

  std::optional<std::string> name;  // user-set physical name
  std::string name_attribute;       // which attribute held it
  json::JValue name_at;

  json::JValue attributes;  // the resource's attribute object
  // Format-specific extras: CloudFormation resource object (for
  // DeletionPolicy, Metadata), Terraform `//` metadata, Pulumi resource.
  json::JValue envelope;

  std::vector<Reference> references;
  std::string construct_path;           // CDK / CDKTF construct path
  std::optional<SourceRef> source_ref;  // human-written origin, if recorded
  std::string stack;                    // CFN/CDKTF stack, Pulumi stack
  std::string module;                   // Terraform module path ("" = root)
  std::string provider_key;             // tf provider config key / Pulumi
                                        // provider reference
  std::string id;                       // physical id, when known
  std::string arn;                      // ARN, when known

  Location at;  // where the resource's object starts

  // The attribute named `snake` (e.g. "deletion_protection"), in whichever
  // spelling this resource's format uses. Absent when not set.
  json::JValue attr(std::string_view snake) const;
  // The first reference whose attribute path equals `snake_path` (or starts
  // with it followed by '[' or '.'); nullptr when none.
  const Reference* ref(std::string_view snake_path) const;
  const Tag* tag(std::string_view key) const;
};

// One input file (or one stack of a cdk.out / cdktf.out).
struct Input {
  std::string file;
  Format format = Format::kUnknown;
  size_t resources = 0;
  std::string stack;
  std::shared_ptr<const json::JsonDoc> doc;
};

struct RoleOptions {
  std::string primary_region;  // empty: infer
  std::string dr_region;       // empty: infer
};

class Model {
 public:
  std::vector<Resource> resources;
  std::vector<Input> inputs;
  std::vector<Diagnostic> errors;    // inputs that could not be read
  std::vector<Diagnostic> warnings;  // recoverable oddities

  // The regions chosen as primary and dr, and how ("option", "tags:N",
  // "single region", "most resources") — recorded for reports.
  std::string primary_region;
  std::string dr_region;
  std::string roles_inferred_from;

  // Appends other (not yet finalized) models' inputs, resources and
  // diagnostics, each of `parts` in order, re-indexing their inputs and
  // already resolved references; leaves the parts empty of resources.
  // Resources move on up to `jobs` threads.
  void merge(std::vector<Model>& parts, unsigned jobs);

  // Resolves references, places resources, assigns roles, builds indexes.
  // Call once after all inputs are loaded. Runs on up to `jobs` threads;
  // the model and every lookup are the same for any job count.
  void finalize(const RoleOptions& options, unsigned jobs = 1);

  // Lookups (valid after finalize()).
  const Resource* find(std::string_view address) const;
  int index_of(std::string_view address) const;
  // Resources of one canonical kind, in model order.
  const std::vector<int>& of_kind(std::string_view kind) const;
  // Resources whose id or ARN equals `value`.
  const Resource* by_id_or_arn(std::string_view value) const;

 private:
  // Keys view the resources' own strings: valid until `resources` changes
  // (call finalize() again after changing it).
  StringTable by_address_;
  std::unordered_map<std::string_view, std::vector<int>> by_kind_;
  StringTable by_id_;
  std::vector<int> empty_;
};

// "peer_vpc_id" -> "peerVpcId" (Pulumi) / "PeerVpcId" (CloudFormation), and
// back: "PeerVpcId" / "peerVpcId" -> "peer_vpc_id".
std::string snake_to_camel(std::string_view snake);
std::string snake_to_pascal(std::string_view snake);
// The attribute name `snake` as inputs of `format` spell it: camelCase for
// Pulumi, PascalCase for CloudFormation, unchanged for Terraform.
std::string spell_attribute(Format format, std::string_view snake);
std::string to_snake(std::string_view name);
// Whether to_snake(name) == snake, without allocating.
bool snake_equals(std::string_view name, std::string_view snake);

// Region of an ARN ("arn:aws:rds:us-east-2:123:cluster:x" -> "us-east-2");
// empty when not an ARN or the ARN is regionless (IAM, S3 buckets).
std::string arn_region(std::string_view arn);
std::string arn_account(std::string_view arn);
bool looks_like_region(std::string_view s);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_MODEL_H_
