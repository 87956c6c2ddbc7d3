// pulumi_loader.cc: Pulumi state -> Resources.
//
// Accepted shapes (all hold one "deployment": {"manifest", "resources"}):
//   pulumi stack export     {"version": 1-4, "deployment": {...}}
//   checkpoint file         {"version": 1-4, "checkpoint": {"stack",
//                             "latest": {...}}}  (.pulumi/stacks/*.json)
//   version 0 checkpoint    {"target": STACK, "latest": {...}}
//   bare deployment         {"manifest": ..., "resources": [...]}
// Version 4 lists the state features it uses ("features"); a feature this
// loader does not know may change what the state means, so such a file is
// rejected, as the Pulumi CLI itself does.
//
// Only custom resources become model resources: components, providers and
// the pulumi:pulumi:Stack root do not. Providers are read first, for their
// region and default tags. A resource's region is, in order: its own
// "region" input (pulumi-aws v7), the region of its provider (the
// "provider" reference "PROVIDER_URN::PROVIDER_ID"; a resource without one
// uses the default aws provider, "pulumi:providers:aws::default_*"), its
// "region" output, the region of its ARN; else null with the reason.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzer/kinds.h"
#include "analyzer/loader.h"

namespace drcheck {
namespace {

using json::JValue;

std::string what(const JValue& v) { return json::type_name(v.type()); }

// State features (version 4) that only add resource flags drcheck does not
// need (refresh, hooks, taint, views, replacement triggers).
bool known_feature(std::string_view f) {
  return f == "refreshBeforeUpdate" || f == "hooks" || f == "taint" ||
         f == "views" || f == "replaceWith";
}

constexpr int64_t kMaxVersion = 4;

// Checks "version" and "features" of a stack export or checkpoint file.
bool check_version(const JValue& root, const LoadContext& ctx) {
  JValue version = root["version"];
  if (version.absent()) return true;
  std::optional<int64_t> v = version.integer();
  if (!v) {
    ctx.error(version, "Pulumi state \"version\" must be an integer, not " +
                           what(version));
    return false;
  }
  if (*v < 0 || *v > kMaxVersion) {
    ctx.error(version, "Pulumi state version " + std::to_string(*v) +
                           " is not supported (drcheck reads versions 0 to " +
                           std::to_string(kMaxVersion) + ")");
    return false;
  }
  JValue features = root["features"];
  if (features.absent() || features.is_null()) return true;
  if (!features.is_array()) {
    ctx.error(features, "Pulumi state \"features\" must be an array, not " +
                            what(features));
    return false;
  }
  bool ok = true;
  for (JValue f : features.elements()) {
    if (!f.is_string()) {
      ctx.error(f, "a Pulumi state feature must be a string, not " + what(f));
      ok = false;
    } else if (!known_feature(f.str())) {
      ctx.error(f, "Pulumi state uses the feature \"" + std::string(f.str()) +
                       "\", which drcheck does not support; the state is "
                       "not read");
      ok = false;
    }
  }
  return ok;
}

// "urn:pulumi:STACK::PROJECT::TYPE::NAME" -> STACK.
std::string_view urn_stack(std::string_view urn) {
  constexpr std::string_view kPrefix = "urn:pulumi:";
  if (urn.substr(0, kPrefix.size()) != kPrefix) return {};
  urn.remove_prefix(kPrefix.size());
  return urn.substr(0, urn.find("::"));
}

// The last "::"-separated part of a URN: the resource name.
std::string_view urn_name(std::string_view urn) {
  size_t sep = urn.rfind("::");
  return sep == std::string_view::npos ? urn : urn.substr(sep + 2);
}

// "project:///src/index.ts#12,15" -> {"src/index.ts", 12, 15}; a
// "file://" or other URI is kept as written.
std::optional<SourceRef> parse_source_position(std::string_view s) {
  size_t hash = s.rfind('#');
  if (hash == std::string_view::npos || hash == 0) return std::nullopt;
  std::string_view uri = s.substr(0, hash);
  std::string_view pos = s.substr(hash + 1);
  SourceRef ref;
  constexpr std::string_view kProject = "project://";
  if (uri.substr(0, kProject.size()) == kProject) {
    uri.remove_prefix(kProject.size());
    while (!uri.empty() && uri.front() == '/') uri.remove_prefix(1);
  }
  if (uri.empty()) return std::nullopt;
  ref.file = std::string(uri);
  auto number = [](std::string_view d) -> std::optional<uint32_t> {
    if (d.empty() || d.size() > 9) return std::nullopt;
    uint32_t n = 0;
    for (char c : d) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<uint32_t>(c - '0');
    }
    return n;
  };
  size_t comma = pos.find(',');
  auto line = number(pos.substr(0, comma));
  if (!line) return std::nullopt;
  ref.line = *line;
  if (comma != std::string_view::npos) {
    auto col = number(pos.substr(comma + 1));
    if (!col) return std::nullopt;
    ref.column = *col;
  }
  return ref;
}

// One element of "resources", its members read once.
struct Raw {
  JValue obj, urn, type, id, inputs, outputs, provider, prop_deps,
      source_position;
  bool custom = false;
  bool deleted = false;  // "delete": true, an old copy awaiting deletion
};

struct Provider {
  std::string_view urn;
  std::string region;
  std::string region_from;  // "inputs.region" / "outputs.region"
  JValue default_tags;      // the {"Key": "Value"} object
  // Set when defaultTags was a JSON string: where it was written in the
  // state (the parsed copy's positions mean nothing to a reader).
  JValue default_tags_string;
};

// Provider inputs hold structured config as JSON strings ("defaultTags":
// "{\"tags\":{...}}"). Parsed copies live here while the document loads;
// tags keep their values as strings and point at the string in the state.
class ProviderReader {
 public:
  explicit ProviderReader(const LoadContext& ctx) : ctx_(ctx) {}

  Provider read(const Raw& raw) {
    Provider p;
    p.urn = raw.urn.str();
    for (const JValue* bag : {&raw.inputs, &raw.outputs}) {
      JValue region = (*bag)["region"];
      if (p.region.empty() && region.is_string() && !region.str().empty()) {
        p.region = std::string(region.str());
        p.region_from = bag == &raw.inputs ? "inputs.region" : "outputs.region";
      }
      JValue tags = (*bag)["defaultTags"];
      if (p.default_tags.absent() && tags.present()) {
        p.default_tags = default_tags(tags);
        if (p.default_tags.present() && tags.is_string()) {
          p.default_tags_string = tags;
        }
      }
    }
    return p;
  }

 private:
  JValue default_tags(const JValue& v) {
    if (v.is_object()) return v["tags"].is_object() ? v["tags"] : JValue();
    if (!v.is_string() || v.str().empty()) return {};
    auto src = SourceFile::from_bytes(ctx_.file + " (defaultTags)",
                                      std::string(v.str()));
    if (auto* d = std::get_if<Diagnostic>(&src)) {
      ctx_.warning(v, "provider defaultTags cannot be read: " + d->message);
      return {};
    }
    auto doc = json::JsonDoc::parse(
        std::get<std::shared_ptr<const SourceFile>>(std::move(src)));
    if (auto* d = std::get_if<Diagnostic>(&doc)) {
      ctx_.warning(v, "provider defaultTags is not valid JSON: " + d->message);
      return {};
    }
    docs_.push_back(std::get<std::shared_ptr<const json::JsonDoc>>(doc));
    JValue tags = docs_.back()->root()["tags"];
    return tags.is_object() ? tags : JValue();
  }

  const LoadContext& ctx_;
  std::vector<std::shared_ptr<const json::JsonDoc>> docs_;
};

// A tag value that is not a string (a secret, an unknown) is recorded with
// an empty value and `at` on what was written, so DR001 can skip it.
void put_tag(Resource& r, std::string_view key, const JValue& value,
             const JValue& at, bool from_default) {
  if (r.tags.find(key) != r.tags.end()) return;
  Tag t;
  if (value.is_string()) t.value = std::string(value.str());
  t.at = at;
  t.from_default = from_default;
  r.tags.emplace(std::string(key), std::move(t));
}

bool nonempty_object(const JValue& v) {
  return v.is_object() && v.members().begin() != v.members().end();
}

// Finds the deployment object; false when the document must not be read.
bool find_deployment(const JValue& root, const LoadContext& ctx,
                     JValue& deployment, std::string& stack) {
  JValue d = root["deployment"];
  JValue cp = root["checkpoint"];
  if (d.present() || cp.present()) {
    if (!check_version(root, ctx)) return false;
    if (d.present()) {
      deployment = d;
      if (!d.is_object()) {
        ctx.error(d, "a Pulumi deployment must be an object, not " + what(d));
        return false;
      }
    } else {
      if (!cp.is_object()) {
        ctx.error(cp,
                  "Pulumi \"checkpoint\" must be an object, not " + what(cp));
        return false;
      }
      stack = std::string(cp["stack"].is_string() ? cp["stack"].str()
                                                  : cp["target"].str());
      deployment = cp["latest"];
    }
  } else if (root["latest"].present()) {
    stack = std::string(root["target"].str());
    deployment = root["latest"];
  } else {
    deployment = root;
  }
  // A checkpoint without "latest" (or with null) was never deployed.
  if (deployment.absent() || deployment.is_null()) return true;
  if (!deployment.is_object()) {
    ctx.error(deployment,
              "a Pulumi deployment must be an object, not " + what(deployment));
    return false;
  }
  return true;
}

}  // namespace

void load_pulumi(const json::JValue& root, const LoadContext& ctx) {
  JValue deployment;
  std::string state_stack;
  if (!find_deployment(root, ctx, deployment, state_stack)) return;
  JValue resources = deployment["resources"];
  if (resources.absent()) return;  // an empty stack
  if (!resources.is_array()) {
    ctx.error(resources,
              "Pulumi deployment \"resources\" must be an array, "
              "not " +
                  what(resources));
    return;
  }

  // Pass 1: read every element's members once; index providers and the
  // URNs of future model resources.
  std::vector<Raw> raws;
  for (JValue obj : resources.elements()) {
    if (!obj.is_object()) {
      ctx.error(obj, "a Pulumi resource must be an object, not " + what(obj));
      continue;
    }
    Raw raw;
    raw.obj = obj;
    JValue custom, deleted;
    for (auto [k, v] : obj.members()) {
      if (k == "urn") {
        raw.urn = v;
      } else if (k == "type") {
        raw.type = v;
      } else if (k == "custom") {
        custom = v;
      } else if (k == "id") {
        raw.id = v;
      } else if (k == "inputs") {
        raw.inputs = v;
      } else if (k == "outputs") {
        raw.outputs = v;
      } else if (k == "provider") {
        raw.provider = v;
      } else if (k == "propertyDependencies") {
        raw.prop_deps = v;
      } else if (k == "sourcePosition") {
        raw.source_position = v;
      } else if (k == "delete") {
        deleted = v;
      }
    }
    if (!raw.urn.is_string() || raw.urn.str().empty()) {
      ctx.error(raw.urn.present() ? raw.urn : obj,
                "a Pulumi resource needs a \"urn\" string");
      continue;
    }
    if (!raw.type.is_string() || raw.type.str().empty()) {
      ctx.error(raw.type.present() ? raw.type : obj,
                "Pulumi resource " + std::string(raw.urn.str()) +
                    " needs a \"type\" string");
      continue;
    }
    if (custom.present() && !custom.is_bool()) {
      ctx.error(custom, "\"custom\" of Pulumi resource " +
                            std::string(raw.urn.str()) +
                            " must be a boolean, not " + what(custom));
    }
    raw.custom = custom.boolean().value_or(false);
    raw.deleted = deleted.boolean().value_or(false);
    for (JValue* bag : {&raw.inputs, &raw.outputs}) {
      if (bag->present() && !bag->is_object()) {
        ctx.error(*bag, "\"" + std::string(bag->key()) +
                            "\" of Pulumi resource " +
                            std::string(raw.urn.str()) +
                            " must be an object, not " + what(*bag));
        *bag = JValue();
      }
    }
    raws.push_back(raw);
  }

  ProviderReader provider_reader(ctx);
  std::unordered_map<std::string_view, Provider> providers;
  std::vector<const Provider*> default_aws;
  std::unordered_set<std::string_view> model_urns;
  for (const Raw& raw : raws) {
    std::string_view type = raw.type.str();
    if (type.substr(0, 17) == "pulumi:providers:") {
      if (raw.deleted) continue;
      auto [it, fresh] =
          providers.insert_or_assign(raw.urn.str(), provider_reader.read(raw));
      (void)fresh;
      if (type == "pulumi:providers:aws" &&
          urn_name(raw.urn.str()).substr(0, 7) == "default") {
        default_aws.push_back(&it->second);
      }
    } else if (raw.custom && !raw.deleted && type != "pulumi:pulumi:Stack") {
      model_urns.insert(raw.urn.str());
    }
  }
  // The default aws provider: several versions may coexist in a state;
  // they count as one when they agree on the region.
  const Provider* default_provider = nullptr;
  for (const Provider* p : default_aws) {
    if (!default_provider) {
      default_provider = p;
    } else if (p->region != default_provider->region) {
      default_provider = nullptr;
      break;
    }
  }

  // Per type: canonical kind, taggable, and the name attributes in Pulumi's
  // spelling; per provider: the region source text.
  struct KindInfo {
    std::string kind;
    bool taggable = false;
    std::vector<std::pair<std::string_view, std::string>> names;
  };
  std::unordered_map<std::string_view, KindInfo> kinds;
  std::unordered_map<const Provider*, std::string> provider_sources;

  // Pass 2: model resources.
  auto& out = ctx.model->resources;
  out.reserve(out.size() + model_urns.size());
  for (const Raw& raw : raws) {
    std::string_view urn = raw.urn.str();
    if (!model_urns.count(urn) || raw.deleted) continue;
    Resource r;
    r.address = std::string(urn);
    r.type = std::string(raw.type.str());
    auto kind_it = kinds.find(raw.type.str());
    if (kind_it == kinds.end()) {
      KindInfo info;
      info.kind = canonical_kind(Format::kPulumiState, r.type);
      info.taggable = is_taggable_kind(info.kind);
      for (std::string_view attr : name_attributes(info.kind)) {
        info.names.emplace_back(attr, snake_to_camel(attr));
      }
      kind_it = kinds.emplace(raw.type.str(), std::move(info)).first;
    }
    const KindInfo& kind_info = kind_it->second;
    r.kind = kind_info.kind;
    r.format = Format::kPulumiState;
    r.input = ctx.input;
    r.taggable = kind_info.taggable;
    r.stack = std::string(urn_stack(urn));
    if (r.stack.empty()) r.stack = state_stack;
    r.at = Location::of(raw.obj);
    r.envelope = raw.obj;
    r.attributes = nonempty_object(raw.outputs) ? raw.outputs : raw.inputs;
    r.provider_key = std::string(raw.provider.str());
    if (raw.id.is_string()) r.id = std::string(raw.id.str());
    JValue arn = raw.outputs["arn"];
    if (arn.is_string()) {
      r.arn = std::string(arn.str());
    } else if (r.id.substr(0, 4) == "arn:") {
      r.arn = r.id;
    }
    r.account = arn_account(r.arn);

    // Region.
    const Provider* provider = nullptr;
    std::string why_null;
    if (raw.provider.is_string()) {
      std::string_view ref = raw.provider.str();
      std::string_view purn = ref.substr(0, ref.rfind("::"));
      auto it = providers.find(purn);
      if (it != providers.end()) {
        provider = &it->second;
      } else {
        why_null = "its provider " + std::string(purn) + " is not in the state";
      }
    } else if (r.type.substr(0, 4) == "aws:") {
      provider = default_provider;
      if (!provider) {
        why_null = default_aws.empty()
                       ? "no provider reference and no default aws provider "
                         "in the state"
                       : "no provider reference and the default aws "
                         "providers disagree on the region";
      }
    }
    JValue own_region = raw.inputs["region"];
    JValue out_region = raw.outputs["region"];
    if (own_region.is_string() && looks_like_region(own_region.str())) {
      r.region = std::string(own_region.str());
      r.region_source = "resource input region";
    } else if (provider && !provider->region.empty()) {
      r.region = provider->region;
      auto [source, fresh] = provider_sources.try_emplace(provider);
      if (fresh) {
        source->second = "provider " + std::string(provider->urn) + " " +
                         provider->region_from;
      }
      r.region_source = source->second;
    } else if (out_region.is_string() && looks_like_region(out_region.str())) {
      r.region = std::string(out_region.str());
      r.region_source = "resource output region";
    } else if (std::string from_arn = arn_region(r.arn); !from_arn.empty()) {
      r.region = from_arn;
      r.region_source = "ARN " + r.arn;
    } else {
      if (provider) {
        why_null =
            "its provider " + std::string(provider->urn) + " sets no region";
        if (r.type.substr(0, 4) == "aws:") {
          why_null += " (it came from the environment at deploy time)";
        }
      } else if (why_null.empty()) {
        why_null = "no provider region";
      }
      r.region_source = "Pulumi resource has no region: " + why_null;
    }

    // Tags: explicit, then effective (tagsAll), then provider defaults.
    JValue tags_bag = raw.outputs.is_object() ? raw.outputs : raw.inputs;
    // Sized once: the effective set usually holds the explicit tags and
    // the defaults.
    const bool defaults = provider && r.taggable;
    r.tags.reserve(
        std::max({tags_bag["tags"].size(), raw.outputs["tagsAll"].size(),
                  defaults ? provider->default_tags.size() : 0}));
    for (auto [k, v] : tags_bag["tags"].members()) put_tag(r, k, v, v, false);
    for (auto [k, v] : raw.outputs["tagsAll"].members()) {
      put_tag(r, k, v, v, true);
    }
    if (defaults) {
      for (auto [k, v] : provider->default_tags.members()) {
        put_tag(r, k, v,
                provider->default_tags_string.present()
                    ? provider->default_tags_string
                    : v,
                true);
      }
    }

    // Name: the input the program set (or Pulumi auto-named).
    JValue names = raw.inputs.is_object() ? raw.inputs : r.attributes;
    for (const auto& [attr, camel] : kind_info.names) {
      JValue v = names.get(camel);
      if (v.absent()) continue;
      if (v.is_string()) {
        r.name = std::string(v.str());
        r.name_attribute = std::string(attr);
        r.name_at = v;
      }
      break;
    }

    // References: propertyDependencies {"vpcId": [URN, ...]}.
    if (raw.prop_deps.present() && !raw.prop_deps.is_object()) {
      ctx.error(raw.prop_deps, "\"propertyDependencies\" of Pulumi resource " +
                                   r.address + " must be an object, not " +
                                   what(raw.prop_deps));
    }
    for (auto [prop, urns] : raw.prop_deps.members()) {
      std::string attribute;
      for (JValue target : urns.elements()) {
        if (!model_urns.count(target.str())) continue;
        if (attribute.empty()) attribute = to_snake(prop);
        Reference ref;
        ref.attribute = attribute;
        ref.target = std::string(target.str());
        ref.at = target;
        r.references.push_back(std::move(ref));
      }
    }

    if (raw.source_position.is_string()) {
      r.source_ref = parse_source_position(raw.source_position.str());
    }
    out.push_back(std::move(r));
  }
}

}  // namespace drcheck
