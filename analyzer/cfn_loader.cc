// cfn_loader.cc: CloudFormation JSON templates -> Resources.
//
// One resource per member of "Resources". The address is "STACK/LogicalId"
// (STACK: the cdk.out stack name, else the file's base name). A template
// says nothing about its region: it comes from the cdk.out environment or
// --region FILE=REGION, and is null otherwise (the AWS::Region pseudo
// parameter is resolved only at deploy time, so it is never a region here).
//
// References are the intrinsics that name another resource of the same
// template — {"Ref": "X"}, {"Fn::GetAtt": ["X", "Attr"]} / "X.Attr" and the
// ${X} / ${X.Attr} variables of Fn::Sub — wherever they occur in Properties,
// keyed by the snake_case path of the property that holds them
// ("backup_plan.backup_plan_rule[0].target_backup_vault"). Intrinsics do not
// add to the path: a Ref inside an Fn::Join belongs to the property holding
// the Fn::Join, and both branches of an Fn::If stand for the property itself.
// Refs to parameters and pseudo parameters are not references.
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include "analyzer/cfn_common.h"
#include "analyzer/kinds.h"
#include "analyzer/loader.h"

namespace drcheck {

std::string_view cfn_intrinsic_name(const json::JValue& v) {
  if (!v.is_object()) return {};
  std::string_view name;
  int n = 0;
  for (auto [key, value] : v.members()) {
    (void)value;
    if (++n > 1) return {};
    name = key;
  }
  if (name == "Ref" || name == "Condition" || name.substr(0, 4) == "Fn::") {
    return name;
  }
  return {};
}

std::string cfn_stack_name_from_file(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  for (std::string_view suffix : {".template.json", ".json"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

namespace {

using json::JValue;

std::string what(const JValue& v) { return json::type_name(v.type()); }

// Collects the references of one resource's Properties.
class RefCollector {
 public:
  RefCollector(const std::unordered_set<std::string_view>& ids,
               const std::string& stack, Resource& r)
      : ids_(ids), stack_(stack), r_(r) {}

  // Walks `v`, found at snake_case `path` (extended in place, restored).
  // Inside an intrinsic's arguments the path is `frozen`: a Ref inside an
  // Fn::Join belongs to the property holding the Fn::Join.
  void walk(const JValue& v, std::string& path, bool frozen = false) {
    if (v.is_array()) {
      size_t len = path.size();
      size_t i = 0;
      for (JValue e : v.elements()) {
        if (!frozen) {
          path += '[';
          path += std::to_string(i++);
          path += ']';
        }
        walk(e, path, frozen);
        path.resize(len);
      }
      return;
    }
    if (!v.is_object()) return;
    std::string_view fn = cfn_intrinsic_name(v);
    if (!fn.empty()) {
      intrinsic(fn, v.get(fn), path, frozen);
      return;
    }
    size_t len = path.size();
    for (auto [key, value] : v.members()) {
      if (!frozen) {
        if (!path.empty()) path += '.';
        path += to_snake(key);
      }
      walk(value, path, frozen);
      path.resize(len);
    }
  }

 private:
  void intrinsic(std::string_view fn, const JValue& arg, std::string& path,
                 bool frozen) {
    if (fn == "Ref") {
      if (arg.is_string()) add(arg.str(), path, arg);
      return;
    }
    if (fn == "Condition") return;
    if (fn == "Fn::GetAtt") {
      if (arg.is_array()) {
        JValue id = arg.at(0);
        if (id.is_string()) add(id.str(), path, id);
        walk(arg.at(1), path, true);  // the attribute name may be a Ref
      } else if (arg.is_string()) {
        std::string_view s = arg.str();
        add(s.substr(0, s.find('.')), path, arg);
      }
      return;
    }
    if (fn == "Fn::Sub") {
      if (arg.is_string()) {
        sub(arg, JValue(), path);
      } else if (arg.is_array()) {
        JValue vars = arg.at(1);
        sub(arg.at(0), vars, path);
        for (auto [name, value] : vars.members()) {
          (void)name;
          walk(value, path, true);
        }
      }
      return;
    }
    if (fn == "Fn::If") {
      // [condition, value if true, value if false]: both values stand for
      // the property itself.
      walk(arg.at(1), path, frozen);
      walk(arg.at(2), path, frozen);
      return;
    }
    walk(arg, path, true);  // Fn::Join, Fn::Select, ...: look inside
  }

  // The ${Name} and ${Name.Attr} variables of an Fn::Sub string; ${!Text}
  // is a literal and names bound in `vars` are local.
  void sub(const JValue& s, const JValue& vars, const std::string& path) {
    std::string_view text = s.str();
    size_t pos = 0;
    while ((pos = text.find("${", pos)) != std::string_view::npos) {
      size_t end = text.find('}', pos + 2);
      if (end == std::string_view::npos) break;
      std::string_view var = text.substr(pos + 2, end - pos - 2);
      pos = end + 1;
      if (var.empty() || var[0] == '!') continue;
      std::string_view name = var.substr(0, var.find('.'));
      if (vars.get(name).present()) continue;
      add(name, path, s);
    }
  }

  void add(std::string_view id, const std::string& path, const JValue& at) {
    if (ids_.find(id) == ids_.end()) return;
    std::string target = stack_ + "/" + std::string(id);
    // The same target at the same path once (Fn::Sub may name it twice).
    // Most resources have a few references: scan them; index the rest.
    auto& refs = r_.references;
    if (refs.size() < kScanLimit) {
      for (const auto& ref : refs) {
        if (ref.attribute == path && ref.target == target) return;
      }
    } else {
      if (seen_.empty()) {
        for (const auto& ref : refs) {
          seen_.insert(ref.attribute + '\x1f' + ref.target);
        }
      }
      if (!seen_.insert(path + '\x1f' + target).second) return;
    }
    Reference ref;
    ref.attribute = path;
    ref.target = std::move(target);
    ref.at = at;
    r_.references.push_back(std::move(ref));
  }

  static constexpr size_t kScanLimit = 16;
  const std::unordered_set<std::string_view>& ids_;
  const std::string& stack_;
  Resource& r_;
  std::unordered_set<std::string> seen_;
};

// Records one tag. A value that is not a literal string (a Ref, an Fn::Sub,
// ...) is only known at deploy time: the tag is recorded as present with an
// empty value and `at` on the intrinsic object, so DR001 can tell it apart
// from a literal "" (at.is_string()) and skip it rather than flag it.
void put_tag(Resource& r, std::string_view key, const JValue& value,
             const JValue& key_at) {
  Tag t;
  if (value.is_string()) t.value = std::string(value.str());
  t.at = value.present() ? value : key_at;
  r.tags.insert_or_assign(std::string(key), std::move(t));
}

void read_tags(const JValue& tags, Resource& r, const LoadContext& ctx) {
  if (!cfn_intrinsic_name(tags).empty()) return;  // whole list computed
  if (tags.is_array()) {
    for (JValue e : tags.elements()) {
      if (!e.is_object()) {
        ctx.error(e, "a tag of resource \"" + r.address +
                         "\" must be an object with \"Key\" and \"Value\", "
                         "not " +
                         what(e));
        continue;
      }
      // {"Fn::If": [cond, {tag}, {"Ref": "AWS::NoValue"}]}: a conditional tag.
      if (!cfn_intrinsic_name(e).empty()) continue;
      JValue key, value;
      for (auto [k, v] : e.members()) {
        if (k == "Key") {
          key = v;
        } else if (k == "Value") {
          value = v;
        }
      }
      if (key.is_string()) {
        put_tag(r, key.str(), value, key);
      } else if (key.absent()) {
        ctx.error(e, "a tag of resource \"" + r.address + "\" has no \"Key\"");
      } else if (cfn_intrinsic_name(key).empty()) {
        ctx.error(key, "the \"Key\" of a tag of resource \"" + r.address +
                           "\" must be a string, not " + what(key));
      }
    }
    return;
  }
  if (tags.is_object()) {  // map form (SSM Parameter, Backup, SAM, ...)
    for (auto [k, v] : tags.members()) put_tag(r, k, v, v);
    return;
  }
  ctx.error(tags, "the tags of resource \"" + r.address +
                      "\" must be a list of {\"Key\", \"Value\"} or a map, "
                      "not " +
                      what(tags));
}

// The property holding tags for `type` besides "Tags".
std::string_view extra_tags_key(std::string_view type) {
  if (type == "AWS::Backup::BackupVault") return "BackupVaultTags";
  if (type == "AWS::Backup::BackupPlan") return "BackupPlanTags";
  if (type == "AWS::Route53::HostedZone") return "HostedZoneTags";
  if (type == "AWS::Route53::HealthCheck") return "HealthCheckTags";
  return {};
}

}  // namespace

void load_cfn(const json::JValue& root, const LoadContext& ctx) {
  JValue resources = root["Resources"];
  if (resources.absent()) return;
  if (!resources.is_object()) {
    ctx.error(resources,
              "\"Resources\" must be an object of logical id -> resource, "
              "not " +
                  what(resources));
    return;
  }
  const std::string stack =
      ctx.stack.empty() ? cfn_stack_name_from_file(ctx.file) : ctx.stack;

  std::unordered_set<std::string_view> ids;
  size_t count = 0;
  for (auto [id, res] : resources.members()) {
    if (res.is_object()) ids.insert(id);
    ++count;
  }

  auto& out = ctx.model->resources;
  out.reserve(out.size() + count);
  std::string path;
  for (auto [id, res] : resources.members()) {
    const std::string address = stack + "/" + std::string(id);
    if (!res.is_object()) {
      ctx.error(res, "resource \"" + address + "\" must be an object, not " +
                         what(res));
      continue;
    }
    JValue type, props, meta;
    for (auto [k, v] : res.members()) {
      if (k == "Type") {
        type = v;
      } else if (k == "Properties") {
        props = v;
      } else if (k == "Metadata") {
        meta = v;
      }
    }
    if (type.absent()) {
      ctx.error(res, "resource \"" + address + "\" has no \"Type\"");
      continue;
    }
    if (!type.is_string()) {
      ctx.error(type, "the \"Type\" of resource \"" + address +
                          "\" must be a string, not " + what(type));
      continue;
    }
    if (props.present() && !props.is_object()) {
      ctx.error(props, "the \"Properties\" of resource \"" + address +
                           "\" must be an object, not " + what(props) +
                           "; the resource is skipped");
      continue;
    }

    Resource r;
    r.address = address;
    r.type = std::string(type.str());
    r.kind = canonical_kind(Format::kCloudFormation, r.type);
    r.format = Format::kCloudFormation;
    r.input = ctx.input;
    r.stack = stack;
    r.account = ctx.account;
    r.attributes = props;
    r.envelope = res;
    r.at = Location::of(res);
    r.taggable = is_taggable_kind(r.kind);
    if (!ctx.region.empty()) {
      r.region = ctx.region;
      r.region_source = "--region for " + ctx.file;
    } else {
      r.region_source =
          "CloudFormation template has no region (use --region FILE=REGION "
          "or a cdk.out)";
    }

    if (meta.is_object()) {
      JValue p = meta["aws:cdk:path"];
      if (p.is_string()) r.construct_path = std::string(p.str());
    } else if (meta.present()) {
      ctx.error(meta, "the \"Metadata\" of resource \"" + address +
                          "\" must be an object, not " + what(meta));
    }

    RefCollector refs(ids, stack, r);
    std::string_view extra_tags = extra_tags_key(r.type);
    for (auto [k, v] : props.members()) {
      if (k == "Tags" || (!extra_tags.empty() && k == extra_tags)) {
        read_tags(v, r, ctx);
      }
      path = to_snake(k);
      refs.walk(v, path);
    }
    if (r.type == "AWS::DynamoDB::GlobalTable") {
      // Tags live on each replica: take the replica in this stack's region,
      // else the first one.
      JValue chosen;
      for (JValue replica : props["Replicas"].elements()) {
        if (chosen.absent()) chosen = replica;
        if (!ctx.region.empty() && replica["Region"].str() == ctx.region) {
          chosen = replica;
        }
      }
      if (chosen["Tags"].present()) read_tags(chosen["Tags"], r, ctx);
    }

    for (std::string_view name_attr : name_attributes(r.kind)) {
      JValue v = r.attr(name_attr);
      if (v.absent()) continue;
      if (v.is_string()) {
        r.name = std::string(v.str());
        r.name_attribute = std::string(name_attr);
        r.name_at = v;
      }
      break;  // a computed name (Fn::Sub, ...) is unknown, not absent
    }
    out.push_back(std::move(r));
  }
}

}  // namespace drcheck
