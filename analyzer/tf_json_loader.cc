// Terraform JSON configuration (*.tf.json, CDKTF cdk.tf.json) -> Resources,
// and the CDKTF output folder (cdktf.out: manifest.json + one cdk.tf.json
// per stack).
//
// HCL's JSON syntax allows an array of objects wherever a block body object
// is expected ("resource": [{"aws_vpc": {...}}]); every level accepts both.
// Expressions are not evaluated: a region, tag or name is known when it is a
// literal, or a template whose every interpolation is a variable with a
// literal default ("orders-${var.env}"); anything else is computed.
//
// References are the `${TYPE.NAME...}` traversals anywhere in a resource
// body. In a cdktf.out, `${data.terraform_remote_state.<input>.outputs.<out>}`
// (CDKTF's cross-stack wiring) is followed to the producing stack's resource.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/kinds.h"
#include "analyzer/loader.h"
#include "analyzer/tf_common.h"

namespace drcheck {

namespace {

using json::JValue;
using tf::ParsedRef;

bool has_template(std::string_view s) {
  return s.find("${") != std::string_view::npos ||
         s.find("%{") != std::string_view::npos;
}

struct ProviderInfo {
  std::optional<std::string> region;
  std::string source;
  JValue default_tags;  // object of tag -> value
};

class JsonLoader {
 public:
  explicit JsonLoader(const LoadContext& ctx) : ctx_(ctx) {}
  void load(const JValue& root);

 private:
  // Calls fn(object) for `v` when an object, for each element when an array
  // of objects; reports anything else as `what`.
  template <typename Fn>
  void each_body(const JValue& v, std::string_view what, Fn&& fn) const {
    if (v.is_object()) {
      fn(v);
    } else if (v.is_array()) {
      for (JValue e : v.elements()) {
        if (e.is_object()) {
          fn(e);
        } else {
          ctx_.error(e, std::string(what) + " must be an object, not " +
                            json::type_name(e.type()));
        }
      }
    } else {
      ctx_.error(v, std::string(what) +
                        " must be an object or an array of objects, not " +
                        json::type_name(v.type()));
    }
  }

  void index_variables(const JValue& v);
  void index_providers(const JValue& v);
  void warn_modules(const JValue& v);
  void load_resources(const JValue& v);
  void load_resource(std::string_view type, std::string_view name,
                     const JValue& body);
  const ProviderInfo& provider(const std::string& key);
  // A value's constant: a literal (numbers and booleans as written), or a
  // template whose every interpolation is a variable with a literal default
  // ("app-${var.env}").
  // `via` receives the first variable followed ("var.env").
  std::optional<std::string> constant(const JValue& v,
                                      std::string* via = nullptr);
  void walk_references(const JValue& v, std::string& path, Resource& res,
                       int depth);

  const LoadContext& ctx_;
  std::string stack_;
  std::unordered_map<std::string, JValue> variables_;        // name -> body
  std::unordered_map<std::string, JValue> provider_blocks_;  // aws.dr -> body
  std::unordered_map<std::string, ProviderInfo> providers_;
};

void JsonLoader::load(const JValue& root) {
  stack_ = ctx_.stack;
  // Blocks may repeat as duplicate keys; iterate members, not get().
  for (auto [key, value] : root.members()) {
    if (tf::is(key, "variable")) {
      index_variables(value);
    } else if (tf::is(key, "provider")) {
      index_providers(value);
    } else if (tf::is(key, "//") && stack_.empty()) {
      stack_ = std::string(value["metadata"]["stackName"].str());
    }
  }
  for (auto [key, value] : root.members()) {
    if (tf::is(key, "resource")) {
      load_resources(value);
    } else if (tf::is(key, "module")) {
      warn_modules(value);
    }
  }
}

void JsonLoader::index_variables(const JValue& v) {
  each_body(v, "\"variable\"", [&](const JValue& obj) {
    for (auto member : obj.members()) {
      std::string_view name = member.key;
      each_body(member.value, "variable \"" + std::string(name) + "\"",
                [&](const JValue& b) { variables_[std::string(name)] = b; });
    }
  });
}

void JsonLoader::index_providers(const JValue& v) {
  each_body(v, "\"provider\"", [&](const JValue& obj) {
    for (auto member : obj.members()) {
      std::string_view name = member.key;
      each_body(member.value, "provider \"" + std::string(name) + "\"",
                [&](const JValue& b) {
                  std::string key(name);
                  JValue alias = b["alias"];
                  if (alias.is_string() && !alias.str().empty()) {
                    key += '.';
                    key += alias.str();
                  } else if (alias.present()) {
                    ctx_.error(alias, "provider alias must be a string");
                    return;
                  }
                  provider_blocks_[key] = b;
                });
    }
  });
}

void JsonLoader::warn_modules(const JValue& v) {
  each_body(v, "\"module\"", [&](const JValue& obj) {
    for (auto [name, body] : obj.members()) {
      std::string source(body["source"].str());
      ctx_.warning(body, "module \"" + std::string(name) + "\"" +
                             (source.empty() ? "" : " (" + source + ")") +
                             " is not followed: its resources are not in "
                             "the model (pass a plan JSON to include them)");
    }
  });
}

void JsonLoader::load_resources(const JValue& v) {
  each_body(v, "\"resource\"", [&](const JValue& obj) {
    for (auto member : obj.members()) {
      std::string_view type = member.key;
      each_body(
          member.value, "resource type \"" + std::string(type) + "\"",
          [&](const JValue& names) {
            for (auto member : names.members()) {
              std::string_view name = member.key;
              JValue body = member.value;
              if (body.is_array() && body.size() > 1) {
                ctx_.warning(body.at(1),
                             "duplicate resource " + std::string(type) + "." +
                                 std::string(name) +
                                 ": only the first block is loaded");
                body = body.at(0);
              }
              each_body(
                  body,
                  "resource " + std::string(type) + "." + std::string(name),
                  [&](const JValue& b) { load_resource(type, name, b); });
            }
          });
    }
  });
}

std::optional<std::string> JsonLoader::constant(const JValue& v,
                                                std::string* via) {
  if (v.is_number() || v.is_bool()) return std::string(v.raw());
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.str();
  if (!has_template(s)) return std::string(s);
  if (s.find("%{") != std::string_view::npos) return std::nullopt;
  // Every interpolation must be a variable with a literal default.
  std::string out;
  size_t i = 0;
  for (;;) {
    size_t p = s.find("${", i);
    if (p == std::string_view::npos) {
      out += s.substr(i);
      return out;
    }
    if (p > 0 && s[p - 1] == '$') {  // $${ is a literal ${
      out += s.substr(i, p - 1 - i);
      out += "${";
      i = p + 2;
      continue;
    }
    size_t e = s.find('}', p);
    if (e == std::string_view::npos) return std::nullopt;
    std::string_view var = tf::sole_variable(s.substr(p, e - p + 1));
    if (var.empty()) return std::nullopt;
    ParsedRef r = tf::parse_reference(var);
    auto it = variables_.find(std::string(r.name));
    if (it == variables_.end()) return std::nullopt;
    JValue d = tf::follow_steps(it->second["default"], r.steps);
    if (d.is_string() && !has_template(d.str())) {
      out += s.substr(i, p - i);
      out += d.str();
    } else if (d.is_number() || d.is_bool()) {
      out += s.substr(i, p - i);
      out += d.raw();
    } else {
      return std::nullopt;
    }
    if (via && via->empty()) *via = std::string(var);
    i = e + 1;
  }
}

const ProviderInfo& JsonLoader::provider(const std::string& key) {
  auto it = providers_.find(key);
  if (it != providers_.end()) return it->second;
  ProviderInfo info;
  auto block = provider_blocks_.find(key);
  if (block == provider_blocks_.end()) {
    info.source = key.find('.') == std::string::npos
                      ? "no provider \"" + key +
                            "\" block (region comes from the environment)"
                      : "provider " + key + " is not configured in this file";
  } else {
    const JValue& b = block->second;
    JValue region = b["region"];
    std::string via;
    if (region.absent()) {
      info.source = "no region in provider " + key;
    } else if (auto c =
                   region.is_string() ? constant(region, &via) : std::nullopt) {
      info.region = std::move(*c);
      info.source =
          "provider " + key +
          (via.empty() ? std::string(" (configuration)") : " (" + via + ")");
    } else if (region.is_string() && !tf::sole_variable(region.str()).empty()) {
      info.source = "provider " + key + " region is " +
                    std::string(tf::sole_variable(region.str())) +
                    ", which has no literal default";
    } else {
      info.source = "provider " + key + " region is not a constant";
    }
    JValue dt = b["default_tags"];
    JValue tags = (dt.is_array() ? dt.at(0) : dt)["tags"];
    if (tags.is_object()) info.default_tags = tags;
  }
  return providers_.emplace(key, std::move(info)).first->second;
}

void JsonLoader::load_resource(std::string_view type, std::string_view name,
                               const JValue& body) {
  Resource res;
  res.address = std::string(type) + "." + std::string(name);
  res.type = std::string(type);
  res.kind = canonical_kind(Format::kTerraformJson, type);
  res.format = Format::kTerraformJson;
  res.taggable = is_taggable_kind(res.kind);
  res.attributes = body;
  res.at = Location::of(body);
  res.stack = stack_;

  JValue provider_attr, region, tags;
  std::string path;
  for (auto [key, value] : body.members()) {
    if (tf::is(key, "//")) {
      res.envelope = value;
      res.construct_path = std::string(value["metadata"]["path"].str());
      continue;
    }
    if (tf::is(key, "provider")) {
      provider_attr = value;
      continue;
    }
    if (tf::is(key, "depends_on") || tf::is(key, "lifecycle")) continue;
    if (tf::is(key, "region")) region = value;
    if (tf::is(key, "tags")) tags = value;
    path.assign(key);
    walk_references(value, path, res, 0);
  }
  tf::prune_references(res.references);

  std::string key(tf::implied_provider(type));
  if (provider_attr.is_string()) {
    std::string_view p = provider_attr.str();
    if (p.substr(0, 2) == "${" && p.back() == '}') {
      p = p.substr(2, p.size() - 3);
    }
    key = std::string(p);
  } else if (provider_attr.present()) {
    ctx_.error(provider_attr, "\"provider\" must be a string like \"aws.dr\"");
  }
  res.provider_key = key;
  const ProviderInfo& prov = provider(key);

  std::string via;
  if (region.present()) {
    if (auto c = region.is_string() ? constant(region, &via) : std::nullopt) {
      res.region = std::move(*c);
      res.region_source = via.empty()
                              ? "resource region argument"
                              : "resource region argument (" + via + ")";
    } else {
      res.region_source = "resource region argument is not a constant";
    }
  } else {
    res.region = prov.region;
    res.region_source = prov.source;
  }

  // Tags: explicit over the provider's default_tags.
  if (tags.is_object()) {
    for (auto [k, v] : tags.members()) {
      if (auto c = constant(v)) {
        res.tags[std::string(k)] = Tag{std::move(*c), v, false};
      } else if (v.is_string()) {
        res.tags[std::string(k)] = Tag{"", JValue(), false};  // computed
      }
    }
  }
  if (prov.default_tags.is_object() && (res.taggable || tags.present())) {
    for (auto [k, v] : prov.default_tags.members()) {
      if (auto c = constant(v)) {
        res.tags.try_emplace(std::string(k), Tag{std::move(*c), v, true});
      } else if (v.is_string()) {
        res.tags.try_emplace(std::string(k), Tag{"", JValue(), true});
      }
    }
  }

  // Name: the first name attribute with a known value.
  for (std::string_view attribute : name_attributes(res.kind)) {
    JValue v = body.get(attribute);
    auto c = constant(v);
    if (!c || c->empty()) continue;
    res.name = std::move(*c);
    res.name_attribute = std::string(attribute);
    res.name_at = v;
    break;
  }
  ctx_.model->resources.push_back(std::move(res));
}

void JsonLoader::walk_references(const JValue& v, std::string& path,
                                 Resource& res, int depth) {
  if (depth > 64) return;
  switch (v.type()) {
    case json::Type::kString: {
      std::string_view s = v.str();
      if (!has_template(s)) return;
      tf::template_traversals(s, [&](std::string_view traversal) {
        ParsedRef p = tf::parse_reference(traversal, true);
        if (p.kind == ParsedRef::Kind::kResource) {
          tf::add_reference(res, path, p.target, v);
        } else if (!ctx_.stack.empty()) {
          // A CDKTF cross-stack reference; load_cdktf_out links it to the
          // producing stack's resource once every stack is loaded.
          std::string_view remote = tf::remote_state_output(traversal);
          if (!remote.empty()) tf::add_reference(res, path, remote, v);
        }
      });
      return;
    }
    case json::Type::kArray: {
      size_t base = path.size();
      size_t i = 0;
      for (JValue e : v.elements()) {
        path.resize(base);
        path += '[';
        path += std::to_string(i++);
        path += ']';
        walk_references(e, path, res, depth + 1);
      }
      path.resize(base);
      return;
    }
    case json::Type::kObject: {
      size_t base = path.size();
      for (auto [k, m] : v.members()) {
        if (tf::is(k, "//")) continue;
        path.resize(base);
        path += '.';
        path += k;
        walk_references(m, path, res, depth + 1);
      }
      path.resize(base);
      return;
    }
    default:
      return;
  }
}

}  // namespace

void load_tf_json(const json::JValue& root, const LoadContext& ctx) {
  JsonLoader loader(ctx);
  loader.load(root);
}

namespace {

struct LoadedStack {
  std::string name;
  int input = -1;
  JValue root;
};

// Calls fn(name, body) for each block of a `"output"` / `"data"` style
// object (object or array-of-objects form), without reporting shapes.
template <typename Fn>
void each_named(const JValue& v, Fn&& fn) {
  auto one = [&](const JValue& obj) {
    for (auto [name, body] : obj.members()) fn(name, body);
  };
  if (v.is_object()) one(v);
  for (JValue e : v.elements()) one(e);
}

// The stack a `data.terraform_remote_state.NAME` of `consumer` reads: by
// CDKTF's naming (cross-stack-reference-input-STACK), else by a state file
// name in its config (".../STACK.tfstate", "terraform.STACK.tfstate").
const LoadedStack* producer_of(const std::vector<LoadedStack>& stacks,
                               const LoadedStack& consumer,
                               std::string_view data_name) {
  constexpr std::string_view kPrefix = "cross-stack-reference-input-";
  if (data_name.substr(0, kPrefix.size()) == kPrefix) {
    std::string_view name = data_name.substr(kPrefix.size());
    for (const auto& s : stacks) {
      if (s.name == name) return &s;
    }
  }
  const LoadedStack* found = nullptr;
  each_named(consumer.root["data"], [&](std::string_view type, JValue by_name) {
    if (type != "terraform_remote_state") return;
    each_named(by_name, [&](std::string_view name, JValue body) {
      if (name != data_name) return;
      JValue config = body["config"];
      for (std::string_view file :
           {config["key"].str(), config["path"].str()}) {
        for (const auto& s : stacks) {
          std::string suffix = s.name + ".tfstate";
          if (file.size() >= suffix.size() &&
              file.substr(file.size() - suffix.size()) == suffix &&
              (file.size() == suffix.size() ||
               file[file.size() - suffix.size() - 1] == '/' ||
               file[file.size() - suffix.size() - 1] == '.')) {
            found = &s;
          }
        }
      }
    });
  });
  return found;
}

// Replaces each cross-stack placeholder reference
// ("data.terraform_remote_state.NAME.outputs.OUT") by the resource the
// producing stack's output OUT refers to, resolved to that stack's resource
// (the same address may exist in several stacks). Unresolvable ones go.
void link_cross_stack(Model& model, const std::vector<LoadedStack>& stacks) {
  constexpr std::string_view kData = "data.terraform_remote_state.";
  constexpr std::string_view kOutputs = ".outputs.";
  std::unordered_map<int, const LoadedStack*> by_input;
  for (const auto& s : stacks) by_input[s.input] = &s;
  std::unordered_map<std::string, int> where;  // "input\x1f" + address
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource& r = model.resources[i];
    if (by_input.count(r.input)) {
      where.emplace(std::to_string(r.input) + '\x1f' + r.address,
                    static_cast<int>(i));
    }
  }
  for (auto& r : model.resources) {
    auto consumer = by_input.find(r.input);
    if (consumer == by_input.end()) continue;
    auto& refs = r.references;
    for (size_t i = 0; i < refs.size();) {
      std::string_view target = refs[i].target;
      if (target.substr(0, kData.size()) != kData) {
        ++i;
        continue;
      }
      size_t dot = target.find(kOutputs, kData.size());
      std::string_view data_name =
          target.substr(kData.size(), dot - kData.size());
      std::string_view output = target.substr(dot + kOutputs.size());
      const LoadedStack* producer =
          producer_of(stacks, *consumer->second, data_name);
      std::string resolved;
      int index = -1;
      if (producer) {
        each_named(
            producer->root["output"], [&](std::string_view name, JValue body) {
              if (name != output || index >= 0) return;
              tf::template_traversals(
                  body["value"].str(), [&](std::string_view traversal) {
                    ParsedRef p = tf::parse_reference(traversal, true);
                    if (index >= 0 || p.kind != ParsedRef::Kind::kResource)
                      return;
                    auto it = where.find(std::to_string(producer->input) +
                                         '\x1f' + std::string(p.target));
                    if (it != where.end()) {
                      resolved = std::string(p.target);
                      index = it->second;
                    }
                  });
            });
      }
      if (index < 0) {
        refs.erase(refs.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      refs[i].target = std::move(resolved);
      refs[i].index = index;
      ++i;
    }
  }
}

}  // namespace

void load_cdktf_out(const std::string& dir, const json::JValue& manifest,
                    const LoadOptions& options, Model& model,
                    std::vector<std::string>& consumed) {
  namespace fs = std::filesystem;
  auto fail = [&](const JValue& at, const std::string& message) {
    Diagnostic d;
    d.file = at.present() ? at.source()->path() : dir;
    Position p = at.position();
    d.line = p.line;
    d.column = p.column;
    d.message = message;
    model.errors.push_back(d);
  };
  JValue stacks = manifest["stacks"];
  if (!stacks.is_object()) {
    fail(stacks.present() ? stacks : manifest,
         "CDKTF manifest \"stacks\" must be an object");
    return;
  }
  std::vector<LoadedStack> loaded;
  for (auto [name, stack] : stacks.members()) {
    JValue synthesized = stack["synthesizedStackPath"];
    if (!synthesized.is_string() || synthesized.str().empty()) {
      fail(stack, "CDKTF stack \"" + std::string(name) +
                      "\" has no \"synthesizedStackPath\"");
      continue;
    }
    std::string path = (fs::path(dir) / std::string(synthesized.str()))
                           .lexically_normal()
                           .string();
    consumed.push_back(path);
    JValue metadata = stack["stackMetadataPath"];
    if (metadata.is_string() && !metadata.str().empty()) {
      consumed.push_back((fs::path(dir) / std::string(metadata.str()))
                             .lexically_normal()
                             .string());
    }
    auto doc = read_json(path, options, model);
    if (!doc) continue;
    std::string stack_name(stack["name"].str());
    if (stack_name.empty()) stack_name = std::string(name);
    int input = load_document(doc, path, options, model, true, stack_name);
    if (input >= 0) loaded.push_back({stack_name, input, doc->root()});
  }
  link_cross_stack(model, loaded);
}

}  // namespace drcheck
