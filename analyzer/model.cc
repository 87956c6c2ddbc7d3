#include "analyzer/model.h"

#include <algorithm>
#include <cctype>

#include "analyzer/kinds.h"

namespace drcheck {

const char* format_name(Format f) {
  switch (f) {
    case Format::kTerraformPlan:
      return "tf-plan";
    case Format::kTerraformJson:
      return "tf-json";
    case Format::kCloudFormation:
      return "cfn-json";
    case Format::kPulumiState:
      return "pulumi-state";
    case Format::kUnknown:
      break;
  }
  return "unknown";
}

const char* role_name(Role r) {
  switch (r) {
    case Role::kPrimary:
      return "primary";
    case Role::kDr:
      return "dr";
    case Role::kGlobal:
      return "global";
    case Role::kUnknown:
      break;
  }
  return "unknown";
}

std::string to_snake(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 4);
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (upper && i > 0) {
      char prev = name[i - 1];
      bool prev_lower_or_digit =
          std::islower(static_cast<unsigned char>(prev)) ||
          std::isdigit(static_cast<unsigned char>(prev));
      bool prev_upper = std::isupper(static_cast<unsigned char>(prev));
      bool next_lower = i + 1 < name.size() &&
                        std::islower(static_cast<unsigned char>(name[i + 1]));
      if (prev_lower_or_digit || (prev_upper && next_lower)) out += '_';
    }
    out += upper
               ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
               : c;
  }
  return out;
}

bool snake_equals(std::string_view name, std::string_view snake) {
  // to_snake's output is at least as long as its input.
  if (name.size() > snake.size()) return false;
  size_t j = 0;
  auto emit = [&](char c) {
    if (j >= snake.size() || snake[j] != c) return false;
    ++j;
    return true;
  };
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (!upper) {
      if (!emit(c)) return false;
      continue;
    }
    if (i > 0) {
      char prev = name[i - 1];
      bool prev_lower_or_digit =
          std::islower(static_cast<unsigned char>(prev)) ||
          std::isdigit(static_cast<unsigned char>(prev));
      bool prev_upper = std::isupper(static_cast<unsigned char>(prev));
      bool next_lower = i + 1 < name.size() &&
                        std::islower(static_cast<unsigned char>(name[i + 1]));
      if ((prev_lower_or_digit || (prev_upper && next_lower)) && !emit('_')) {
        return false;
      }
    }
    if (!emit(static_cast<char>(std::tolower(static_cast<unsigned char>(c))))) {
      return false;
    }
  }
  return j == snake.size();
}

std::string snake_to_camel(std::string_view snake) {
  std::string out;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out +=
        up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string snake_to_pascal(std::string_view snake) {
  std::string out = snake_to_camel(snake);
  if (!out.empty()) {
    out[0] =
        static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  }
  return out;
}

namespace {

// Whether `key` (camelCase, PascalCase or snake_case) names the same
// attribute as `snake`, without allocating.
bool same_attribute(std::string_view key, std::string_view snake) {
  if (key == snake) return true;
  // Compare letters only, case-insensitively, and require the word breaks of
  // `snake` to fall where `key` has an upper-case letter or an underscore.
  size_t i = 0, j = 0;
  while (i < key.size() && j < snake.size()) {
    char k = key[i];
    char s = snake[j];
    if (s == '_') {
      if (k == '_') ++i;
      ++j;
      continue;
    }
    if (k == '_') return false;
    if (std::tolower(static_cast<unsigned char>(k)) != s) return false;
    ++i;
    ++j;
  }
  return i == key.size() && j == snake.size();
}

}  // namespace

json::JValue Resource::attr(std::string_view snake) const {
  if (!attributes.is_object()) return {};
  if (format == Format::kTerraformPlan || format == Format::kTerraformJson) {
    return attributes.get(snake);
  }
  json::JValue found;
  for (auto [key, value] : attributes.members()) {
    if (same_attribute(key, snake)) found = value;
  }
  return found;
}

const Reference* Resource::ref(std::string_view path) const {
  for (const auto& r : references) {
    if (r.attribute == path) return &r;
  }
  for (const auto& r : references) {
    if (r.attribute.size() > path.size() &&
        r.attribute.compare(0, path.size(), path) == 0 &&
        (r.attribute[path.size()] == '[' || r.attribute[path.size()] == '.')) {
      return &r;
    }
  }
  return nullptr;
}

const Tag* Resource::tag(std::string_view key) const {
  auto it = tags.find(key);
  return it == tags.end() ? nullptr : &it->second;
}

bool looks_like_region(std::string_view s) {
  // e.g. us-east-1, eu-central-2, ap-southeast-3, us-gov-west-1, cn-north-1
  if (s.size() < 9 || s.size() > 20) return false;
  auto dash = s.find('-');
  if (dash != 2) return false;
  if (!std::isdigit(static_cast<unsigned char>(s.back()))) return false;
  if (s[s.size() - 2] != '-') return false;
  for (char c : s) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return true;
}

namespace {
std::string_view arn_field(std::string_view arn, int field) {
  if (arn.substr(0, 4) != "arn:") return {};
  size_t start = 0;
  for (int i = 0; i < field; ++i) {
    size_t c = arn.find(':', start);
    if (c == std::string_view::npos) return {};
    start = c + 1;
  }
  size_t end = arn.find(':', start);
  if (end == std::string_view::npos) return {};
  return arn.substr(start, end - start);
}
}  // namespace

std::string arn_region(std::string_view arn) {
  std::string_view r = arn_field(arn, 3);
  return looks_like_region(r) ? std::string(r) : std::string();
}

std::string arn_account(std::string_view arn) {
  std::string_view a = arn_field(arn, 4);
  for (char c : a) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  }
  return std::string(a);
}

const Resource* Model::find(std::string_view address) const {
  int i = index_of(address);
  return i < 0 ? nullptr : &resources[static_cast<size_t>(i)];
}

int Model::index_of(std::string_view address) const {
  auto it = by_address_.find(address);
  return it == by_address_.end() ? -1 : it->second;
}

const std::vector<int>& Model::of_kind(std::string_view kind) const {
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? empty_ : it->second;
}

const Resource* Model::by_id_or_arn(std::string_view value) const {
  if (value.empty()) return nullptr;
  auto it = by_id_.find(value);
  return it == by_id_.end() ? nullptr
                            : &resources[static_cast<size_t>(it->second)];
}

namespace {

// (input, address) keys over string_views into the resources' own strings;
// valid while `resources` is not modified, which finalize() guarantees.
struct ScopedKey {
  int input;
  std::string_view address;
  bool operator==(const ScopedKey& o) const {
    return input == o.input && address == o.address;
  }
};
struct ScopedKeyHash {
  size_t operator()(const ScopedKey& k) const {
    return std::hash<std::string_view>()(k.address) * 31 +
           static_cast<size_t>(k.input);
  }
};

}  // namespace

void Model::finalize(const RoleOptions& options) {
  by_address_.clear();
  by_kind_.clear();
  by_id_.clear();
  by_address_.reserve(resources.size());
  by_id_.reserve(resources.size() * 2);
  // Per-input address maps take precedence, so two plans that both hold
  // aws_vpc.main resolve their references inside their own file.
  std::unordered_map<ScopedKey, int, ScopedKeyHash> scoped, base;
  scoped.reserve(resources.size());
  for (size_t i = 0; i < resources.size(); ++i) {
    Resource& r = resources[i];  // NOLINT: finalize fills derived fields
    int idx = static_cast<int>(i);
    std::string_view address = r.address;
    by_address_.emplace(address, idx);
    scoped.emplace(ScopedKey{r.input, address}, idx);
    if (!address.empty() && address.back() == ']') {
      auto open = address.rfind('[');
      if (open != std::string_view::npos) {
        base.emplace(ScopedKey{r.input, address.substr(0, open)}, idx);
      }
    }
    r.taggable = is_taggable_kind(r.kind);
    by_kind_[r.kind].push_back(idx);
    if (!r.id.empty()) by_id_.emplace(r.id, idx);
    if (!r.arn.empty()) by_id_.emplace(r.arn, idx);
  }

  // Resolve references: same input first, then instance of a counted
  // resource, then any input, then by literal id / ARN.
  for (auto& r : resources) {
    for (auto& ref : r.references) {
      if (ref.index >= 0) continue;
      ScopedKey key{r.input, ref.target};
      if (auto it = scoped.find(key); it != scoped.end()) {
        ref.index = it->second;
      } else if (auto b = base.find(key); b != base.end()) {
        ref.index = b->second;
      } else if (auto g = by_address_.find(ref.target);
                 g != by_address_.end()) {
        ref.index = g->second;
      } else if (auto id = by_id_.find(ref.target); id != by_id_.end()) {
        ref.index = id->second;
      }
    }
  }

  // Place resources whose region is unknown but whose ARN says it.
  for (auto& r : resources) {
    if (r.region) continue;
    std::string from_arn = arn_region(r.arn);
    if (!from_arn.empty()) {
      r.region = from_arn;
      r.region_source = "ARN " + r.arn;
    }
  }

  // Roles.
  primary_region = options.primary_region;
  dr_region = options.dr_region;
  roles_inferred_from = "option";
  if (primary_region.empty() || dr_region.empty()) {
    std::map<std::string, int> primary_tags, per_region;
    for (const auto& r : resources) {
      if (!r.region || is_global_kind(r.kind)) continue;
      per_region[*r.region]++;
      const Tag* t = r.tag("DR-Role");
      if (t && t->value == "primary") primary_tags[*r.region]++;
    }
    auto best = [](const std::map<std::string, int>& m,
                   const std::string& exclude) {
      std::string out;
      int n = 0;
      for (const auto& [region, count] : m) {  // ordered: ties -> first name
        if (region != exclude && count > n) {
          out = region;
          n = count;
        }
      }
      return out;
    };
    if (primary_region.empty()) {
      if (!dr_region.empty()) per_region.erase(dr_region);
      primary_region = best(primary_tags, dr_region);
      roles_inferred_from = "DR-Role=primary tags";
      if (primary_region.empty()) {
        primary_region = best(per_region, dr_region);
        roles_inferred_from = "most resources";
      }
    }
    if (dr_region.empty()) {
      std::map<std::string, int> dr_tags;
      for (const auto& r : resources) {
        if (!r.region || is_global_kind(r.kind)) continue;
        const Tag* t = r.tag("DR-Role");
        if (t && t->value == "dr") dr_tags[*r.region]++;
      }
      dr_region = best(dr_tags, primary_region);
      if (dr_region.empty()) dr_region = best(per_region, primary_region);
      if (options.primary_region.empty() == false) {
        roles_inferred_from = "option (primary); inferred dr";
      }
    }
  }
  for (auto& r : resources) {
    if (is_global_kind(r.kind)) {
      r.role = Role::kGlobal;
    } else if (!r.region) {
      r.role = Role::kUnknown;
    } else if (*r.region == primary_region) {
      r.role = Role::kPrimary;
    } else if (*r.region == dr_region) {
      r.role = Role::kDr;
    } else {
      r.role = Role::kUnknown;
    }
  }
}

}  // namespace drcheck
