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

namespace {
// ASCII classes: the same answers as <cctype> in the "C" locale drcheck runs
// in, inlined for the per-key comparisons below.
bool ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

bool snake_equals(std::string_view name, std::string_view snake) {
  // to_snake's output is at least as long as its input.
  if (name.size() > snake.size()) return false;
  size_t j = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!ascii_upper(c)) {
      if (j >= snake.size() || snake[j] != c) return false;
      ++j;
      continue;
    }
    if (i > 0) {
      char prev = name[i - 1];
      bool next_lower = i + 1 < name.size() && ascii_lower(name[i + 1]);
      if (ascii_lower(prev) || ascii_digit(prev) ||
          (ascii_upper(prev) && next_lower)) {
        if (j >= snake.size() || snake[j] != '_') return false;
        ++j;
      }
    }
    if (j >= snake.size() || snake[j] != static_cast<char>(c - 'A' + 'a')) {
      return false;
    }
    ++j;
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

std::string spell_attribute(Format format, std::string_view snake) {
  switch (format) {
    case Format::kPulumiState:
      return snake_to_camel(snake);
    case Format::kCloudFormation:
      return snake_to_pascal(snake);
    default:
      return std::string(snake);
  }
}

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
  return by_address_.find(address);
}

const std::vector<int>& Model::of_kind(std::string_view kind) const {
  auto it = by_kind_.find(kind);
  return it == by_kind_.end() ? empty_ : it->second;
}

const Resource* Model::by_id_or_arn(std::string_view value) const {
  if (value.empty()) return nullptr;
  int i = by_id_.find(value);
  return i < 0 ? nullptr : &resources[static_cast<size_t>(i)];
}

namespace {

// Counts per region name, for role inference: few distinct regions, so a
// linear search over views of the resources' own strings.
struct RegionCount {
  std::string_view region;
  int resources = 0;
  int primary_tags = 0;  // DR-Role = primary
  int dr_tags = 0;       // DR-Role = dr
};

// The region with the highest count (ties: the first name in byte order),
// other than `exclude`; "" when no count is positive. `counts` is sorted by
// region name.
std::string best_region(const std::vector<RegionCount>& counts,
                        int RegionCount::*field, std::string_view exclude) {
  std::string_view out;
  int n = 0;
  for (const RegionCount& c : counts) {
    if (c.region != exclude && c.*field > n) {
      out = c.region;
      n = c.*field;
    }
  }
  return std::string(out);
}

// The count of `region` in `counts`, added at the end when new.
RegionCount& count_of(std::vector<RegionCount>& counts,
                      std::string_view region) {
  auto c =
      std::find_if(counts.begin(), counts.end(),
                   [&](const RegionCount& x) { return x.region == region; });
  if (c != counts.end()) return *c;
  return counts.emplace_back(RegionCount{region});
}

// finalize() works on chunks of this many resources; chunk boundaries do
// not depend on the job count, and per-chunk results are merged in order.
constexpr size_t kChunk = 1024;

// What the first pass learns about one chunk of resources.
struct ChunkScan {
  // The chunk's distinct kinds in order of first appearance, and what they
  // become in the model's list of kinds.
  std::vector<std::string_view> kinds;
  std::vector<char> kind_global;
  std::vector<int> kind_group;
  // Region counts of the chunk's non-global placed resources.
  std::vector<RegionCount> regions;
};

// Adds `from` into `to` (by region name).
void add_counts(std::vector<RegionCount>& to,
                const std::vector<RegionCount>& from) {
  for (const RegionCount& f : from) {
    RegionCount& c = count_of(to, f.region);
    c.resources += f.resources;
    c.primary_tags += f.primary_tags;
    c.dr_tags += f.dr_tags;
  }
}

}  // namespace

void Model::finalize(const RoleOptions& options, unsigned jobs) {
  const size_t n = resources.size();
  const size_t chunks = chunk_count(n, kChunk);
  const bool count_regions =
      options.primary_region.empty() || options.dr_region.empty();
  std::vector<ChunkScan> scans(chunks);
  // Keys for the tables, by chunk: addresses (scope 0), addresses without
  // their instance key (scope: input), ids and ARNs (scope 0).
  StringTable::Keys addresses(chunks);
  StringTable::Keys bases(chunks);
  StringTable::Keys ids(chunks);
  // Per resource: its kind's index in its chunk's `kinds`, later the kind's
  // index in `groups`.
  std::vector<int> kind_of(n);

  // Pass 1, per chunk: hash every key, group kinds, place resources whose
  // region is unknown but whose ARN says it, count regions.
  parallel_for_chunks(n, kChunk, jobs, [&](size_t c, size_t begin, size_t end) {
    ChunkScan& scan = scans[c];
    addresses.reserve(c, end - begin);
    ids.reserve(c, 2 * (end - begin));
    StringTable kinds;
    kinds.reset(64);
    for (size_t i = begin; i < end; ++i) {
      Resource& r = resources[i];  // NOLINT: finalize fills derived fields
      int idx = static_cast<int>(i);
      std::string_view address = r.address;
      uint64_t h = StringTable::hash(address);
      addresses.add(c, h, 0, address, idx);
      if (!address.empty() && address.back() == ']') {
        auto open = address.rfind('[');
        if (open != std::string_view::npos) {
          std::string_view b = address.substr(0, open);
          bases.add(c, StringTable::hash(b), r.input, b, idx);
        }
      }
      if (!r.id.empty()) {
        ids.add(c, StringTable::hash(r.id), 0, r.id, idx);
      }
      if (!r.arn.empty()) {
        ids.add(c, StringTable::hash(r.arn), 0, r.arn, idx);
      }
      std::string_view kind = r.kind;
      uint64_t kh = StringTable::hash(kind);
      int k = kinds.find(kh, 0, kind);
      if (k < 0) {
        k = static_cast<int>(scan.kinds.size());
        kinds.emplace(kh, 0, kind, k);
        scan.kinds.push_back(kind);
        scan.kind_global.push_back(is_global_kind(kind));
      }
      kind_of[i] = k;
      if (!r.region) {
        std::string from_arn = arn_region(r.arn);
        if (!from_arn.empty()) {
          r.region = from_arn;
          r.region_source = "ARN " + r.arn;
        }
      }
      if (!count_regions || !r.region ||
          scan.kind_global[static_cast<size_t>(k)]) {
        continue;
      }
      RegionCount& rc = count_of(scan.regions, *r.region);
      rc.resources++;
      const Tag* t = r.tag("DR-Role");
      if (t && t->value == "primary") rc.primary_tags++;
      if (t && t->value == "dr") rc.dr_tags++;
    }
  });

  // Distinct kinds in order of first appearance.
  struct KindGroup {
    std::string_view kind;
    bool global = false;
    bool taggable = false;
    std::vector<int> members;
  };
  std::vector<KindGroup> groups;
  StringTable kinds;
  kinds.reset(64);
  std::vector<RegionCount> counts;
  for (ChunkScan& scan : scans) {
    for (size_t k = 0; k < scan.kinds.size(); ++k) {
      std::string_view kind = scan.kinds[k];
      uint64_t kh = StringTable::hash(kind);
      int g = kinds.find(kh, 0, kind);
      if (g < 0) {
        g = static_cast<int>(groups.size());
        kinds.emplace(kh, 0, kind, g);
        groups.push_back(
            {kind, scan.kind_global[k] != 0, is_taggable_kind(kind), {}});
      }
      scan.kind_group.push_back(g);
    }
    add_counts(counts, scan.regions);
  }

  // The indexes. Per-input addresses take precedence when references are
  // resolved, so two plans that both hold aws_vpc.main resolve their
  // references inside their own file; that needs a per-input table only for
  // addresses that occur more than once.
  // Addresses without their instance key ("aws_vpc.x" for "aws_vpc.x[0]"),
  // keyed by (input, address).
  StringTable base;
  StringTable* tables[] = {&by_address_, &by_id_, &base};
  const StringTable::Keys keys[] = {std::move(addresses), std::move(ids),
                                    std::move(bases)};
  StringTable::assign(tables, keys, jobs);
  StringTable scoped;
  if (by_address_.size() < n) {
    // Every resource whose address occurs more than once, by (input,
    // address): the first occurrence of each repeated address is marked by
    // the later ones.
    std::vector<int> first(n);
    parallel_for_chunks(n, kChunk, jobs, [&](size_t, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        first[i] = by_address_.find(resources[i].address);
      }
    });
    std::vector<char> repeated(n, 0);
    for (size_t i = 0; i < n; ++i) {
      if (first[i] != static_cast<int>(i)) {
        repeated[i] = 1;
        repeated[static_cast<size_t>(first[i])] = 1;
      }
    }
    StringTable::Keys keys(1);
    for (size_t i = 0; i < n; ++i) {
      if (!repeated[i]) continue;
      const Resource& r = resources[i];
      keys.add(0, StringTable::hash(r.address), r.input, r.address,
               static_cast<int>(i));
    }
    scoped.assign(keys, jobs);
  }

  // Roles.
  primary_region = options.primary_region;
  dr_region = options.dr_region;
  roles_inferred_from = "option";
  if (count_regions) {
    std::sort(counts.begin(), counts.end(),
              [](const RegionCount& a, const RegionCount& b) {
                return a.region < b.region;
              });
    if (primary_region.empty()) {
      // The dr region (an option here) does not compete for primary.
      primary_region =
          best_region(counts, &RegionCount::primary_tags, dr_region);
      roles_inferred_from = "DR-Role=primary tags";
      if (primary_region.empty()) {
        primary_region =
            best_region(counts, &RegionCount::resources, dr_region);
        roles_inferred_from = "most resources";
      }
    }
    if (dr_region.empty()) {
      dr_region = best_region(counts, &RegionCount::dr_tags, primary_region);
      if (dr_region.empty()) {
        dr_region =
            best_region(counts, &RegionCount::resources, primary_region);
      }
      if (options.primary_region.empty() == false) {
        roles_inferred_from = "option (primary); inferred dr";
      }
    }
  }

  // Pass 2, per chunk: taggable, role, and references: same input first,
  // then instance of a counted resource, then any input, then by literal id
  // / ARN. An address found in its own input is the first of it there.
  parallel_for_chunks(n, kChunk, jobs, [&](size_t c, size_t begin, size_t end) {
    const std::vector<int>& kind_group = scans[c].kind_group;
    for (size_t i = begin; i < end; ++i) {
      Resource& r = resources[i];  // NOLINT: finalize fills derived fields
      int g = kind_group[static_cast<size_t>(kind_of[i])];
      kind_of[i] = g;
      const KindGroup& group = groups[static_cast<size_t>(g)];
      r.taggable = group.taggable;
      if (group.global) {
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
      for (auto& ref : r.references) {
        if (ref.index >= 0) continue;
        std::string_view target = ref.target;
        uint64_t h = StringTable::hash(target);
        int found = by_address_.find(h, 0, target);
        if (found < 0) {
          found = base.find(h, r.input, target);
          if (found < 0) found = by_id_.find(h, 0, target);
        } else if (resources[static_cast<size_t>(found)].input != r.input) {
          int own = scoped.find(h, r.input, target);
          if (own < 0) own = base.find(h, r.input, target);
          if (own >= 0) found = own;
        }
        if (found >= 0) ref.index = found;
      }
    }
  });

  by_kind_.clear();
  for (size_t i = 0; i < n; ++i) {
    groups[static_cast<size_t>(kind_of[i])].members.push_back(
        static_cast<int>(i));
  }
  for (KindGroup& g : groups) by_kind_.emplace(g.kind, std::move(g.members));
}

}  // namespace drcheck
