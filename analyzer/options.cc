#include "analyzer/options.h"

#include "analyzer/json.h"

namespace drcheck {

const char* profile_name(Profile p) {
  return p == Profile::kEphemeral ? "ephemeral" : "production";
}

namespace {

bool fail(Diagnostic& error, const json::JValue& at, const std::string& msg) {
  Position p = at.position();
  error.file = at.present() ? at.source()->path() : error.file;
  error.line = p.line;
  error.column = p.column;
  error.message = msg;
  return false;
}

bool get_string(const json::JValue& v, std::string& out, Diagnostic& error) {
  if (!v.is_string()) {
    return fail(error, v,
                "config key \"" + std::string(v.key()) +
                    "\" must be a string, "
                    "not " +
                    json::type_name(v.type()));
  }
  out = std::string(v.str());
  return true;
}

}  // namespace

bool load_config_file(const std::string& path, ScanOptions& options,
                      Diagnostic& error) {
  error = Diagnostic{};
  error.file = path;
  auto doc = json::parse_file(path, uint64_t{16} << 20, error);
  if (!doc) return false;
  json::JValue root = doc->root();
  if (!root.is_object()) {
    return fail(error, root, "a config file must be a JSON object");
  }
  for (auto [key, v] : root.members()) {
    if (key == "primary_region") {
      if (!get_string(v, options.primary_region, error)) return false;
    } else if (key == "dr_region") {
      if (!get_string(v, options.dr_region, error)) return false;
    } else if (key == "env_suffix") {
      if (!get_string(v, options.env_suffix, error)) return false;
    } else if (key == "profile") {
      std::string p;
      if (!get_string(v, p, error)) return false;
      if (p == "production") {
        options.profile = Profile::kProduction;
      } else if (p == "ephemeral") {
        options.profile = Profile::kEphemeral;
      } else {
        return fail(error, v,
                    "profile must be \"production\" or \"ephemeral\", not \"" +
                        p + "\"");
      }
    } else if (key == "required_tags") {
      if (!v.is_array()) {
        return fail(error, v, "required_tags must be an array of strings");
      }
      options.required_tags.clear();
      for (json::JValue t : v.elements()) {
        if (!t.is_string() || t.str().empty()) {
          return fail(error, t, "required_tags must hold non-empty strings");
        }
        options.required_tags.emplace_back(t.str());
      }
    } else if (key == "dr_role_pattern") {
      if (!get_string(v, options.dr_role_pattern, error)) return false;
    } else if (key == "fail_on") {
      if (!get_string(v, options.fail_on, error)) return false;
      if (options.fail_on != "error" && options.fail_on != "warning" &&
          options.fail_on != "note" && options.fail_on != "never") {
        return fail(error, v, "fail_on must be error, warning, note or never");
      }
    } else if (key == "suppressions") {
      if (!get_string(v, options.suppressions_file, error)) return false;
    } else if (key == "regions") {
      if (!v.is_object()) {
        return fail(error, v, "regions must map template paths to regions");
      }
      for (auto [file, region] : v.members()) {
        if (!region.is_string()) {
          return fail(error, region, "region must be a string");
        }
        options.regions[std::string(file)] = std::string(region.str());
      }
    } else if (key == "rules") {
      if (!v.is_object()) {
        return fail(error, v, "rules must be an object keyed by rule id");
      }
      for (auto [id, setting] : v.members()) {
        if (!setting.is_object()) {
          return fail(error, setting,
                      "rules." + std::string(id) +
                          " must be an object like {\"enabled\": false, "
                          "\"level\": \"warning\"}");
        }
        RuleSetting& rs = options.rules[std::string(id)];
        for (auto [sk, sv] : setting.members()) {
          if (sk == "enabled") {
            if (!sv.is_bool()) {
              return fail(error, sv, "enabled must be true or false");
            }
            rs.enabled = *sv.boolean();
          } else if (sk == "level") {
            std::string l;
            if (!get_string(sv, l, error)) return false;
            if (l != "error" && l != "warning" && l != "note" && l != "none") {
              return fail(error, sv,
                          "level must be error, warning, note or none");
            }
            rs.level = l;
          } else {
            return fail(error, sv,
                        "unknown key \"" + std::string(sk) + "\" in rules." +
                            std::string(id) + " (enabled, level)");
          }
        }
      }
    } else {
      return fail(error, v,
                  "unknown config key \"" + std::string(key) +
                      "\" (known: primary_region, dr_region, env_suffix, "
                      "profile, required_tags, dr_role_pattern, rules, "
                      "fail_on, suppressions, regions)");
    }
  }
  return true;
}

}  // namespace drcheck
