// Terraform plan / state JSON (`terraform show -json`) -> Resources.
//
// Resources come from planned_values (a plan), values (a state) or, when a
// plan has no planned_values, prior_state — minus data sources and
// resources the plan deletes. Everything the plan says about a resource
// lives in three places, joined by address once per document:
//   planned_values  the values (known ones only), where the resource starts
//   resource_changes  actions and after_unknown (what is computed)
//   configuration  provider_config_key, expressions (references), provider
//                  regions and default_tags, module calls and variables
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/kinds.h"
#include "analyzer/loader.h"
#include "analyzer/parallel.h"
#include "analyzer/tf_common.h"

namespace drcheck {

namespace {

using json::JValue;
using tf::ParsedRef;

bool is_true(const JValue& v) { return v.boolean().value_or(false); }

// Plans of this size and up read their changes, configuration and planned
// values side by side (below it, starting a thread costs more than it
// saves).
constexpr size_t kParallelReadBytes = size_t{1} << 20;

struct ConfigResource {
  JValue expressions;
  std::string_view provider_key;
  std::string module_path;  // configuration path, no instance keys
  // Set by prepare_config_resource() before resources load:
  bool region_argument = false;  // expressions has "region"
  // References with targets relative to the referring resource's module
  // instance, one per (attribute, target).
  std::vector<Reference> refs;
};

// One step of the walk over planned_values modules, in file order: a
// resource to load, or a module member of the wrong shape (`error` says how).
struct WalkItem {
  JValue value;
  std::string error;
};

// What one chunk of resources loads with, on whichever thread runs it: its
// own error list and caches, so chunks share only read-only state.
struct ChunkState {
  Model scratch;      // errors and warnings of this chunk, in order
  LoadContext ctx;    // the document's context, reporting into scratch
  size_t cursor = 0;  // next change expected (see find_change)
  // type -> (canonical kind, taggable), computed once per type.
  std::unordered_map<std::string_view, std::pair<std::string, bool>> kinds;
};

// "<what> must be an object, not <type>" for a present, non-null value that
// is not of type `want`; "" when it is fine.
std::string shape_error(const JValue& v, json::Type want,
                        std::string_view what) {
  if (v.type() == want || v.absent() || v.is_null()) return {};
  return std::string(what) + " must be " +
         (want == json::Type::kArray ? "an array" : "an object") + ", not " +
         json::type_name(v.type());
}

struct ProviderInfo {
  std::optional<std::string> region;
  std::string source;
  std::string own_source;  // `source` before any ", inherited by ..."
  JValue default_tags;     // object of tag -> value, when constant
  std::string full_name;
};

class PlanLoader {
 public:
  explicit PlanLoader(const LoadContext& ctx) : ctx_(ctx) {}
  void load(const JValue& root);

 private:
  // --- configuration
  // The three reads load() runs side by side; each reports through `ctx`.
  void index_configuration(const JValue& config, const LoadContext& ctx);
  void index_config_module(const JValue& mod, const std::string& path,
                           int depth, const LoadContext& ctx);
  void collect_changes(const JValue& changes, const LoadContext& ctx);
  // The root module of the planned values (else of the state's values or
  // the prior state's); absent, with an error, when there is none.
  JValue values_root_module(const JValue& planned, const JValue& state_values,
                            const JValue& prior, const LoadContext& ctx);
  // Appends a task's or a chunk's errors and warnings to the model.
  void report(Model& from) const;
  const ProviderInfo& provider(const std::string& key, int depth = 0);
  void region_from_expression(const JValue& expr, std::string_view key,
                              std::string_view module_path, ProviderInfo& info);
  JValue resolve_variable(std::string_view module_path, std::string_view name,
                          std::string_view steps, int depth);
  // Fills cr.region_argument and cr.refs (reads only shared state, so
  // configuration resources can be prepared in parallel).
  void prepare_config_resource(ConfigResource& cr);
  void walk_expressions(const JValue& exprs, std::string& path,
                        ConfigResource& cr, int depth);
  void add_expression_refs(const JValue& refs, const std::string& attribute,
                           ConfigResource& cr);
  void module_output_targets(std::string_view caller_path,
                             std::string_view call, std::string_view output,
                             std::string_view prefix, int depth,
                             std::vector<std::string>& out);

  // --- values
  void walk_module(const JValue& mod, int depth, std::vector<WalkItem>& out);
  // Loads the walked resources into the model, on up to
  // ctx_.options->document_jobs threads, in walk order.
  void load_resources(const std::vector<WalkItem>& items);
  // Fills `res` from planned resource `r`; false when it yields no resource
  // (a data source, a deleted resource, or one in error).
  bool load_resource(const JValue& r, ChunkState& chunk, Resource& res) const;
  void fill_tags(Resource& res, const JValue& tags, const JValue& tags_all,
                 const JValue& unknown_tags, const JValue& unknown_all,
                 const ProviderInfo* prov) const;

  // Whether `v` is of type `want`; when not, reports it through `ctx`.
  bool expect(const LoadContext& ctx, const JValue& v, json::Type want,
              std::string_view what) const {
    if (v.type() == want) return true;
    if (std::string e = shape_error(v, want, what); !e.empty()) {
      ctx.error(v, e);
    }
    return false;
  }

  const LoadContext& ctx_;
  JValue variables_;        // plan root "variables"
  JValue provider_config_;  // configuration.provider_config
  bool has_configuration_ = false;
  bool from_prior_state_ = false;
  // Resource changes (deposed objects left out), in file order. Terraform
  // writes changes and planned values in the same order, so most lookups
  // are the change after the previous one (`cursor`); others search the
  // sorted list, or, when addresses repeat or are out of order, a map built
  // before loading.
  JValue find_change(std::string_view address, size_t& cursor) const;
  std::vector<std::pair<std::string_view, JValue>> change_list_;
  bool changes_sorted_ = true;  // strictly increasing: no duplicate address
  std::unordered_map<std::string_view, size_t> changes_;  // last one wins
  std::unordered_map<std::string, ConfigResource> config_resources_;
  std::unordered_map<std::string, JValue> config_modules_;  // path -> module
  std::unordered_map<std::string, JValue> module_calls_;    // path -> call
  std::unordered_map<std::string, ProviderInfo> providers_;
};

void PlanLoader::load(const JValue& root) {
  JValue planned, state_values, prior, changes, config;
  for (auto [key, value] : root.members()) {
    if (tf::is(key, "planned_values")) {
      planned = value;
    } else if (tf::is(key, "values")) {
      state_values = value;
    } else if (tf::is(key, "prior_state")) {
      prior = value;
    } else if (tf::is(key, "resource_changes")) {
      changes = value;
    } else if (tf::is(key, "configuration")) {
      config = value;
    } else if (tf::is(key, "variables")) {
      variables_ = value;
    }
  }
  // The changes, the configuration and the planned values are read
  // independently: a large plan reads them on up to two threads. Each task
  // reports into its own list, and the lists join in the order one thread
  // would report them.
  enum Task { kConfiguration, kChanges, kValues };  // the longest first
  Model reports[3];
  LoadContext task_ctx[3] = {ctx_, ctx_, ctx_};
  for (int t = 0; t < 3; ++t) task_ctx[t].model = &reports[t];
  JValue module;
  std::vector<WalkItem> items;
  const unsigned jobs = root.source()->size() >= kParallelReadBytes
                            ? std::max(1u, ctx_.options->document_jobs)
                            : 1;
  parallel_for(3, jobs, [&](size_t t) {
    const LoadContext& ctx = task_ctx[t];
    if (t == kConfiguration) {
      if (expect(ctx, config, json::Type::kObject, "\"configuration\"")) {
        index_configuration(config, ctx);
      }
    } else if (t == kChanges) {
      collect_changes(changes, ctx);
    } else {
      module = values_root_module(planned, state_values, prior, ctx);
      if (module.present()) walk_module(module, 0, items);
    }
  });
  report(reports[kChanges]);
  report(reports[kConfiguration]);
  if (variables_.present() && !variables_.is_object()) {
    expect(ctx_, variables_, json::Type::kObject, "\"variables\"");
    variables_ = JValue();
  }
  report(reports[kValues]);
  if (module.present()) load_resources(items);
}

void PlanLoader::collect_changes(const JValue& changes,
                                 const LoadContext& ctx) {
  if (!expect(ctx, changes, json::Type::kArray, "\"resource_changes\"")) {
    return;
  }
  // Collected first so the map is sized once.
  std::vector<std::pair<std::string_view, JValue>> collected;
  for (JValue rc : changes.elements()) {
    if (!expect(ctx, rc, json::Type::kObject, "a resource change")) continue;
    std::string_view address;
    JValue change;
    bool deposed = false;
    for (auto [key, value] : rc.members()) {
      if (tf::is(key, "address")) {
        address = value.str();
      } else if (tf::is(key, "change")) {
        change = value;
      } else if (tf::is(key, "deposed")) {
        deposed = true;
      }
    }
    if (!deposed && !address.empty()) collected.emplace_back(address, change);
  }
  for (size_t i = 1; i < collected.size() && changes_sorted_; ++i) {
    changes_sorted_ = collected[i - 1].first < collected[i].first;
  }
  change_list_ = std::move(collected);
}

JValue PlanLoader::values_root_module(const JValue& planned,
                                      const JValue& state_values,
                                      const JValue& prior,
                                      const LoadContext& ctx) {
  auto is_object = [&](const JValue& v, std::string_view what) {
    return expect(ctx, v, json::Type::kObject, what);
  };
  JValue module;
  if (is_object(planned, "\"planned_values\"")) {
    module = planned["root_module"];
  } else if (is_object(state_values, "\"values\"")) {
    module = state_values["root_module"];
  } else if (is_object(prior, "\"prior_state\"")) {
    JValue v = prior["values"];
    if (is_object(v, "\"prior_state.values\"")) {
      module = v["root_module"];
      from_prior_state_ = true;
    }
  }
  return is_object(module, "\"root_module\"") ? module : JValue();
}

void PlanLoader::report(Model& from) const {
  for (auto& d : from.errors) ctx_.model->errors.push_back(std::move(d));
  for (auto& d : from.warnings) ctx_.model->warnings.push_back(std::move(d));
}

JValue PlanLoader::find_change(std::string_view address, size_t& cursor) const {
  if (changes_sorted_) {
    // Without duplicates the next change in order is the likely one, and
    // the only one with this address.
    if (cursor < change_list_.size() && change_list_[cursor].first == address) {
      return change_list_[cursor++].second;
    }
    auto it =
        std::lower_bound(change_list_.begin(), change_list_.end(), address,
                         [](const auto& change, std::string_view a) {
                           return change.first < a;
                         });
    if (it == change_list_.end() || it->first != address) return JValue();
    cursor = static_cast<size_t>(it - change_list_.begin()) + 1;
    return it->second;
  }
  auto it = changes_.find(address);
  if (it == changes_.end()) return JValue();
  return change_list_[it->second].second;
}

// ---------------------------------------------------------------------------
// Configuration

void PlanLoader::index_configuration(const JValue& config,
                                     const LoadContext& ctx) {
  has_configuration_ = true;
  for (auto [key, value] : config.members()) {
    if (tf::is(key, "provider_config")) {
      if (expect(ctx, value, json::Type::kObject, "\"provider_config\"")) {
        provider_config_ = value;
      }
    } else if (tf::is(key, "root_module")) {
      if (expect(ctx, value, json::Type::kObject,
                 "\"configuration.root_module\"")) {
        index_config_module(value, "", 0, ctx);
      }
    }
  }
}

void PlanLoader::index_config_module(const JValue& mod, const std::string& path,
                                     int depth, const LoadContext& ctx) {
  if (depth > 64) return;
  config_modules_[path] = mod;
  for (auto [key, value] : mod.members()) {
    if (tf::is(key, "resources")) {
      if (!expect(ctx, value, json::Type::kArray, "\"resources\"")) continue;
      for (JValue r : value.elements()) {
        if (!expect(ctx, r, json::Type::kObject, "a configuration resource"))
          continue;
        std::string_view address;
        ConfigResource cr;
        cr.module_path = path;
        for (auto [k, v] : r.members()) {
          if (tf::is(k, "address")) {
            address = v.str();
          } else if (tf::is(k, "provider_config_key")) {
            cr.provider_key = v.str();
          } else if (tf::is(k, "expressions")) {
            cr.expressions = v;
          }
        }
        if (address.empty()) continue;
        std::string full = path.empty() ? std::string(address)
                                        : path + "." + std::string(address);
        config_resources_.emplace(std::move(full), std::move(cr));
      }
    } else if (tf::is(key, "module_calls")) {
      if (!expect(ctx, value, json::Type::kObject, "\"module_calls\""))
        continue;
      for (auto [name, call] : value.members()) {
        if (!expect(ctx, call, json::Type::kObject, "a module call")) continue;
        std::string child = path.empty()
                                ? "module." + std::string(name)
                                : path + ".module." + std::string(name);
        module_calls_[child] = call;
        JValue inner = call["module"];
        if (expect(ctx, inner, json::Type::kObject, "\"module\"")) {
          index_config_module(inner, child, depth + 1, ctx);
        }
      }
    }
  }
}

const ProviderInfo& PlanLoader::provider(const std::string& key, int depth) {
  auto it = providers_.find(key);
  if (it != providers_.end()) return it->second;
  ProviderInfo info;
  size_t colon = key.rfind(':');
  std::string_view prefix = colon == std::string::npos
                                ? std::string_view()
                                : std::string_view(key).substr(0, colon);
  std::string_view local = colon == std::string::npos
                               ? std::string_view(key)
                               : std::string_view(key).substr(colon + 1);
  JValue entry = provider_config_.get(key);
  JValue exprs;
  bool inherit = false;
  if (entry.is_object()) {
    info.full_name = std::string(entry["full_name"].str());
    exprs = entry["expressions"];
    JValue dt = exprs["default_tags"];
    JValue tags = (dt.is_array() ? dt.at(0) : dt)["tags"]["constant_value"];
    if (tags.is_object()) info.default_tags = tags;
    JValue region = exprs["region"];
    if (region.present()) {
      std::string_view module_path = entry["module_address"].str();
      if (module_path.empty() && prefix.substr(0, 7) == "module.") {
        module_path = prefix;
      }
      region_from_expression(region, key, module_path, info);
    } else if (!exprs.is_object() && !prefix.empty()) {
      // A module's provider entry without a configuration block of its own
      // (required_providers only, or an older plan): the module inherits its
      // parent's default configuration.
      inherit = true;
    } else {
      info.source = "no region in provider " + key;
    }
  } else if (!prefix.empty()) {
    inherit = true;
  } else if (tf::is(key, "terraform")) {
    info.source = "builtin terraform provider (no region)";
  } else if (has_configuration_) {
    info.source = "no provider \"" + key +
                  "\" configuration block (region comes from the environment)";
  } else {
    info.source = "no configuration in the input (state output)";
  }
  if (inherit && depth < 64) {
    std::string_view parent =
        prefix.substr(0, 7) == "module." ? tf::parent_module(prefix) : "";
    std::string parent_key =
        parent.empty() ? std::string(local)
                       : std::string(parent) + ":" + std::string(local);
    const ProviderInfo& up = provider(parent_key, depth + 1);
    if (!info.full_name.empty() && !up.full_name.empty() &&
        info.full_name != up.full_name) {
      info.source = "provider " + key + " (" + info.full_name +
                    ") has no configuration of its own";
    } else {
      info.region = up.region;
      info.default_tags = up.default_tags;
      info.source = up.own_source + ", inherited by " + std::string(prefix);
      info.own_source = up.own_source;
      if (info.full_name.empty()) info.full_name = up.full_name;
    }
  }
  if (info.own_source.empty()) info.own_source = info.source;
  return providers_.emplace(key, std::move(info)).first->second;
}

void PlanLoader::region_from_expression(const JValue& expr,
                                        std::string_view key,
                                        std::string_view module_path,
                                        ProviderInfo& info) {
  std::string who = "provider " + std::string(key);
  JValue constant = expr["constant_value"];
  if (constant.is_string()) {
    info.region = std::string(constant.str());
    info.source = who + " (configuration)";
    return;
  }
  if (constant.present()) {
    info.source =
        who + " region is " +
        (constant.is_null() ? std::string("null")
                            : std::string(json::type_name(constant.type())));
    return;
  }
  // A single variable (possibly indexed: var.regions["dr"]) is resolved;
  // anything else is computed at apply time.
  std::string_view best;
  std::string_view var_name;
  std::string others;
  for (JValue r : expr["references"].elements()) {
    std::string_view ref = r.str();
    ParsedRef p = tf::parse_reference(ref, true);
    if (p.kind == ParsedRef::Kind::kVariable &&
        (var_name.empty() || var_name == p.name)) {
      var_name = p.name;
      if (ref.size() > best.size()) best = ref;
    } else {
      if (!others.empty()) others += ", ";
      others += std::string(ref);
    }
  }
  if (!best.empty() && others.empty()) {
    ParsedRef p = tf::parse_reference(best, true);
    JValue v = resolve_variable(module_path, p.name, p.steps, 0);
    if (v.is_string() && !v.str().empty()) {
      info.region = std::string(v.str());
      info.source = who + " (" + std::string(best) + ")";
    } else {
      info.source =
          who + " region is " + std::string(best) +
          (v.absent()    ? ", which has no value in the plan"
           : v.is_null() ? ", which is null in the plan (region comes from "
                           "the environment)"
                         : ", which is not a region string");
    }
    return;
  }
  if (!best.empty()) others = std::string(best) + ", " + others;
  info.source = others.empty() ? who + " region is not a constant"
                               : who + " region comes from " + others +
                                     " (not known from the plan)";
}

JValue PlanLoader::resolve_variable(std::string_view module_path,
                                    std::string_view name,
                                    std::string_view steps, int depth) {
  if (depth > 32) return {};
  JValue value;
  if (module_path.empty()) {
    JValue v = variables_.get(name);
    if (v.is_object() && v["value"].present()) {
      value = v["value"];
    } else {
      auto root = config_modules_.find("");
      if (root != config_modules_.end()) {
        value = root->second["variables"][name]["default"];
      }
    }
    return tf::follow_steps(value, steps);
  }
  std::string path(module_path);
  auto call = module_calls_.find(path);
  if (call == module_calls_.end()) return {};
  JValue arg = call->second["expressions"][name];
  if (arg.is_object()) {
    JValue constant = arg["constant_value"];
    if (constant.present()) return tf::follow_steps(constant, steps);
    std::string_view best, var_name;
    for (JValue r : arg["references"].elements()) {
      ParsedRef p = tf::parse_reference(r.str(), true);
      if (p.kind != ParsedRef::Kind::kVariable) return {};
      if (!var_name.empty() && var_name != p.name) return {};
      var_name = p.name;
      if (r.str().size() > best.size()) best = r.str();
    }
    if (best.empty()) return {};
    ParsedRef p = tf::parse_reference(best, true);
    JValue v = resolve_variable(tf::parent_module(module_path), p.name, p.steps,
                                depth + 1);
    return tf::follow_steps(v, steps);
  }
  value = call->second["module"]["variables"][name]["default"];
  return tf::follow_steps(value, steps);
}

void PlanLoader::prepare_config_resource(ConfigResource& cr) {
  cr.region_argument = cr.expressions["region"].present();
  if (cr.expressions.is_object()) {
    std::string path;
    walk_expressions(cr.expressions, path, cr, 0);
    tf::prune_references(cr.refs);
  }
}

// Whether an object of `expressions` is one expression ({"constant_value"},
// {"references"}, or {} for a non-constant expression without references)
// rather than a nested block.
bool is_expression(const JValue& v) {
  if (v.size() == 0) return true;
  for (auto [key, value] : v.members()) {
    (void)value;
    if (tf::is(key, "references") || tf::is(key, "constant_value")) return true;
  }
  return false;
}

void PlanLoader::walk_expressions(const JValue& exprs, std::string& path,
                                  ConfigResource& cr, int depth) {
  if (depth > 32) return;
  size_t base = path.size();
  for (auto [key, value] : exprs.members()) {
    path.resize(base);
    path += key;
    if (value.is_object()) {
      if (is_expression(value)) {
        JValue refs = value["references"];
        if (refs.is_array()) add_expression_refs(refs, path, cr);
        continue;
      }
      // A nested block: single (members are expressions or blocks) or a map
      // of blocks (members are expression maps).
      JValue first = (*value.members().begin()).value;
      if (first.is_array() || (first.is_object() && is_expression(first))) {
        path += '.';
        walk_expressions(value, path, cr, depth + 1);
      } else {
        size_t keyed = path.size();
        for (auto [k, block] : value.members()) {
          path.resize(keyed);
          path += "[\"";
          path += k;
          path += "\"].";
          if (block.is_object()) {
            walk_expressions(block, path, cr, depth + 1);
          }
        }
      }
    } else if (value.is_array()) {
      size_t keyed = path.size();
      size_t i = 0;
      for (JValue block : value.elements()) {
        path.resize(keyed);
        path += '[';
        path += std::to_string(i++);
        path += "].";
        if (block.is_object()) walk_expressions(block, path, cr, depth + 1);
      }
    }
  }
  path.resize(base);
}

void PlanLoader::add_expression_refs(const JValue& refs,
                                     const std::string& attribute,
                                     ConfigResource& cr) {
  auto add = [&](std::string target, const JValue& at) {
    for (const auto& r : cr.refs) {
      if (r.attribute == attribute && r.target == target) return;
    }
    Reference ref;
    ref.attribute = attribute;
    ref.target = std::move(target);
    ref.at = at;
    cr.refs.push_back(std::move(ref));
  };
  for (JValue r : refs.elements()) {
    ParsedRef p = tf::parse_reference(r.str(), true);
    if (p.kind == ParsedRef::Kind::kResource) {
      add(std::string(p.target), r);
    } else if (p.kind == ParsedRef::Kind::kModule && !p.output.empty()) {
      std::vector<std::string> targets;
      module_output_targets(cr.module_path, p.module_call, p.output, "", 0,
                            targets);
      for (auto& t : targets) add(std::move(t), r);
    }
  }
}

// The resources a module output `call.output` refers to, as addresses
// relative to the caller's module (prefix + "module.x[key].aws_vpc.this").
void PlanLoader::module_output_targets(std::string_view caller_path,
                                       std::string_view call,
                                       std::string_view output,
                                       std::string_view prefix, int depth,
                                       std::vector<std::string>& out) {
  if (depth > 16) return;
  std::string child_path =
      caller_path.empty()
          ? tf::strip_instance_keys(call)
          : std::string(caller_path) + "." + tf::strip_instance_keys(call);
  auto it = config_modules_.find(child_path);
  if (it == config_modules_.end()) return;
  std::string child_prefix = std::string(prefix) + std::string(call) + ".";
  JValue refs = it->second["outputs"][output]["expression"]["references"];
  for (JValue r : refs.elements()) {
    ParsedRef p = tf::parse_reference(r.str(), true);
    if (p.kind == ParsedRef::Kind::kResource) {
      std::string t = child_prefix + std::string(p.target);
      bool dup = false;
      for (const auto& o : out) dup = dup || o == t;
      if (!dup) out.push_back(std::move(t));
    } else if (p.kind == ParsedRef::Kind::kModule && !p.output.empty()) {
      module_output_targets(child_path, p.module_call, p.output, child_prefix,
                            depth + 1, out);
    }
  }
}

// ---------------------------------------------------------------------------
// Values

void PlanLoader::walk_module(const JValue& mod, int depth,
                             std::vector<WalkItem>& out) {
  if (depth > 64) return;
  // Like expect(), but the error becomes an item, in walk order.
  auto is = [&](const JValue& v, json::Type want, std::string_view what) {
    if (v.type() == want) return true;
    if (std::string e = shape_error(v, want, what); !e.empty()) {
      out.push_back({v, std::move(e)});
    }
    return false;
  };
  for (auto [key, value] : mod.members()) {
    if (tf::is(key, "resources")) {
      if (!is(value, json::Type::kArray, "\"resources\"")) continue;
      for (JValue r : value.elements()) out.push_back({r, {}});
    } else if (tf::is(key, "child_modules")) {
      if (!is(value, json::Type::kArray, "\"child_modules\"")) continue;
      for (JValue child : value.elements()) {
        if (is(child, json::Type::kObject, "a child module")) {
          walk_module(child, depth + 1, out);
        }
      }
    }
  }
}

void PlanLoader::load_resources(const std::vector<WalkItem>& items) {
  // What chunks share is made read-only first: the change lookup, each
  // configuration resource's references and region argument, and every
  // provider a configuration resource names.
  if (!changes_sorted_) {
    changes_.reserve(change_list_.size());
    for (size_t i = 0; i < change_list_.size(); ++i) {
      changes_[change_list_[i].first] = i;
    }
  }
  std::vector<ConfigResource*> configs;
  configs.reserve(config_resources_.size());
  for (auto& [address, cr] : config_resources_) {
    configs.push_back(&cr);
    if (!cr.provider_key.empty()) provider(std::string(cr.provider_key));
  }
  const unsigned jobs = std::max(1u, ctx_.options->document_jobs);
  parallel_for_chunks(configs.size(), 256, jobs,
                      [&](size_t, size_t begin, size_t end) {
                        for (size_t i = begin; i < end; ++i) {
                          prepare_config_resource(*configs[i]);
                        }
                      });

  // Each item loads into its own slot; the slots left empty are closed up
  // afterwards, so resources keep walk order for any job count.
  constexpr size_t kChunk = 512;
  auto& resources = ctx_.model->resources;
  const size_t base = resources.size();
  resources.resize(base + items.size());
  std::vector<char> loaded(items.size());
  std::vector<ChunkState> chunks(chunk_count(items.size(), kChunk));
  parallel_for_chunks(
      items.size(), kChunk, jobs, [&](size_t c, size_t begin, size_t end) {
        ChunkState& chunk = chunks[c];
        chunk.ctx = ctx_;
        chunk.ctx.model = &chunk.scratch;
        for (size_t i = begin; i < end; ++i) {
          const WalkItem& item = items[i];
          if (!item.error.empty()) {
            chunk.ctx.error(item.value, item.error);
          } else {
            loaded[i] = load_resource(item.value, chunk, resources[base + i]);
          }
        }
        // The walk moves through the file: let the pages behind it go (see
        // SourceFile::end_streaming), so a large plan is not resident all
        // at once.
        if (c % 4 == 3) items[begin].value.source()->end_streaming();
      });
  size_t kept = base;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!loaded[i]) continue;
    if (kept != base + i) resources[kept] = std::move(resources[base + i]);
    ++kept;
  }
  resources.resize(kept);
  for (ChunkState& chunk : chunks) report(chunk.scratch);
}

bool PlanLoader::load_resource(const JValue& r, ChunkState& chunk,
                               Resource& res) const {
  const LoadContext& ctx = chunk.ctx;
  if (!expect(ctx, r, json::Type::kObject, "a resource")) return false;
  std::string_view address, mode, type, name;
  JValue values;
  for (auto [key, value] : r.members()) {
    if (tf::is(key, "address")) {
      address = value.str();
    } else if (tf::is(key, "mode")) {
      mode = value.str();
    } else if (tf::is(key, "type")) {
      type = value.str();
    } else if (tf::is(key, "name")) {
      name = value.str();
    } else if (tf::is(key, "values")) {
      values = value;
    }
  }
  if (tf::is(mode, "data") || address.substr(0, 5) == "data.") return false;
  if (address.empty()) {
    ctx.error(r, "resource has no \"address\"");
    return false;
  }
  if (type.empty()) {
    ctx.error(r, "resource " + std::string(address) + " has no \"type\"");
    return false;
  }
  // The change: one pass for actions and after_unknown.
  JValue unknown;
  if (JValue change = find_change(address, chunk.cursor); change.present()) {
    for (auto [key, value] : change.members()) {
      if (tf::is(key, "actions")) {
        size_t n = 0;
        bool gone = false;
        for (JValue a : value.elements()) {
          ++n;
          std::string_view action = a.str();
          gone = tf::is(action, "delete") ||
                 (from_prior_state_ && tf::is(action, "forget"));
        }
        if (n == 1 && gone) return false;
      } else if (tf::is(key, "after_unknown")) {
        unknown = value;
      }
    }
  }

  res.address = std::string(address);
  res.type = std::string(type);
  auto kind = chunk.kinds.find(type);
  if (kind == chunk.kinds.end()) {
    std::string k = canonical_kind(Format::kTerraformPlan, type);
    bool taggable = is_taggable_kind(k);
    kind =
        chunk.kinds.emplace(type, std::make_pair(std::move(k), taggable)).first;
  }
  res.kind = kind->second.first;
  res.format = Format::kTerraformPlan;
  res.taggable = kind->second.second;
  res.envelope = r;
  res.at = Location::of(r);
  res.stack = ctx.stack;
  auto [module_path, local] = tf::split_module_path(address);
  res.module = std::string(module_path);
  if (values.present() && !values.is_object() && !values.is_null()) {
    expect(ctx, values, json::Type::kObject, "\"values\"");
  } else {
    res.attributes = values;
  }

  // What is unknown, and the values read here, in one pass each.
  const auto& name_attrs = name_attributes(res.kind);
  const size_t n_names = std::min<size_t>(name_attrs.size(), 8);
  bool region_unknown = false;
  uint32_t names_unknown = 0;
  JValue unknown_tags, unknown_all;
  for (auto [key, value] : unknown.members()) {
    if (tf::is(key, "region")) {
      region_unknown = is_true(value);
    } else if (tf::is(key, "tags")) {
      unknown_tags = value;
    } else if (tf::is(key, "tags_all")) {
      unknown_all = value;
    } else {
      for (size_t i = 0; i < n_names; ++i) {
        if (key == name_attrs[i] && is_true(value)) names_unknown |= 1u << i;
      }
    }
  }
  JValue tags, tags_all, region, id, arn;
  JValue names[8];
  for (auto [key, value] : res.attributes.members()) {
    if (tf::is(key, "tags")) {
      tags = value;
    } else if (tf::is(key, "tags_all")) {
      tags_all = value;
    } else if (tf::is(key, "region")) {
      region = value;
    } else if (tf::is(key, "id")) {
      id = value;
    } else if (tf::is(key, "arn")) {
      arn = value;
    } else {
      for (size_t i = 0; i < n_names; ++i) {
        if (key == name_attrs[i]) names[i] = value;
      }
    }
  }
  if (id.is_string()) res.id = std::string(id.str());
  if (arn.is_string()) res.arn = std::string(arn.str());

  // The configuration resource: module path without instance keys + the
  // resource's type.name.
  const ConfigResource* cr = nullptr;
  {
    std::string key = tf::strip_instance_keys(module_path);
    if (!key.empty()) key += '.';
    if (!name.empty()) {
      key += type;
      key += '.';
      key += name;
    } else {
      key += tf::strip_instance_keys(local);
    }
    auto it = config_resources_.find(key);
    if (it != config_resources_.end()) cr = &it->second;
  }

  const ProviderInfo* prov = nullptr;
  if (cr && !cr->provider_key.empty()) {
    res.provider_key = std::string(cr->provider_key);
    // Every configuration resource's provider was looked up before loading.
    auto it = providers_.find(res.provider_key);
    if (it != providers_.end()) prov = &it->second;
  }

  // Region: the resource's own region argument (AWS provider v6, or a
  // region attribute such as the S3 bucket's), else its provider's.
  bool region_argument = cr && cr->region_argument;
  if (region.is_string() && !region.str().empty() && !region_unknown) {
    // Provider v6 fills `region` with the provider's region when the
    // resource does not set it; say which one it was.
    res.region = std::string(region.str());
    if (region_argument) {
      res.region_source = "resource region argument";
    } else if (prov && prov->region == res.region) {
      res.region_source = prov->source;
    } else {
      res.region_source = "resource region attribute";
    }
  } else if (region_unknown && region_argument) {
    res.region_source = "resource region argument is unknown until apply";
  } else if (prov) {
    res.region = prov->region;
    res.region_source = prov->source;
  } else if (!has_configuration_) {
    res.region_source = "no configuration in the input (state output)";
  } else if (!cr) {
    res.region_source = "resource not found in the plan's configuration";
  } else {
    res.region_source = "resource has no provider_config_key";
  }

  fill_tags(res, tags, tags_all, unknown_tags, unknown_all, prov);

  // Name: the first known, non-empty name attribute.
  for (size_t i = 0; i < n_names; ++i) {
    if (!names[i].is_string() || names[i].str().empty() ||
        (names_unknown & (1u << i))) {
      continue;
    }
    res.name = std::string(names[i].str());
    res.name_attribute = std::string(name_attrs[i]);
    res.name_at = names[i];
    break;
  }

  if (cr) {
    res.references = cr->refs;
    if (!module_path.empty()) {
      std::string prefix = std::string(module_path) + ".";
      for (auto& ref : res.references) ref.target.insert(0, prefix);
    }
  }
  return true;
}

void PlanLoader::fill_tags(Resource& res, const JValue& tags,
                           const JValue& tags_all, const JValue& unknown_tags,
                           const JValue& unknown_all,
                           const ProviderInfo* prov) const {
  bool explicit_unknown = is_true(unknown_tags);
  JValue defaults = prov ? prov->default_tags : JValue();
  // Sized once: the explicit tags, and the effective set (which holds them)
  // or else the provider's defaults.
  size_t expected = tags.size() + unknown_tags.size();
  if (tags_all.is_object()) {
    expected = std::max(expected, tags_all.size() + unknown_all.size());
  } else {
    expected += defaults.size();
  }
  res.tags.reserve(expected);
  for (auto [key, value] : tags.members()) {
    if (value.is_string()) {
      res.tags.insert_or_assign(std::string(key),
                                Tag{std::string(value.str()), value, false});
    }
  }
  for (auto [key, value] : unknown_tags.members()) {
    if (is_true(value) && res.tags.find(key) == res.tags.end()) {
      res.tags.try_emplace(std::string(key));
    }
  }
  auto default_written = [&](std::string_view key, const JValue& value) {
    JValue d = defaults.get(key);
    return d.is_string() && d.str() == value.str() ? d : value;
  };
  if (tags_all.is_object() && !is_true(unknown_all)) {
    // The effective set, computed by the provider.
    for (auto [key, value] : tags_all.members()) {
      if (!value.is_string()) continue;
      if (res.tags.find(key) != res.tags.end()) continue;
      bool from_default = explicit_unknown ? defaults.get(key).present() : true;
      res.tags.emplace(std::string(key),
                       Tag{std::string(value.str()),
                           default_written(key, value), from_default});
    }
    for (auto [key, value] : unknown_all.members()) {
      if (!is_true(value)) continue;
      if (res.tags.find(key) == res.tags.end()) {
        res.tags.emplace(std::string(key), Tag{"", JValue(), true});
      }
    }
    return;
  }
  // tags_all unknown or absent: explicit tags over the provider's defaults.
  if (!defaults.is_object()) return;
  if (!res.taggable && tags.absent() && unknown_tags.absent() &&
      tags_all.absent() && unknown_all.absent()) {
    return;
  }
  for (auto [key, value] : defaults.members()) {
    if (!value.is_string() || res.tags.find(key) != res.tags.end()) continue;
    res.tags.emplace(std::string(key),
                     Tag{std::string(value.str()), value, true});
  }
}

}  // namespace

void load_tf_plan(const json::JValue& root, const LoadContext& ctx) {
  PlanLoader loader(ctx);
  loader.load(root);
}

}  // namespace drcheck
