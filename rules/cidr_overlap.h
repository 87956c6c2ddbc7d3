// cidr_overlap.h: DR004 cidr-overlap.
//
// Networks that are joined must not share addresses:
//   - VPCs joined by a peering connection (aws_vpc_peering_connection,
//     aws_vpc_peering_connection_accepter, AWS::EC2::VPCPeeringConnection,
//     Pulumi VpcPeeringConnection) or attached to the same transit gateway
//     have disjoint CIDR blocks, secondary blocks (VPC CIDR associations,
//     AWS::EC2::VPCCidrBlock) and IPv6 blocks included;
//   - the subnets of one VPC are disjoint and each lies inside one of the
//     VPC's blocks;
//   - a route to a peering connection (aws_route, AWS::EC2::Route, inline
//     aws_route_table routes) does not send a range that overlaps its own
//     VPC.
// A peering whose peer VPC is a literal id or ARN not in the model is linked
// to the only VPC of the peer region (same account); when there is no such
// single VPC the peer's ranges are unknown and the finding is a note.
// Values that are not known before apply are skipped; a literal CIDR that
// does not parse is itself a finding.
//
// Everything is O(n log n) in the number of blocks: blocks are sorted once
// per group and swept (overlapping_other_owner), never compared pairwise.
#ifndef DRCHECK_RULES_CIDR_OVERLAP_H_
#define DRCHECK_RULES_CIDR_OVERLAP_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/cidr.h"
#include "analyzer/rule.h"

namespace drcheck {

class CidrOverlapRule final : public Rule {
 public:
  const RuleMeta& meta() const override;
  void check(const Model& model, const ScanOptions& options,
             std::vector<Finding>& out) const override;
};

namespace cidr_overlap {

// A CIDR block that belongs to an owner (a VPC, a subnet). Owners are small
// integers; a smaller owner is "earlier" (callers rank owners by address).
struct OwnedBlock {
  Cidr cidr;
  int owner = 0;
};

// For each block, the index of an overlapping block of a different owner:
// the one whose owner is smallest (ties: the one first in cidr_order), or -1
// when no block of another owner overlaps it. Uses that aligned blocks of
// one family are either disjoint or nested: one sort and one stack sweep,
// O(n log n).
std::vector<int> overlapping_other_owner(const std::vector<OwnedBlock>& blocks);

// Whether a string attribute value is only known after apply: Terraform /
// CDKTF interpolations ("${aws_vpc.x.cidr_block}"), CDK tokens, Pulumi's
// unknown-output sentinel, CloudFormation dynamic references.
bool is_unknown_text(std::string_view s);

// Evaluates the Terraform expressions CDKTF and hand-written Terraform JSON
// use for CIDR attributes: "${cidrsubnet(ARG, NEWBITS, NETNUM)}" and
// "${PATH}", where ARG is a string literal or a PATH such as
// aws_vpc.main.cidr_block that `lookup` turns into the literal it names
// (nullopt when it cannot). `evaluated` is false for any other text (the
// value stays unknown); when it is true, either `cidr` is set or `error`
// says why the expression fails ("netnum 300 does not fit in 8 bits").
struct Evaluated {
  bool evaluated = false;
  std::optional<Cidr> cidr;
  std::string error;
};
using PathLookup =
    std::function<std::optional<std::string_view>(std::string_view path)>;
Evaluated evaluate_cidr_expression(std::string_view text,
                                   const PathLookup& lookup);

// The VPC at the other end of a peering connection, and how it was found.
struct PeerVpc {
  int index = -1;           // the VPC, -1 when unknown
  bool by_region = false;   // linked as the only VPC of the peer region
  std::string written;      // the peer VPC id / ARN as written ("" if none)
  std::string region;       // the peer region ("" when unknown)
  std::string why_unknown;  // when index < 0: why it cannot be identified
  json::JValue at;          // the peer_vpc_id value
};

// Finds VPCs for peerings: by reference, by id / ARN, else by region.
class VpcFinder {
 public:
  explicit VpcFinder(const Model& model);
  // Whether resource `i` is a VPC (aws_vpc / aws_default_vpc).
  bool is_vpc(int i) const;
  // The VPC that `attribute` of resource `r` names (a resolved reference,
  // else a VPC whose id or ARN equals the literal value); -1 when none.
  int vpc_of(const Resource& r, std::string_view attribute) const;
  // The VPC that `attribute` of `peering` names ("peer_vpc_id" for the
  // accepter side, "vpc_id" for the requester side). When it is neither a
  // reference nor an id / ARN in the model, it is the only VPC of the
  // region (the ARN's, else `region_attribute`'s value, e.g.
  // "peer_region", else the peering's own) in the same account (the
  // ARN's, else `owner_attribute`'s value, e.g. "peer_owner_id", else the
  // peering's). VPC `exclude` (the other side) is never chosen by region.
  PeerVpc find(const Resource& peering, std::string_view attribute,
               std::string_view region_attribute,
               std::string_view owner_attribute, int exclude) const;

 private:
  const Model& model_;
  std::vector<char> is_vpc_;
  // VPCs by region, in model order.
  std::unordered_map<std::string, std::vector<int>> by_region_;
  // VPCs by id and by ARN (views of the model's strings).
  std::unordered_map<std::string_view, int> by_id_;
};

}  // namespace cidr_overlap
}  // namespace drcheck

#endif  // DRCHECK_RULES_CIDR_OVERLAP_H_
