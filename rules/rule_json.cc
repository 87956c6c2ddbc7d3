#include "rules/rule_json.h"

#include <algorithm>

namespace drcheck::rule_json {

// The member of `obj` whose key, in snake_case, is one of `names` (any
// format's spelling: copy_action, copyActions, CopyActions).
json::JValue field(const json::JValue& obj,
                   std::initializer_list<std::string_view> names) {
  if (!obj.is_object()) return {};
  for (std::string_view n : names) {
    json::JValue found;
    for (auto [k, v] : obj.members()) {
      if (k == n || snake_equals(k, n)) found = v;
    }
    if (found.present()) return found;
  }
  return {};
}

// A block list: an array, or a single object (Terraform JSON allows both).
std::vector<json::JValue> as_list(const json::JValue& v) {
  std::vector<json::JValue> out;
  if (v.is_array()) {
    for (json::JValue e : v.elements()) out.push_back(e);
  } else if (v.is_object()) {
    out.push_back(v);
  }
  return out;
}

// Whether `at` lies inside `outer` (same file, within its text).
bool within(const json::JValue& at, const json::JValue& outer) {
  if (at.absent() || outer.absent() || at.source() != outer.source()) {
    return false;
  }
  uint32_t begin = outer.offset();
  uint32_t end = begin + static_cast<uint32_t>(outer.raw().size());
  return at.offset() >= begin && at.offset() < end;
}

bool path_matches(std::string_view attribute, std::string_view path) {
  if (attribute == path) return true;
  return attribute.size() > path.size() &&
         attribute.compare(0, path.size(), path) == 0 &&
         (attribute[path.size()] == '[' || attribute[path.size()] == '.');
}

// Logical ids a CloudFormation value names through Ref, Fn::GetAtt or
// Fn::Sub (pseudo parameters excluded).
void cfn_targets(const json::JValue& v, std::vector<std::string>& out) {
  if (v.is_array()) {
    for (json::JValue e : v.elements()) cfn_targets(e, out);
    return;
  }
  if (!v.is_object()) return;
  auto add = [&](std::string_view id) {
    if (auto dot = id.find('.'); dot != std::string_view::npos) {
      id = id.substr(0, dot);
    }
    if (!id.empty() && id.substr(0, 5) != "AWS::") out.emplace_back(id);
  };
  if (v.size() == 1) {
    if (json::JValue ref = v["Ref"]; ref.is_string()) return add(ref.str());
    if (json::JValue ga = v["Fn::GetAtt"]; ga.present()) {
      return add(ga.is_array() ? ga.at(0).str() : ga.str());
    }
    if (json::JValue sub = v["Fn::Sub"]; sub.present()) {
      std::string_view s = sub.is_array() ? sub.at(0).str() : sub.str();
      for (size_t i = s.find("${"); i != std::string_view::npos;
           i = s.find("${", i + 2)) {
        size_t close = s.find('}', i);
        if (close == std::string_view::npos) break;
        if (s[i + 2] != '!') add(s.substr(i + 2, close - i - 2));
      }
      return;
    }
  }
  for (auto [k, e] : v.members()) cfn_targets(e, out);
}

// The resources of the same stack that a CloudFormation value names.
std::vector<int> cfn_resolve(const Model& model, const Resource& r,
                             const json::JValue& value) {
  std::vector<int> out;
  if (r.format != Format::kCloudFormation || value.absent()) return out;
  std::vector<std::string> ids;
  cfn_targets(value, ids);
  auto slash = r.address.rfind('/');
  std::string stack =
      slash == std::string::npos ? "" : r.address.substr(0, slash + 1);
  for (const std::string& id : ids) {
    int i = model.index_of(stack + id);
    if (i >= 0 && std::find(out.begin(), out.end(), i) == out.end()) {
      out.push_back(i);
    }
  }
  return out;
}

bool reference_matches(const Reference& ref, const json::JValue& value,
                       const std::vector<std::string>& paths) {
  if (within(ref.at, value)) return true;
  for (const std::string& p : paths) {
    if (path_matches(ref.attribute, p)) return true;
  }
  return false;
}

}  // namespace drcheck::rule_json
