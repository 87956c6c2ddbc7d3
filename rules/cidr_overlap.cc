#include "rules/cidr_overlap.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

namespace drcheck {

namespace {

const RuleMeta kMeta{
    .id = "DR004",
    .name = "cidr-overlap",
    .short_description =
        "Peered or transit-gateway-connected VPCs, sibling subnets and "
        "peering routes must not have overlapping CIDR blocks.",
    .full_description =
        "VPCs joined by a VPC peering connection or attached to the same "
        "transit gateway must have disjoint CIDR blocks (secondary IPv4 "
        "blocks and IPv6 blocks included): AWS does not peer overlapping "
        "VPCs and a transit gateway cannot route to both of two overlapping "
        "ranges, so the primary and the disaster-recovery region cannot "
        "reach each other when a failover needs them to. The subnets "
        "of one VPC must be disjoint and inside the VPC's blocks, and a route "
        "that sends traffic to a peering connection must not target a range "
        "that overlaps the route table's own VPC. A peering whose peer VPC is "
        "not in the analyzed inputs is matched to the only VPC of the peer "
        "region; when that is not possible the peer's ranges are unknown and "
        "the result is a note.",
    .help_markdown =
        "Give every VPC that is peered or shares a transit gateway its own "
        "range, e.g. `10.0.0.0/16` in the primary region and `10.1.0.0/16` in "
        "the DR region, and carve subnets out of the VPC's range without "
        "overlap:\n\n"
        "```hcl\n"
        "resource \"aws_vpc\" \"dr\" {\n"
        "  provider   = aws.dr\n"
        "  cidr_block = \"10.1.0.0/16\"   # not the primary's 10.0.0.0/16\n"
        "}\n"
        "```\n\n"
        "A route to a peering connection must name the peer's range, never "
        "one that overlaps the local VPC. Suppress a finding with the tag "
        "`drcheck:skip` = `DR004` on the reported resource, CloudFormation "
        "`Metadata.drcheck.skip`, or a suppressions file entry with a "
        "justification. See docs/rules/DR004.md.",
    .default_level = Level::kError,
    .tags = {"dr", "network", "vpc", "reliability"},
    .security_severity = "5.0",
    .precision = "very-high",
    .cost = 4,
};

constexpr std::string_view kPulumiUnknown =
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

int fam(const Cidr& c) { return c.is_v4() ? 0 : 1; }
const char* family_name(int f) { return f == 0 ? "IPv4" : "IPv6"; }

std::string region_of(const Resource& r) {
  return r.region ? *r.region : std::string("region unknown");
}

// A value as shown in a message: quoted, unprintable bytes escaped, long
// values cut.
std::string shown(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "'";
  size_t n = 0;
  for (char c : s) {
    if (++n > 60) {
      out += "...";
      break;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  out += "'";
  return out;
}

// The member `snake` of an inline object, in whichever spelling the format
// uses (cidr_block / cidrBlock / CidrBlock).
json::JValue member(const json::JValue& obj, std::string_view snake) {
  json::JValue v = obj.get(snake);
  if (v.present()) return v;
  std::string camel = snake_to_camel(snake);
  v = obj.get(camel);
  if (v.present()) return v;
  return obj.get(snake_to_pascal(snake));
}

// One CIDR block of a VPC or subnet, with where it was written.
struct Block {
  Cidr cidr;
  int resource = -1;  // the resource that holds it (VPC, association, ...)
  json::JValue at;    // the attribute value
};

struct Vpc {
  int index = -1;
  std::vector<Block> blocks;  // sorted by cidr_order
  std::vector<int> roots;     // blocks inside no other block (disjoint)
  std::array<size_t, 2> count = {0, 0};          // blocks per family
  std::array<bool, 2> unknown = {false, false};  // some block not known
};

enum class State { kAbsent, kNone, kUnknown, kInvalid, kOk };

struct Read {
  State state = State::kAbsent;
  std::optional<Cidr> cidr;
};

bool set_flag(const Resource& r, std::string_view snake) {
  json::JValue v = r.attr(snake);
  if (v.is_bool()) return *v.boolean();
  if (v.is_string()) return !v.str().empty() && v.str() != "false";
  return v.present() && !v.is_null();  // a computed expression
}

class Checker {
 public:
  Checker(const Model& model, std::vector<Finding>& out)
      : model_(model), out_(out), finder_(model) {}

  void run() {
    collect_vpcs();
    check_subnets();
    check_peerings();
    check_transit_gateways();
    check_routes();
  }

 private:
  const Resource& res(int i) const {
    return model_.resources[static_cast<size_t>(i)];
  }
  int index_of(const Resource& r) const {
    return static_cast<int>(&r - model_.resources.data());
  }

  // Reads a CIDR attribute value. A literal that does not parse is reported
  // on `resource`, naming the attribute `name`.
  Read read(int resource, const json::JValue& v, std::string_view name) {
    Read r;
    if (v.absent()) {
      // Terraform plans omit values that are known only after apply.
      r.state = res(resource).format == Format::kTerraformPlan ? State::kUnknown
                                                               : State::kAbsent;
      return r;
    }
    if (v.is_null()) {
      r.state = State::kNone;
      return r;
    }
    if (!v.is_string()) {
      r.state = State::kUnknown;  // an intrinsic function, an expression
      return r;
    }
    std::string_view s = v.str();
    if (s.empty()) {
      r.state = State::kNone;
      return r;
    }
    std::string error;
    if (cidr_overlap::is_unknown_text(s)) {
      cidr_overlap::Evaluated e;
      if (res(resource).format == Format::kTerraformJson) {
        e = cidr_overlap::evaluate_cidr_expression(
            s, [&](std::string_view path) {
              return literal(resource, name, path, 0);
            });
      }
      if (!e.evaluated) {
        r.state = State::kUnknown;
        return r;
      }
      r.cidr = e.cidr;
      error = e.error;
    } else {
      r.cidr = parse_cidr(s, &error);
    }
    if (r.cidr) {
      r.state = State::kOk;
      return r;
    }
    r.state = State::kInvalid;
    Finding f;
    f.level = Level::kError;
    f.resource = resource;
    f.at = v;
    f.message =
        std::string(name) + " " + shown(s) + " is not a valid CIDR: " + error;
    f.facts = {res(resource).address, std::string(name), std::string(s)};
    out_.push_back(std::move(f));
    return r;
  }

  // The literal text that `path` (e.g. "aws_vpc.main.cidr_block"), written
  // in attribute `attribute` of `resource`, names: the attribute of the
  // referenced resource, itself evaluated when it is an expression.
  std::optional<std::string_view> literal(int resource,
                                          std::string_view attribute,
                                          std::string_view path, int depth) {
    size_t dot = path.rfind('.');
    if (dot == std::string_view::npos || depth > 4) return std::nullopt;
    std::string_view target = path.substr(0, dot);
    std::string_view attr = path.substr(dot + 1);
    for (const auto& ref : res(resource).references) {
      if (ref.index < 0 || ref.attribute != attribute) continue;
      std::string_view t = ref.target;
      bool same =
          t == target || (t.size() > target.size() && t.ends_with(target) &&
                          t[t.size() - target.size() - 1] == '.');
      if (!same) continue;
      json::JValue v = res(ref.index).attr(attr);
      if (!v.is_string()) return std::nullopt;
      std::string_view s = v.str();
      if (!cidr_overlap::is_unknown_text(s)) return s;
      // One more level: a VPC whose block is itself an expression.
      cidr_overlap::Evaluated e =
          cidr_overlap::evaluate_cidr_expression(s, [&](std::string_view p) {
            return literal(ref.index, attr, p, depth + 1);
          });
      if (!e.cidr) return std::nullopt;
      computed_.push_back(std::string(e.cidr->text()));
      return std::string_view(computed_.back());
    }
    return std::nullopt;
  }

  Read read_attr(int resource, std::string_view snake) {
    json::JValue v = res(resource).attr(snake);
    std::string_view key = v.key();
    return read(resource, v, key.empty() ? snake : key);
  }

  // The VPC record of resource `index`; nullptr when it is not a VPC.
  const Vpc* vpc_at(int index) const {
    int slot = slot_of(index);
    return slot < 0 ? nullptr : &vpcs_[static_cast<size_t>(slot)];
  }
  Vpc* mutable_vpc(int index) {
    int slot = slot_of(index);
    return slot < 0 ? nullptr : &vpcs_[static_cast<size_t>(slot)];
  }
  int slot_of(int index) const {
    return index < 0 ? -1 : vpc_slot_[static_cast<size_t>(index)];
  }

  void add_block(Vpc& vpc, int resource, const Read& r, std::string_view snake,
                 int fallback_family) {
    if (r.state == State::kOk) {
      vpc.blocks.push_back(Block{*r.cidr, resource, res(resource).attr(snake)});
    } else if (r.state == State::kUnknown || r.state == State::kInvalid) {
      vpc.unknown[static_cast<size_t>(fallback_family)] = true;
    }
  }

  // ---- VPCs and their blocks.
  void collect_vpcs() {
    vpc_slot_.assign(model_.resources.size(), -1);
    for (std::string_view kind : {"aws_vpc", "aws_default_vpc"}) {
      for (int i : model_.of_kind(kind)) {
        vpc_slot_[static_cast<size_t>(i)] = static_cast<int>(vpcs_.size());
        vpcs_.push_back(Vpc{i, {}, {}, {0, 0}, {false, false}});
      }
    }
    for (Vpc& vpc : vpcs_) {
      const Resource& r = res(vpc.index);
      Read v4 = read_attr(vpc.index, "cidr_block");
      add_block(vpc, vpc.index, v4, "cidr_block", 0);
      // A VPC always has a primary IPv4 block; not written = from IPAM.
      if (v4.state == State::kAbsent || v4.state == State::kNone) {
        vpc.unknown[0] = true;
      }
      Read v6 = read_attr(vpc.index, "ipv6_cidr_block");
      add_block(vpc, vpc.index, v6, "ipv6_cidr_block", 1);
      if (v6.state != State::kOk &&
          (set_flag(r, "assign_generated_ipv6_cidr_block") ||
           set_flag(r, "ipv6_ipam_pool_id"))) {
        vpc.unknown[1] = true;
      }
    }
    // Secondary blocks: Terraform / Pulumi associations and
    // AWS::EC2::VPCCidrBlock (the same kind as the IPv4 association).
    for (std::string_view kind : {"aws_vpc_ipv4_cidr_block_association",
                                  "aws_vpc_ipv6_cidr_block_association"}) {
      for (int i : model_.of_kind(kind)) {
        const Resource& a = res(i);
        // An IPv6 association has no cidr_block (a plan omitting it would
        // look computed); AWS::EC2::VPCCidrBlock has both.
        bool ipv6_kind = kind == "aws_vpc_ipv6_cidr_block_association";
        bool both = a.format == Format::kCloudFormation;
        Read v4, v6;
        if (!ipv6_kind || both) v4 = read_attr(i, "cidr_block");
        if (ipv6_kind || both) v6 = read_attr(i, "ipv6_cidr_block");
        Vpc* vpc = mutable_vpc(finder_.vpc_of(a, "vpc_id"));
        if (!vpc) continue;
        add_block(*vpc, i, v4, "cidr_block", 0);
        add_block(*vpc, i, v6, "ipv6_cidr_block", 1);
        bool written = v4.state != State::kAbsent && v4.state != State::kNone;
        written =
            written || (v6.state != State::kAbsent && v6.state != State::kNone);
        if (!written) {
          bool six =
              ipv6_kind || set_flag(a, "amazon_provided_ipv6_cidr_block") ||
              set_flag(a, "assign_generated_ipv6_cidr_block") ||
              set_flag(a, "ipv6_ipam_pool_id") || set_flag(a, "ipv6_pool");
          vpc->unknown[six ? 1 : 0] = true;
        }
      }
    }
    for (Vpc& vpc : vpcs_) {
      std::sort(vpc.blocks.begin(), vpc.blocks.end(),
                [](const Block& a, const Block& b) {
                  return cidr_order(a.cidr, b.cidr);
                });
      // AWS keeps a VPC's blocks disjoint; nested ones in an input are
      // folded into the outer block for lookups.
      for (size_t k = 0; k < vpc.blocks.size(); ++k) {
        ++vpc.count[static_cast<size_t>(fam(vpc.blocks[k].cidr))];
        if (!vpc.roots.empty() &&
            vpc.blocks[static_cast<size_t>(vpc.roots.back())].cidr.contains(
                vpc.blocks[k].cidr)) {
          continue;
        }
        vpc.roots.push_back(static_cast<int>(k));
      }
    }
  }

  // A block of `vpc` that overlaps `c` (one that contains it when there is
  // one), or nullptr. The outermost blocks are disjoint and sorted, so a
  // binary search over them finds it.
  const Block* overlapping_block(const Vpc& vpc, const Cidr& c) const {
    auto it = std::upper_bound(
        vpc.roots.begin(), vpc.roots.end(), c, [&](const Cidr& x, int b) {
          return cidr_order(x, vpc.blocks[static_cast<size_t>(b)].cidr);
        });
    // The last outermost block starting at or before c may contain it; c
    // may contain the first one after.
    if (it != vpc.roots.begin()) {
      const Block& prev = vpc.blocks[static_cast<size_t>(*(it - 1))];
      if (prev.cidr.overlaps(c)) return &prev;
    }
    if (it != vpc.roots.end()) {
      const Block& next = vpc.blocks[static_cast<size_t>(*it)];
      if (next.cidr.overlaps(c)) return &next;
    }
    return nullptr;
  }

  // "aws_vpc.dr 10.0.0.0/16 (us-east-2)", naming the association that adds
  // a secondary block.
  std::string describe(const Vpc& vpc, const Block& b) const {
    const Resource& r = res(vpc.index);
    std::string s =
        r.address + " " + std::string(b.cidr.text()) + " (" + region_of(r);
    if (b.resource != vpc.index) {
      s += ", secondary block " + res(b.resource).address;
    }
    return s + ")";
  }

  void relate_block(Finding& f, const Vpc& vpc, const Block& b,
                    const std::string& role, const std::string& block_role) {
    f.related.push_back(Related{
        vpc.index, role, b.resource == vpc.index ? b.at : json::JValue()});
    if (b.resource != vpc.index) {
      f.related.push_back(Related{b.resource, block_role, b.at});
    }
  }

  std::vector<std::string> pair_facts(int a, const Cidr& ca, int b,
                                      const Cidr& cb) const {
    const std::string& aa = res(a).address;
    const std::string& ba = res(b).address;
    if (ba < aa) {
      return {ba, aa, std::string(cb.text()), std::string(ca.text())};
    }
    return {aa, ba, std::string(ca.text()), std::string(cb.text())};
  }

  // ---- Subnets.
  void check_subnets() {
    const auto& subnets = model_.of_kind("aws_subnet");
    std::unordered_map<int, std::vector<Block>> extra;  // IPv6 blocks added
    for (int i : model_.of_kind("aws_ec2_subnet_cidr_block")) {
      // AWS::EC2::SubnetCidrBlock: an IPv6 block added to a subnet.
      const Resource& r = res(i);
      Read v6 = read_attr(i, "ipv6_cidr_block");
      if (v6.state != State::kOk) continue;
      int subnet = -1;
      for (const auto& ref : r.references) {
        if (ref.attribute == "subnet_id" && ref.index >= 0 &&
            res(ref.index).kind == "aws_subnet") {
          subnet = ref.index;
          break;
        }
      }
      if (subnet < 0) {
        json::JValue id = r.attr("subnet_id");
        const Resource* s =
            id.is_string() ? model_.by_id_or_arn(id.str()) : nullptr;
        if (s && std::string_view(s->kind) == "aws_subnet")
          subnet = index_of(*s);
      }
      if (subnet >= 0) {
        extra[subnet].push_back(Block{*v6.cidr, i, r.attr("ipv6_cidr_block")});
      }
    }

    // Sibling groups: the subnets of one VPC of the model, or of one VPC id
    // written literally (a VPC outside the model).
    struct Group {
      const Vpc* vpc = nullptr;
      std::string_view literal;
    };
    struct Entry {
      int group;
      int subnet;
      Block block;
    };
    std::vector<Group> groups;
    std::vector<int> group_of_vpc(vpcs_.size(), -1);  // by VPC slot
    std::unordered_map<std::string_view, int> group_of_literal;
    std::vector<Entry> entries;

    for (int i : subnets) {
      const Resource& s = res(i);
      int vpc_index = finder_.vpc_of(s, "vpc_id");
      const Vpc* vpc = vpc_at(vpc_index);
      int group = -1;
      if (vpc) {
        int& g = group_of_vpc[static_cast<size_t>(vpc - vpcs_.data())];
        if (g < 0) {
          g = static_cast<int>(groups.size());
          groups.push_back(Group{vpc, {}});
        }
        group = g;
      } else {
        json::JValue id = s.attr("vpc_id");
        if (id.is_string() && !id.str().empty() &&
            !cidr_overlap::is_unknown_text(id.str())) {
          auto [it, added] = group_of_literal.emplace(
              id.str(), static_cast<int>(groups.size()));
          if (added) groups.push_back(Group{nullptr, id.str()});
          group = it->second;
        }
      }
      auto take = [&](const Block& b) {
        if (vpc) check_inside(s, i, *vpc, b);
        if (group >= 0) entries.push_back(Entry{group, i, b});
      };
      for (std::string_view snake : {"cidr_block", "ipv6_cidr_block"}) {
        Read rd = read_attr(i, snake);
        if (rd.state == State::kOk) take(Block{*rd.cidr, i, s.attr(snake)});
      }
      if (!extra.empty()) {
        if (auto it = extra.find(i); it != extra.end()) {
          for (const Block& b : it->second) take(b);
        }
      }
    }

    // Within a group, subnets in order of address: of two overlapping
    // siblings the later one is reported.
    std::sort(entries.begin(), entries.end(),
              [&](const Entry& a, const Entry& b) {
                if (a.group != b.group) return a.group < b.group;
                if (a.subnet == b.subnet) return false;
                const std::string& x = res(a.subnet).address;
                const std::string& y = res(b.subnet).address;
                return x != y ? x < y : a.subnet < b.subnet;
              });
    std::vector<cidr_overlap::OwnedBlock> owned;
    for (size_t lo = 0; lo < entries.size();) {
      size_t hi = lo;
      while (hi < entries.size() && entries[hi].group == entries[lo].group) {
        ++hi;
      }
      owned.clear();
      int rank = -1;
      for (size_t k = lo; k < hi; ++k) {
        if (k == lo || entries[k].subnet != entries[k - 1].subnet) ++rank;
        owned.push_back({entries[k].block.cidr, rank});
      }
      std::vector<int> partner = cidr_overlap::overlapping_other_owner(owned);
      const Group& g = groups[static_cast<size_t>(entries[lo].group)];
      for (size_t k = 0; k < owned.size(); ++k) {
        int p = partner[k];
        if (p >= 0 && owned[static_cast<size_t>(p)].owner < owned[k].owner) {
          const Entry& me = entries[lo + k];
          const Entry& other = entries[lo + static_cast<size_t>(p)];
          report_sibling(g.vpc, g.literal, me.subnet, me.block, other.subnet,
                         other.block);
        }
      }
      lo = hi;
    }
  }

  void report_sibling(const Vpc* vpc, std::string_view literal, int subnet,
                      const Block& mine, int other, const Block& theirs) {
    const Resource& s = res(subnet);
    Finding f;
    f.level = Level::kError;
    f.resource = subnet;
    f.at = mine.resource == subnet ? mine.at : json::JValue();
    std::string where = vpc ? res(vpc->index).address : "VPC " + shown(literal);
    f.message = s.address + " " + std::string(mine.cidr.text()) + " (" +
                region_of(s) + ") overlaps sibling subnet " +
                res(other).address + " " + std::string(theirs.cidr.text()) +
                " in " + where;
    if (mine.resource != subnet) {
      f.related.push_back(
          Related{mine.resource, "subnet's IPv6 block", mine.at});
    }
    f.related.push_back(
        Related{other, "overlapping subnet",
                theirs.resource == other ? theirs.at : json::JValue()});
    if (vpc) f.related.push_back(Related{vpc->index, "VPC", {}});
    f.facts = pair_facts(subnet, mine.cidr, other, theirs.cidr);
    out_.push_back(std::move(f));
  }

  void check_inside(const Resource& s, int i, const Vpc& vpc, const Block& b) {
    int family = fam(b.cidr);
    if (vpc.unknown[static_cast<size_t>(family)]) return;
    size_t same = vpc.count[static_cast<size_t>(family)];
    if (same == 0) return;  // the VPC's blocks of this family are unknown
    const Block* o = overlapping_block(vpc, b.cidr);
    if (o && o->cidr.contains(b.cidr)) return;
    const Resource& v = res(vpc.index);
    Finding f;
    f.level = Level::kError;
    f.resource = i;
    f.at = b.resource == i ? b.at : json::JValue();
    std::string list;
    size_t listed = 0;
    for (const Block& vb : vpc.blocks) {
      if (fam(vb.cidr) != family) continue;
      if (listed == 5) {
        list += " and " + std::to_string(same - 5) + " more";
        break;
      }
      if (listed++) list += ", ";
      list += vb.cidr.text();
    }
    f.message = s.address + " " + std::string(b.cidr.text()) + " (" +
                region_of(s) + ") is not inside its VPC " + v.address + " (" +
                family_name(family) + " block" + (same == 1 ? " " : "s ") +
                list + ")";
    if (o) {
      f.message +=
          "; it overlaps " + std::string(o->cidr.text()) + " but is larger";
    }
    if (b.resource != i) {
      f.related.push_back(Related{b.resource, "subnet's IPv6 block", b.at});
    }
    f.related.push_back(Related{vpc.index, "VPC", {}});
    std::vector<std::string> facts = {s.address, v.address};
    std::sort(facts.begin(), facts.end());
    facts.push_back(std::string(b.cidr.text()));
    facts.push_back("outside");
    f.facts = std::move(facts);
    out_.push_back(std::move(f));
  }

  // ---- Two VPCs joined by a link: the first overlap per family.
  struct Overlap {
    const Block* mine = nullptr;
    const Block* theirs = nullptr;
  };
  std::array<Overlap, 2> overlaps(const Vpc& mine, const Vpc& theirs) const {
    std::vector<cidr_overlap::OwnedBlock> owned;
    std::vector<const Block*> src;
    for (const Block& b : mine.blocks) {
      owned.push_back({b.cidr, 1});
      src.push_back(&b);
    }
    for (const Block& b : theirs.blocks) {
      owned.push_back({b.cidr, 0});
      src.push_back(&b);
    }
    std::vector<int> partner = cidr_overlap::overlapping_other_owner(owned);
    std::array<Overlap, 2> found;
    // mine.blocks are sorted, so the first hit per family is the lowest.
    for (size_t k = 0; k < mine.blocks.size(); ++k) {
      if (partner[k] < 0) continue;
      Overlap& o = found[static_cast<size_t>(fam(src[k]->cidr))];
      if (!o.mine) {
        o.mine = src[k];
        o.theirs = src[static_cast<size_t>(partner[k])];
      }
    }
    return found;
  }

  bool already_reported(int a, int b, int family) {
    if (b < a) std::swap(a, b);
    return !reported_pairs_.insert({a, b, family}).second;
  }

  // ---- Peering connections.
  void check_peerings() {
    // Accepters that accept a peering connection of the model.
    std::unordered_map<int, std::vector<int>> accepters_of;
    const auto& accepters =
        model_.of_kind("aws_vpc_peering_connection_accepter");
    std::vector<char> accepter_linked(accepters.size(), 0);
    for (size_t k = 0; k < accepters.size(); ++k) {
      int p = peering_of(res(accepters[k]));
      if (p >= 0) {
        accepters_of[p].push_back(accepters[k]);
        accepter_linked[k] = 1;
      }
    }

    for (int p : model_.of_kind("aws_vpc_peering_connection")) {
      const Resource& pc = res(p);
      int requester = finder_.vpc_of(pc, "vpc_id");
      cidr_overlap::PeerVpc peer = finder_.find(
          pc, "peer_vpc_id", "peer_region", "peer_owner_id", requester);
      int via_accepter = -1;
      if (peer.index < 0) {
        // The accepter resource knows its own VPC once it exists.
        for (int a : accepters_of[p]) {
          int v = finder_.vpc_of(res(a), "vpc_id");
          if (v >= 0 && v != requester) {
            peer.index = v;
            peer.by_region = false;
            via_accepter = a;
            break;
          }
        }
      }
      cidr_overlap::PeerVpc req_found;
      if (requester < 0) {
        req_found = finder_.find(pc, "vpc_id", "", "", peer.index);
        requester = req_found.index;
      }
      if (peer.index < 0 || requester < 0) {
        note_unknown(p, requester, peer, req_found);
        continue;
      }
      report_peered(p, requester, peer.index, peer, req_found, via_accepter);
    }

    // Accepters of peering connections outside the model: their own VPC
    // (vpc_id) is the accepter side, peer_vpc_id the requester side.
    for (size_t k = 0; k < accepters.size(); ++k) {
      if (accepter_linked[k]) continue;
      int a = accepters[k];
      const Resource& acc = res(a);
      int local = finder_.vpc_of(acc, "vpc_id");
      if (local < 0) continue;  // nothing of ours to compare
      cidr_overlap::PeerVpc remote = finder_.find(
          acc, "peer_vpc_id", "peer_region", "peer_owner_id", local);
      if (remote.index < 0) {
        note_unknown_requester(a, local, remote);
        continue;
      }
      report_peered(a, remote.index, local, cidr_overlap::PeerVpc{}, remote,
                    -1);
    }
  }

  int peering_of(const Resource& accepter) const {
    for (const auto& ref : accepter.references) {
      if (ref.attribute == "vpc_peering_connection_id" && ref.index >= 0 &&
          res(ref.index).kind == "aws_vpc_peering_connection") {
        return ref.index;
      }
    }
    json::JValue id = accepter.attr("vpc_peering_connection_id");
    if (id.is_string()) {
      const Resource* p = model_.by_id_or_arn(id.str());
      if (p && std::string_view(p->kind) == "aws_vpc_peering_connection")
        return index_of(*p);
    }
    return -1;
  }

  static std::string guessed(const cidr_overlap::PeerVpc& p,
                             const std::string& side,
                             const std::string& address) {
    std::string id =
        p.written.empty() ? "(its id is computed)" : shown(p.written);
    return "; the " + side + " VPC " + id +
           " is not in the model and is taken to be " + address +
           ", the only VPC in " + p.region;
  }

  void report_peered(int link, int requester, int accepter,
                     const cidr_overlap::PeerVpc& peer,
                     const cidr_overlap::PeerVpc& req_found, int via_accepter) {
    if (requester == accepter) return;
    const Vpc* req = vpc_at(requester);
    const Vpc* acc = vpc_at(accepter);
    if (!req || !acc) return;
    std::array<Overlap, 2> found = overlaps(*acc, *req);
    for (int family = 0; family < 2; ++family) {
      const Overlap& o = found[static_cast<size_t>(family)];
      if (!o.mine) continue;
      if (already_reported(accepter, requester, family)) continue;
      Finding f;
      f.level = Level::kError;
      f.resource = accepter;
      f.at = o.mine->resource == accepter ? o.mine->at : json::JValue();
      f.message = describe(*acc, *o.mine) + " overlaps " +
                  describe(*req, *o.theirs) + "; they are peered by " +
                  res(link).address;
      if (peer.by_region)
        f.message += guessed(peer, "peer", res(accepter).address);
      if (req_found.by_region) {
        f.message += guessed(req_found, "requester", res(requester).address);
      }
      if (o.mine->resource != accepter) {
        f.related.push_back(
            Related{o.mine->resource, "secondary CIDR block", o.mine->at});
      }
      relate_block(f, *req, *o.theirs, "requester VPC",
                   "requester VPC's secondary CIDR block");
      f.related.push_back(Related{link, "peering connection", {}});
      if (via_accepter >= 0) {
        f.related.push_back(
            Related{via_accepter, "peering connection accepter", {}});
      }
      f.facts = pair_facts(accepter, o.mine->cidr, requester, o.theirs->cidr);
      out_.push_back(std::move(f));
    }
  }

  std::string ranges_of(int vpc_index) const {
    const Vpc* v = vpc_at(vpc_index);
    if (!v) return "";
    std::string s;
    for (const Block& b : v->blocks) {
      s += s.empty() ? " " : ", ";
      s += b.cidr.text();
    }
    return s;
  }

  // "VPC 'vpc-0abc' (us-west-2)", or "a VPC with a computed id (...)".
  static std::string unknown_vpc(const cidr_overlap::PeerVpc& p) {
    std::string s = p.written.empty() ? "a VPC with a computed id"
                                      : "VPC " + shown(p.written);
    return s + " (" + (p.region.empty() ? "region unknown" : p.region) + ")";
  }

  void note_unknown(int p, int requester, const cidr_overlap::PeerVpc& peer,
                    const cidr_overlap::PeerVpc& req_found) {
    const Resource& pc = res(p);
    Finding f;
    f.level = Level::kNote;
    f.resource = p;
    if (peer.index < 0) {
      f.at = peer.at;
      std::string local = requester >= 0
                              ? res(requester).address + ranges_of(requester) +
                                    " (" + region_of(res(requester)) + ")"
                              : "its requester VPC";
      f.message = pc.address + " peers " + local + " with " +
                  unknown_vpc(peer) +
                  ", which is not in the model: " + peer.why_unknown +
                  ", so the peer's CIDR blocks are unknown and overlap is not "
                  "checked";
      f.facts = {pc.address, "peer VPC unknown", peer.written};
      if (requester >= 0)
        f.related.push_back(Related{requester, "requester VPC", {}});
    } else {
      f.at = req_found.at;
      f.message = pc.address + " peers " + unknown_vpc(req_found) +
                  ", which is not in the model: " + req_found.why_unknown +
                  ", with " + res(peer.index).address + ranges_of(peer.index) +
                  " (" + region_of(res(peer.index)) +
                  "), so the requester's CIDR blocks are unknown and overlap "
                  "is not checked";
      f.facts = {pc.address, "requester VPC unknown", req_found.written};
      f.related.push_back(Related{peer.index, "peer VPC", {}});
    }
    out_.push_back(std::move(f));
  }

  void note_unknown_requester(int a, int local,
                              const cidr_overlap::PeerVpc& remote) {
    const Resource& acc = res(a);
    Finding f;
    f.level = Level::kNote;
    f.resource = a;
    f.at = remote.at;
    f.message = acc.address +
                " accepts a peering connection that is not in "
                "the model, from VPC " +
                unknown_vpc(remote) +
                ", which is not in the model either: " + remote.why_unknown +
                "; its CIDR blocks are unknown, so overlap with " +
                res(local).address + ranges_of(local) + " (" +
                region_of(res(local)) + ") is not checked";
    f.facts = {acc.address, "requester VPC unknown", remote.written};
    f.related.push_back(Related{local, "accepter VPC", {}});
    out_.push_back(std::move(f));
  }

  // ---- Transit gateways.
  void check_transit_gateways() {
    struct Member {
      int vpc;
      int attachment;
    };
    std::map<std::string, std::vector<Member>> groups;
    std::map<std::string, int> gateway_of;  // group -> TGW in the model
    for (int i : model_.of_kind("aws_ec2_transit_gateway_vpc_attachment")) {
      const Resource& a = res(i);
      int vpc = finder_.vpc_of(a, "vpc_id");
      if (vpc < 0) continue;
      int tgw = -1;
      for (const auto& ref : a.references) {
        if (ref.attribute == "transit_gateway_id" && ref.index >= 0) {
          tgw = ref.index;
          break;
        }
      }
      json::JValue id = a.attr("transit_gateway_id");
      if (tgw < 0 && id.is_string()) {
        const Resource* t = model_.by_id_or_arn(id.str());
        if (t) tgw = index_of(*t);
      }
      std::string key;
      if (tgw >= 0) {
        key = "model:" + std::to_string(tgw);
        gateway_of[key] = tgw;
      } else if (id.is_string() && !id.str().empty() &&
                 !cidr_overlap::is_unknown_text(id.str())) {
        key = "id:" + std::string(id.str());
      } else {
        continue;
      }
      groups[key].push_back(Member{vpc, i});
    }

    for (auto& [key, members] : groups) {
      // One attachment per VPC (the first by address), VPCs ranked by
      // address.
      std::sort(members.begin(), members.end(),
                [&](const Member& x, const Member& y) {
                  const std::string& xa = res(x.vpc).address;
                  const std::string& ya = res(y.vpc).address;
                  if (xa != ya) return xa < ya;
                  if (x.vpc != y.vpc) return x.vpc < y.vpc;
                  return res(x.attachment).address < res(y.attachment).address;
                });
      members.erase(std::unique(members.begin(), members.end(),
                                [](const Member& x, const Member& y) {
                                  return x.vpc == y.vpc;
                                }),
                    members.end());
      std::vector<cidr_overlap::OwnedBlock> owned;
      std::vector<const Block*> src;
      for (size_t m = 0; m < members.size(); ++m) {
        const Vpc* v = vpc_at(members[m].vpc);
        for (const Block& b : v->blocks) {
          owned.push_back({b.cidr, static_cast<int>(m)});
          src.push_back(&b);
        }
      }
      std::vector<int> partner = cidr_overlap::overlapping_other_owner(owned);
      std::string gateway = gateway_of.count(key) ? res(gateway_of[key]).address
                                                  : shown(key.substr(3));
      // Per VPC and family, the first block that overlaps an earlier VPC.
      std::set<std::pair<int, int>> done;
      for (size_t k = 0; k < owned.size(); ++k) {
        int p = partner[k];
        if (p < 0) continue;
        int me = owned[k].owner;
        int other = owned[static_cast<size_t>(p)].owner;
        if (other >= me) continue;
        int family = fam(owned[k].cidr);
        if (!done.insert({me, family}).second) continue;
        const Member& mm = members[static_cast<size_t>(me)];
        const Member& om = members[static_cast<size_t>(other)];
        if (already_reported(mm.vpc, om.vpc, family)) continue;
        const Vpc& mv = *vpc_at(mm.vpc);
        const Vpc& ov = *vpc_at(om.vpc);
        const Block& mb = *src[k];
        const Block& ob = *src[static_cast<size_t>(p)];
        Finding f;
        f.level = Level::kError;
        f.resource = mm.vpc;
        f.at = mb.resource == mm.vpc ? mb.at : json::JValue();
        f.message = describe(mv, mb) + " overlaps " + describe(ov, ob) +
                    "; both are attached to transit gateway " + gateway +
                    " (by " + res(mm.attachment).address + " and " +
                    res(om.attachment).address + ")";
        if (mb.resource != mm.vpc) {
          f.related.push_back(
              Related{mb.resource, "secondary CIDR block", mb.at});
        }
        relate_block(f, ov, ob, "overlapping VPC",
                     "overlapping VPC's secondary CIDR block");
        f.related.push_back(
            Related{mm.attachment, "transit gateway attachment", {}});
        f.related.push_back(Related{om.attachment,
                                    "overlapping VPC's transit gateway "
                                    "attachment",
                                    {}});
        if (gateway_of.count(key)) {
          f.related.push_back(Related{gateway_of[key], "transit gateway", {}});
        }
        f.facts = pair_facts(mm.vpc, mb.cidr, om.vpc, ob.cidr);
        out_.push_back(std::move(f));
      }
    }
  }

  // ---- Routes to peering connections.
  // The VPC a route table belongs to (a route's route_table_id may name the
  // VPC itself, via its main_route_table_id).
  int local_vpc_of_route_table(const Resource& route) const {
    int t = -1;
    for (const auto& ref : route.references) {
      if (ref.attribute == "route_table_id" && ref.index >= 0) {
        t = ref.index;
        break;
      }
    }
    if (t < 0) {
      json::JValue id = route.attr("route_table_id");
      if (id.is_string()) {
        if (const Resource* r = model_.by_id_or_arn(id.str())) t = index_of(*r);
      }
    }
    if (t < 0) return -1;
    if (finder_.is_vpc(t)) return t;
    std::string_view kind = res(t).kind;
    if (kind == "aws_route_table" || kind == "aws_default_route_table") {
      return finder_.vpc_of(res(t), "vpc_id");
    }
    return -1;
  }

  // A resolved route target as the peering connection it names: an
  // accepter stands for the peering connection it accepts, when in the
  // model.
  int as_peering(int i) const {
    if (std::string_view(res(i).kind) ==
        "aws_vpc_peering_connection_accepter") {
      int p = peering_of(res(i));
      if (p >= 0) return p;
    }
    return i;
  }

  // Whether a route (or an inline route of `r` whose value is `value`)
  // targets a peering connection; `peering` receives the peering
  // connection (or accepter) in the model, -1 when it is not in the model.
  // `ref_attribute` is the reference path of the value; `block` (inline
  // routes) the path of the whole route list, which is where a Terraform
  // plan records the references of values it omits as unknown.
  bool targets_peering(const Resource& r, const json::JValue& value,
                       std::string_view ref_attribute, std::string_view block,
                       int& peering) const {
    peering = -1;
    bool any = false;
    for (const auto& ref : r.references) {
      if (ref.attribute == ref_attribute) {
        any = true;
        if (ref.index >= 0) {
          peering = as_peering(ref.index);
          return true;
        }
      }
    }
    if (value.is_string() && !value.str().empty()) {
      if (const Resource* p = model_.by_id_or_arn(value.str())) {
        peering = as_peering(index_of(*p));
      }
      return true;
    }
    if (value.present() && !value.is_null() && !value.is_string()) {
      return true;  // an intrinsic naming something outside the template
    }
    if (value.absent() && !block.empty() &&
        r.format == Format::kTerraformPlan) {
      for (const auto& ref : r.references) {
        std::string_view a = ref.attribute;
        bool in_block = a.substr(0, block.size()) == block &&
                        (a.size() == block.size() || a[block.size()] == '[' ||
                         a[block.size()] == '.');
        if (!in_block || ref.index < 0) continue;
        std::string_view kind = res(ref.index).kind;
        if (kind == "aws_vpc_peering_connection" ||
            kind == "aws_vpc_peering_connection_accepter") {
          peering = as_peering(ref.index);
          return true;
        }
      }
    }
    return any;
  }

  void check_routes() {
    for (int i : model_.of_kind("aws_route")) {
      const Resource& r = res(i);
      int peering = -1;
      if (!targets_peering(r, r.attr("vpc_peering_connection_id"),
                           "vpc_peering_connection_id", "", peering)) {
        continue;
      }
      int local = local_vpc_of_route_table(r);
      for (std::string_view snake :
           {"destination_cidr_block", "destination_ipv6_cidr_block"}) {
        json::JValue v = r.attr(snake);
        Read rd = read(i, v, v.key().empty() ? snake : v.key());
        if (rd.state != State::kOk) continue;
        report_route(i, local, peering, *rd.cidr, v,
                     std::string(v.key().empty() ? snake : v.key()));
      }
    }
    // Inline routes of route tables (Terraform `route`, Pulumi `routes`).
    for (int i : model_.of_kind("aws_route_table")) {
      const Resource& t = res(i);
      json::JValue routes = t.attr("route");
      std::string base = routes.present() ? std::string(routes.key()) : "";
      if (!routes.is_array()) {
        routes = t.attr("routes");
        base = std::string(routes.key());
      }
      if (!routes.is_array()) continue;
      int local = finder_.vpc_of(t, "vpc_id");
      std::string ref_base = to_snake(base);
      size_t n = 0;
      for (json::JValue e : routes.elements()) {
        std::string index = "[" + std::to_string(n++) + "].";
        std::string prefix = base + index;
        int peering = -1;
        if (!targets_peering(t, member(e, "vpc_peering_connection_id"),
                             ref_base + index + "vpc_peering_connection_id",
                             ref_base, peering)) {
          continue;
        }
        for (std::string_view snake :
             {"cidr_block", "ipv6_cidr_block", "destination_cidr_block",
              "destination_ipv6_cidr_block"}) {
          json::JValue v = member(e, snake);
          if (v.absent()) continue;
          std::string name = prefix + std::string(v.key());
          Read rd = read(i, v, name);
          if (rd.state != State::kOk) continue;
          report_route(i, local, peering, *rd.cidr, v, name);
        }
      }
    }
  }

  void report_route(int route, int local, int peering, const Cidr& dest,
                    const json::JValue& at, const std::string& name) {
    const Vpc* vpc = vpc_at(local);
    if (!vpc) return;
    const Block* o = overlapping_block(*vpc, dest);
    if (!o) return;
    const Resource& r = res(route);
    std::string target = peering >= 0
                             ? "peering connection " + res(peering).address
                             : "a peering connection";
    Finding f;
    f.level = Level::kError;
    f.resource = route;
    f.at = at;
    f.message = r.address + " sends " + name + " " + std::string(dest.text()) +
                " to " + target + ", but that range overlaps its own VPC " +
                describe(*vpc, *o) +
                "; the destination must be the peer VPC's range";
    relate_block(f, *vpc, *o, "route table's VPC",
                 "VPC's secondary CIDR block");
    if (peering >= 0) {
      f.related.push_back(Related{peering, "peering connection", {}});
    }
    f.facts = pair_facts(route, dest, local, o->cidr);
    out_.push_back(std::move(f));
  }

  const Model& model_;
  std::vector<Finding>& out_;
  cidr_overlap::VpcFinder finder_;
  std::vector<int> vpc_slot_;
  std::vector<Vpc> vpcs_;
  std::set<std::tuple<int, int, int>> reported_pairs_;
  std::deque<std::string> computed_;  // texts of evaluated expressions
};

}  // namespace

const RuleMeta& CidrOverlapRule::meta() const { return kMeta; }

void CidrOverlapRule::check(const Model& model, const ScanOptions& options,
                            std::vector<Finding>& out) const {
  (void)options;
  Checker(model, out).run();
}

namespace cidr_overlap {

namespace {

// Up to two (owner, position) entries with distinct owners, smallest first.
struct Best2 {
  std::array<std::pair<int, int>, 2> e{};
  int n = 0;
  void add(std::pair<int, int> c) {
    for (int i = 0; i < n; ++i) {
      if (e[static_cast<size_t>(i)].first == c.first) {
        if (c < e[static_cast<size_t>(i)]) e[static_cast<size_t>(i)] = c;
        return;
      }
    }
    if (n < 2) {
      e[static_cast<size_t>(n++)] = c;
    } else if (c < e[1]) {
      e[1] = c;
    } else {
      return;
    }
    if (n == 2 && e[1] < e[0]) std::swap(e[0], e[1]);
  }
  void merge(const Best2& o) {
    for (int i = 0; i < o.n; ++i) add(o.e[static_cast<size_t>(i)]);
  }
  // The smallest entry whose owner is not `owner`; -1 when none.
  int pick(int owner) const {
    for (int i = 0; i < n; ++i) {
      if (e[static_cast<size_t>(i)].first != owner) {
        return e[static_cast<size_t>(i)].second;
      }
    }
    return -1;
  }
};

}  // namespace

std::vector<int> overlapping_other_owner(
    const std::vector<OwnedBlock>& blocks) {
  size_t n = blocks.size();
  std::vector<int> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const OwnedBlock& x = blocks[static_cast<size_t>(a)];
    const OwnedBlock& y = blocks[static_cast<size_t>(b)];
    if (cidr_order(x.cidr, y.cidr)) return true;
    if (cidr_order(y.cidr, x.cidr)) return false;
    if (x.owner != y.owner) return x.owner < y.owner;
    return a < b;
  });
  auto owner_at = [&](int pos) {
    return blocks[static_cast<size_t>(order[static_cast<size_t>(pos)])].owner;
  };
  // In this order the blocks containing a block are exactly those on the
  // stack when it is reached (they are nested or disjoint), and the blocks
  // it contains follow it until it is popped.
  std::vector<Best2> above(n), below(n);
  std::vector<int> stack;
  auto pop = [&] {
    int x = stack.back();
    stack.pop_back();
    if (!stack.empty()) {
      Best2& parent = below[static_cast<size_t>(stack.back())];
      parent.merge(below[static_cast<size_t>(x)]);
      parent.add({owner_at(x), x});
    }
  };
  for (size_t pos = 0; pos < n; ++pos) {
    const Cidr& c = blocks[static_cast<size_t>(order[pos])].cidr;
    while (
        !stack.empty() &&
        !blocks[static_cast<size_t>(order[static_cast<size_t>(stack.back())])]
             .cidr.contains(c)) {
      pop();
    }
    if (!stack.empty()) {
      int top = stack.back();
      above[pos] = above[static_cast<size_t>(top)];
      above[pos].add({owner_at(top), top});
    }
    stack.push_back(static_cast<int>(pos));
  }
  while (!stack.empty()) pop();

  std::vector<int> partner(n, -1);
  for (size_t pos = 0; pos < n; ++pos) {
    Best2 all = above[pos];
    all.merge(below[pos]);
    int p = all.pick(owner_at(static_cast<int>(pos)));
    if (p >= 0)
      partner[static_cast<size_t>(order[pos])] = order[static_cast<size_t>(p)];
  }
  return partner;
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// A Terraform traversal such as aws_vpc.main.cidr_block or
// module.net.aws_vpc.main.cidr_block (no index, no spaces).
bool is_path(std::string_view s) {
  if (s.empty() || s.find('.') == std::string_view::npos) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
          c == '.')) {
      return false;
    }
  }
  return std::isalpha(static_cast<unsigned char>(s[0])) && s.back() != '.';
}

bool parse_uint(std::string_view s, uint64_t& out) {
  s = trim(s);
  if (s.empty() || s.size() > 18) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v;
  return true;
}

}  // namespace

Evaluated evaluate_cidr_expression(std::string_view text,
                                   const PathLookup& lookup) {
  Evaluated out;
  if (text.size() < 4 || text.substr(0, 2) != "${" || text.back() != '}') {
    return out;
  }
  std::string_view inner = trim(text.substr(2, text.size() - 3));
  if (inner.find("${") != std::string_view::npos) return out;
  auto resolve = [&](std::string_view arg) -> std::optional<Cidr> {
    std::optional<std::string_view> lit = lookup(arg);
    if (!lit) return std::nullopt;
    return parse_cidr(*lit, nullptr);
  };
  if (is_path(inner)) {
    std::optional<std::string_view> lit = lookup(inner);
    if (!lit) return out;
    out.evaluated = true;
    out.cidr = parse_cidr(*lit, &out.error);
    return out;
  }
  constexpr std::string_view kFn = "cidrsubnet(";
  if (inner.substr(0, kFn.size()) != kFn || inner.back() != ')') return out;
  std::string_view args =
      inner.substr(kFn.size(), inner.size() - kFn.size() - 1);
  // First argument: "literal" or a path; then two whole numbers.
  args = trim(args);
  std::optional<Cidr> base;
  std::string_view rest;
  std::string base_error;
  if (!args.empty() && args[0] == '"') {
    size_t close = args.find('"', 1);
    if (close == std::string_view::npos) return out;
    std::string_view lit = args.substr(1, close - 1);
    if (lit.find('\\') != std::string_view::npos) return out;
    base = parse_cidr(lit, &base_error);
    if (!base) {
      out.evaluated = true;
      out.error = "cidrsubnet prefix '" + std::string(lit) +
                  "' is not a valid CIDR: " + base_error;
      return out;
    }
    rest = trim(args.substr(close + 1));
  } else {
    size_t comma = args.find(',');
    if (comma == std::string_view::npos) return out;
    std::string_view path = trim(args.substr(0, comma));
    if (!is_path(path)) return out;
    base = resolve(path);
    if (!base) return out;  // not a literal we know
    rest = trim(args.substr(comma));
  }
  if (rest.empty() || rest[0] != ',') return out;
  rest = rest.substr(1);
  size_t comma = rest.find(',');
  if (comma == std::string_view::npos) return out;
  uint64_t newbits = 0, netnum = 0;
  if (!parse_uint(rest.substr(0, comma), newbits) ||
      !parse_uint(rest.substr(comma + 1), netnum) || newbits > 128) {
    return out;
  }
  out.evaluated = true;
  out.cidr = cidr_subnet(*base, static_cast<int>(newbits), netnum, &out.error);
  return out;
}

bool is_unknown_text(std::string_view s) {
  return s.find("${") != std::string_view::npos || s == kPulumiUnknown ||
         s.substr(0, 10) == "{{resolve:";
}

VpcFinder::VpcFinder(const Model& model)
    : model_(model), is_vpc_(model.resources.size(), 0) {
  std::vector<int> vpcs = model.of_kind("aws_vpc");
  const auto& defaults = model.of_kind("aws_default_vpc");
  vpcs.insert(vpcs.end(), defaults.begin(), defaults.end());
  std::sort(vpcs.begin(), vpcs.end());  // model order
  by_id_.reserve(2 * vpcs.size());
  for (int i : vpcs) {
    const Resource& r = model.resources[static_cast<size_t>(i)];
    is_vpc_[static_cast<size_t>(i)] = 1;
    if (r.region) by_region_[*r.region].push_back(i);
    if (!r.id.empty()) by_id_.emplace(r.id, i);
    if (!r.arn.empty()) by_id_.emplace(r.arn, i);
  }
}

bool VpcFinder::is_vpc(int i) const {
  return i >= 0 && static_cast<size_t>(i) < is_vpc_.size() &&
         is_vpc_[static_cast<size_t>(i)];
}

int VpcFinder::vpc_of(const Resource& r, std::string_view attribute) const {
  for (const auto& ref : r.references) {
    if (ref.attribute != attribute || ref.index < 0) continue;
    if (is_vpc(ref.index)) return ref.index;
    // `aws_vpc_ipv4_cidr_block_association.x.vpc_id`: the association's VPC
    // (written so to order a subnet after its VPC's secondary block).
    const Resource& t = model_.resources[static_cast<size_t>(ref.index)];
    if ((std::string_view(t.kind) == "aws_vpc_ipv4_cidr_block_association" ||
         std::string_view(t.kind) == "aws_vpc_ipv6_cidr_block_association") &&
        attribute == "vpc_id") {
      for (const auto& inner : t.references) {
        if (inner.attribute == "vpc_id" && is_vpc(inner.index)) {
          return inner.index;
        }
      }
    }
  }
  json::JValue v = r.attr(attribute);
  if (v.is_string() && !v.str().empty()) {
    auto it = by_id_.find(v.str());
    if (it != by_id_.end()) return it->second;
  }
  return -1;
}

PeerVpc VpcFinder::find(const Resource& peering, std::string_view attribute,
                        std::string_view region_attribute,
                        std::string_view owner_attribute, int exclude) const {
  PeerVpc p;
  p.at = peering.attr(attribute);
  if (p.at.is_string() && !is_unknown_text(p.at.str())) {
    p.written = std::string(p.at.str());
  }
  p.index = vpc_of(peering, attribute);
  if (p.index >= 0) return p;

  // Region and account of the peer: an ARN says both; else the attributes;
  // else the peering's own.
  std::string account;
  if (!p.written.empty() && p.written.rfind("arn:", 0) == 0) {
    p.region = arn_region(p.written);
    account = arn_account(p.written);
  }
  if (p.region.empty() && !region_attribute.empty()) {
    json::JValue r = peering.attr(region_attribute);
    if (r.is_string() && looks_like_region(r.str())) p.region = r.str();
  }
  if (p.region.empty() && peering.region) p.region = *peering.region;
  if (account.empty() && !owner_attribute.empty()) {
    json::JValue o = peering.attr(owner_attribute);
    if (o.is_string() && !o.str().empty() && !is_unknown_text(o.str())) {
      account = std::string(o.str());
    }
  }
  if (p.region.empty()) {
    p.why_unknown = "its region is unknown";
    return p;
  }
  bool same_account = account.empty() || account == peering.account;
  std::vector<int> candidates;
  auto it = by_region_.find(p.region);
  if (it != by_region_.end()) {
    for (int v : it->second) {
      if (v == exclude) continue;
      const std::string& va = model_.resources[static_cast<size_t>(v)].account;
      bool ok = same_account ? (va.empty() || peering.account.empty() ||
                                va == peering.account)
                             : va == account;
      if (ok) candidates.push_back(v);
    }
  }
  if (candidates.size() == 1) {
    p.index = candidates[0];
    p.by_region = true;
    return p;
  }
  std::string of_account = same_account ? "" : " of account " + account;
  if (candidates.empty()) {
    p.why_unknown =
        p.region + " holds no other VPC" + of_account + " in the model";
  } else {
    p.why_unknown = p.region + " holds " + std::to_string(candidates.size()) +
                    " other VPCs" + of_account + " in the model (";
    for (size_t k = 0; k < candidates.size(); ++k) {
      if (k == 3) {
        p.why_unknown += ", ...";
        break;
      }
      if (k) p.why_unknown += ", ";
      p.why_unknown +=
          model_.resources[static_cast<size_t>(candidates[k])].address;
    }
    p.why_unknown += ")";
  }
  return p;
}

}  // namespace cidr_overlap
}  // namespace drcheck
