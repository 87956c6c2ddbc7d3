#include "rules/cidr_overlap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/engine.h"
#include "analyzer/json.h"
#include "tests/rule_fixtures.h"

namespace drcheck {
namespace {

using cidr_overlap::overlapping_other_owner;
using cidr_overlap::OwnedBlock;
using testing::case_dirs;
using testing::CaseResult;
using testing::fixture;
using testing::run_case;

// ---- Fixture cases: exactly the fail* resources are reported.

TEST(CidrOverlapFixtures, FailCasesReportExactlyTheFailResources) {
  auto dirs = case_dirs("DR004", "fail");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR004");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_FALSE(r.expected.empty());
    EXPECT_EQ(r.reported, r.expected);
  }
}

TEST(CidrOverlapFixtures, PassCasesReportNothing) {
  auto dirs = case_dirs("DR004", "pass");
  ASSERT_FALSE(dirs.empty());
  for (const auto& dir : dirs) {
    SCOPED_TRACE(dir);
    CaseResult r = run_case(dir, "DR004");
    EXPECT_TRUE(r.errors.empty()) << r.errors.front();
    EXPECT_TRUE(r.reported.empty());
    for (const auto& f : r.findings) ADD_FAILURE() << f.message;
  }
}

// Every format and situation the brief names has a case.
TEST(CidrOverlapFixtures, CoverEveryFormat) {
  std::vector<std::string> want_fail = {
      "cdktf-peered-same-cidr",   "cfn-network",
      "cfn-peered-literal-peer",  "pulumi-ipv6",
      "pulumi-peered-same-cidr",  "pulumi-routes",
      "tf-json-invalid-cidr",     "tf-json-peer-by-region",
      "tf-json-peer-unknown",     "tf-plan-ipv6",
      "tf-plan-peered-same-cidr", "tf-plan-route-to-peering",
      "tf-plan-secondary-cidr",   "tf-plan-subnets",
      "tf-plan-transit-gateway"};
  std::vector<std::string> want_pass = {
      "cdktf-peered-disjoint",      "cfn-network",
      "cfn-peered-disjoint",        "pulumi-overlap-not-peered",
      "pulumi-peered-disjoint",     "tf-json-peer-by-region",
      "tf-plan-overlap-not-peered", "tf-plan-peered-disjoint"};
  auto names = [](const std::vector<std::string>& dirs) {
    std::vector<std::string> out;
    for (const auto& d : dirs) out.push_back(d.substr(d.rfind('/') + 1));
    return out;
  };
  EXPECT_EQ(names(case_dirs("DR004", "fail")), want_fail);
  EXPECT_EQ(names(case_dirs("DR004", "pass")), want_pass);
}

// ---- Messages, locations, related resources and facts.

const Finding* on(const CaseResult& r, const std::string& address) {
  const Finding* found = nullptr;
  for (const auto& f : r.findings) {
    if (f.resource >= 0 &&
        r.model.resources[static_cast<size_t>(f.resource)].address == address) {
      EXPECT_EQ(found, nullptr) << "two findings on " << address;
      found = &f;
    }
  }
  EXPECT_NE(found, nullptr) << "no finding on " << address;
  return found;
}

std::vector<std::pair<std::string, std::string>> related(const CaseResult& r,
                                                         const Finding& f) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& rel : f.related) {
    out.emplace_back(
        r.model.resources[static_cast<size_t>(rel.resource)].address, rel.role);
  }
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

CaseResult load_case(const std::string& relative) {
  return run_case(fixture("rules/DR004/" + relative), "DR004");
}

TEST(CidrOverlapMessages, PeeredVpcs) {
  CaseResult r = load_case("fail/tf-plan-peered-same-cidr");
  const Finding* f = on(r, "aws_vpc.fail_dr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->level, Level::kError);
  EXPECT_EQ(f->message,
            "aws_vpc.fail_dr 10.0.0.0/16 (us-west-2) overlaps aws_vpc.primary "
            "10.0.0.0/16 (us-east-1); they are peered by "
            "aws_vpc_peering_connection.primary_to_dr");
  EXPECT_EQ(f->at.str(), "10.0.0.0/16");
  EXPECT_EQ(f->at.key(), "cidr_block");
  EXPECT_EQ(related(r, *f), (Pairs{{"aws_vpc.primary", "requester VPC"},
                                   {"aws_vpc_peering_connection.primary_to_dr",
                                    "peering connection"}}));
  EXPECT_EQ(f->related[0].at.str(), "10.0.0.0/16");
  EXPECT_EQ(f->facts, (Strings{"aws_vpc.fail_dr", "aws_vpc.primary",
                               "10.0.0.0/16", "10.0.0.0/16"}));
}

TEST(CidrOverlapMessages, SecondaryBlock) {
  CaseResult r = load_case("fail/tf-plan-secondary-cidr");
  const Finding* f = on(r, "aws_vpc.fail_dr");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "aws_vpc.fail_dr 10.1.0.0/16 (us-west-2) overlaps aws_vpc.primary "
            "10.1.0.0/16 (us-east-1, secondary block "
            "aws_vpc_ipv4_cidr_block_association.primary_extra); they are "
            "peered by aws_vpc_peering_connection.primary_to_dr");
  EXPECT_EQ(related(r, *f),
            (Pairs{{"aws_vpc.primary", "requester VPC"},
                   {"aws_vpc_ipv4_cidr_block_association.primary_extra",
                    "requester VPC's secondary CIDR block"},
                   {"aws_vpc_peering_connection.primary_to_dr",
                    "peering connection"}}));
  EXPECT_FALSE(f->related[0].at.present());  // the VPC's own block is fine
  EXPECT_EQ(f->related[1].at.str(), "10.1.0.0/16");
}

TEST(CidrOverlapMessages, TransitGateway) {
  CaseResult r = load_case("fail/tf-plan-transit-gateway");
  const Finding* f = on(r, "aws_vpc.fail_reporting");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "aws_vpc.fail_reporting 10.20.0.0/16 (us-east-1) overlaps "
            "aws_vpc.app 10.20.0.0/16 (us-east-1); both are attached to "
            "transit gateway aws_ec2_transit_gateway.hub (by "
            "aws_ec2_transit_gateway_vpc_attachment.reporting and "
            "aws_ec2_transit_gateway_vpc_attachment.app)");
  EXPECT_EQ(related(r, *f),
            (Pairs{{"aws_vpc.app", "overlapping VPC"},
                   {"aws_ec2_transit_gateway_vpc_attachment.reporting",
                    "transit gateway attachment"},
                   {"aws_ec2_transit_gateway_vpc_attachment.app",
                    "overlapping VPC's transit gateway attachment"},
                   {"aws_ec2_transit_gateway.hub", "transit gateway"}}));
  EXPECT_EQ(f->facts, (Strings{"aws_vpc.app", "aws_vpc.fail_reporting",
                               "10.20.0.0/16", "10.20.0.0/16"}));
}

TEST(CidrOverlapMessages, Subnets) {
  CaseResult r = load_case("fail/tf-plan-subnets");
  const Finding* outside = on(r, "aws_subnet.fail_outside");
  ASSERT_NE(outside, nullptr);
  EXPECT_EQ(outside->message,
            "aws_subnet.fail_outside 10.1.0.0/24 (us-east-1) is not inside "
            "its VPC aws_vpc.primary (IPv4 block 10.0.0.0/16)");
  EXPECT_EQ(outside->at.str(), "10.1.0.0/24");
  EXPECT_EQ(related(r, *outside), (Pairs{{"aws_vpc.primary", "VPC"}}));
  EXPECT_EQ(outside->facts,
            (Strings{"aws_subnet.fail_outside", "aws_vpc.primary",
                     "10.1.0.0/24", "outside"}));

  const Finding* sibling = on(r, "aws_subnet.fail_overlap");
  ASSERT_NE(sibling, nullptr);
  EXPECT_EQ(sibling->message,
            "aws_subnet.fail_overlap 10.0.1.128/25 (us-east-1) overlaps "
            "sibling subnet aws_subnet.b 10.0.1.0/24 in aws_vpc.primary");
  EXPECT_EQ(sibling->at.str(), "10.0.1.128/25");
  EXPECT_EQ(related(r, *sibling), (Pairs{{"aws_subnet.b", "overlapping subnet"},
                                         {"aws_vpc.primary", "VPC"}}));
  EXPECT_EQ(sibling->facts, (Strings{"aws_subnet.b", "aws_subnet.fail_overlap",
                                     "10.0.1.0/24", "10.0.1.128/25"}));
}

TEST(CidrOverlapMessages, CdktfComputedSubnet) {
  CaseResult r = load_case("fail/cdktf-peered-same-cidr");
  const Finding* f = on(r, "aws_subnet.fail_dr_app_0");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "aws_subnet.fail_dr_app_0 10.0.0.0/20 (us-west-2) overlaps "
            "sibling subnet aws_subnet.dr_db_0 10.0.10.0/24 in "
            "aws_vpc.fail_dr_vpc");
  EXPECT_EQ(f->at.str(), "${cidrsubnet(aws_vpc.fail_dr_vpc.cidr_block, 4, 0)}");
  EXPECT_EQ(f->facts, (Strings{"aws_subnet.dr_db_0", "aws_subnet.fail_dr_app_0",
                               "10.0.10.0/24", "10.0.0.0/20"}));
}

TEST(CidrOverlapMessages, SubnetLargerThanItsVpcBlock) {
  CaseResult r = load_case("fail/cfn-network");
  const Finding* f = on(r, "OrdersNetwork/FailStagingSubnet");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "OrdersNetwork/FailStagingSubnet 10.5.0.0/24 (us-east-1) is not "
            "inside its VPC OrdersNetwork/PrimaryVpc (IPv4 blocks "
            "10.0.0.0/16, 10.2.0.0/16)");
  EXPECT_EQ(f->at.key(), "CidrBlock");
}

TEST(CidrOverlapMessages, Routes) {
  CaseResult r = load_case("fail/tf-plan-route-to-peering");
  const Finding* f = on(r, "aws_route.fail_all_private");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "aws_route.fail_all_private sends destination_cidr_block "
            "10.0.0.0/8 to peering connection "
            "aws_vpc_peering_connection.primary_to_dr, but that range overlaps "
            "its own VPC aws_vpc.primary 10.0.0.0/16 (us-east-1); the "
            "destination must be the peer VPC's range");
  EXPECT_EQ(f->at.str(), "10.0.0.0/8");
  EXPECT_EQ(related(r, *f), (Pairs{{"aws_vpc.primary", "route table's VPC"},
                                   {"aws_vpc_peering_connection.primary_to_dr",
                                    "peering connection"}}));
  EXPECT_EQ(f->facts, (Strings{"aws_route.fail_all_private", "aws_vpc.primary",
                               "10.0.0.0/8", "10.0.0.0/16"}));

  // Through the accepter, which stands for its peering connection.
  const Finding* back = on(r, "aws_route.fail_back_to_primary");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->message,
            "aws_route.fail_back_to_primary sends destination_cidr_block "
            "10.1.0.0/16 to peering connection "
            "aws_vpc_peering_connection.primary_to_dr, but that range overlaps "
            "its own VPC aws_vpc.dr 10.1.0.0/16 (us-west-2); the destination "
            "must be the peer VPC's range");

  // An inline route whose peering id the plan only knows after apply.
  const Finding* inline_route = on(r, "aws_route_table.fail_dr_isolated");
  ASSERT_NE(inline_route, nullptr);
  EXPECT_EQ(inline_route->message,
            "aws_route_table.fail_dr_isolated sends route[1].cidr_block "
            "10.1.128.0/17 to peering connection "
            "aws_vpc_peering_connection.primary_to_dr, but that range overlaps "
            "its own VPC aws_vpc.dr 10.1.0.0/16 (us-west-2); the destination "
            "must be the peer VPC's range");
  EXPECT_EQ(inline_route->at.str(), "10.1.128.0/17");
}

TEST(CidrOverlapMessages, InvalidCidr) {
  CaseResult r = load_case("fail/tf-json-invalid-cidr");
  const Finding* vpc = on(r, "aws_vpc.fail_bad_prefix");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->message,
            "cidr_block '10.0.0.0/33' is not a valid CIDR: prefix length 33 "
            "is over 32");
  EXPECT_EQ(vpc->at.str(), "10.0.0.0/33");
  EXPECT_EQ(vpc->facts,
            (Strings{"aws_vpc.fail_bad_prefix", "cidr_block", "10.0.0.0/33"}));
  const Finding* subnet = on(r, "aws_subnet.fail_bad_octet");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->message,
            "cidr_block '10.1.300.0/24' is not a valid CIDR: octet 300 is over "
            "255");
}

TEST(CidrOverlapMessages, UnknownPeerIsANote) {
  CaseResult r = load_case("fail/tf-json-peer-unknown");
  const Finding* partner = on(r, "aws_vpc_peering_connection.fail_to_partner");
  ASSERT_NE(partner, nullptr);
  EXPECT_EQ(partner->level, Level::kNote);
  EXPECT_EQ(partner->message,
            "aws_vpc_peering_connection.fail_to_partner peers aws_vpc.primary "
            "10.0.0.0/16 (us-east-1) with VPC 'vpc-0c3d5e7f9a1b2c4d6' "
            "(eu-west-1), which is not in the model: eu-west-1 holds no other "
            "VPC of account 210987654321 in the model, so the peer's CIDR "
            "blocks are unknown and overlap is not checked");
  EXPECT_EQ(partner->at.str(), "vpc-0c3d5e7f9a1b2c4d6");
  EXPECT_EQ(partner->facts,
            (Strings{"aws_vpc_peering_connection.fail_to_partner",
                     "peer VPC unknown", "vpc-0c3d5e7f9a1b2c4d6"}));
  EXPECT_EQ(related(r, *partner),
            (Pairs{{"aws_vpc.primary", "requester VPC"}}));

  const Finding* legacy = on(r, "aws_vpc_peering_connection.fail_to_legacy");
  ASSERT_NE(legacy, nullptr);
  EXPECT_EQ(legacy->level, Level::kNote);
  EXPECT_EQ(legacy->message,
            "aws_vpc_peering_connection.fail_to_legacy peers aws_vpc.primary "
            "10.0.0.0/16 (us-east-1) with VPC 'vpc-0e1f2a3b4c5d6e7f8' "
            "(us-east-1), which is not in the model: us-east-1 holds 2 other "
            "VPCs in the model (aws_vpc.batch, aws_vpc.analytics), so the "
            "peer's CIDR blocks are unknown and overlap is not checked");
}

TEST(CidrOverlapMessages, PeerFoundByRegion) {
  CaseResult r = load_case("fail/cfn-peered-literal-peer");
  const Finding* f = on(r, "OrdersDr/FailDrVpc");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message,
            "OrdersDr/FailDrVpc 10.0.0.0/16 (us-west-2) overlaps "
            "OrdersPrimary/PrimaryVpc 10.0.0.0/16 (us-east-1); they are "
            "peered by OrdersPrimary/PrimaryToDr; the peer VPC "
            "'vpc-0f6e5d4c3b2a19087' is not in the model and is taken to be "
            "OrdersDr/FailDrVpc, the only VPC in us-west-2");
  EXPECT_EQ(f->at.key(), "CidrBlock");
}

TEST(CidrOverlapMessages, Ipv6SecondaryBlockAndSiblings) {
  CaseResult r = load_case("fail/pulumi-ipv6");
  const std::string p = "urn:pulumi:prod::orders-network::";
  const Finding* vpc = on(r, p + "aws:ec2/vpc:Vpc::fail-dr-vpc");
  ASSERT_NE(vpc, nullptr);
  EXPECT_FALSE(vpc->at.present());  // the block is on the association
  EXPECT_EQ(related(r, *vpc),
            (Pairs{{p + "aws:ec2/vpcIpv6CidrBlockAssociation:"
                        "VpcIpv6CidrBlockAssociation::dr-vpc-ipv6",
                    "secondary CIDR block"},
                   {p + "aws:ec2/vpc:Vpc::primary-vpc", "requester VPC"},
                   {p + "aws:ec2/vpcPeeringConnection:VpcPeeringConnection::"
                        "primary-to-dr",
                    "peering connection"}}));
  EXPECT_EQ(vpc->facts,
            (Strings{p + "aws:ec2/vpc:Vpc::fail-dr-vpc",
                     p + "aws:ec2/vpc:Vpc::primary-vpc",
                     "2600:1f18:4a1c:e280::/57", "2600:1f18:4a1c:e200::/56"}));
  const Finding* subnet = on(r, p + "aws:ec2/subnet:Subnet::fail-app-b");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->at.key(), "ipv6CidrBlock");
}

// ---- The sweep.

Cidr C(std::string_view text) {
  std::string error;
  auto c = parse_cidr(text, &error);
  EXPECT_TRUE(c.has_value()) << text << ": " << error;
  return c ? *c : *parse_cidr("0.0.0.0/0", nullptr);
}

TEST(CidrOverlapSweep, FindsTheSmallestOtherOwner) {
  std::vector<OwnedBlock> blocks = {
      {C("10.0.0.0/16"), 3},  // 0
      {C("10.0.1.0/24"), 1},  // 1
      {C("10.0.0.0/24"), 2},  // 2
      {C("10.1.0.0/16"), 0},  // 3: meets nothing
      {C("10.0.0.0/20"), 1},  // 4
      {C("::/0"), 0},         // 5: IPv6 never meets IPv4
      {C("10.0.0.0/16"), 3},  // 6: same block and owner as 0
  };
  // 0: other owners 1 (blocks 4, 1) and 2: owner 1, and of its blocks the
  //    first in cidr order (the /20).
  // 1: inside 0, 6 (owner 3) and 4 (its own owner): block 0.
  // 2: inside 0, 6 (owner 3) and 4 (owner 1): block 4.
  // 4: owners 3 (0, 6), 2 (block 2) and itself (1): block 2.
  // 6: like 0 (block 0 is its own owner's).
  EXPECT_EQ(overlapping_other_owner(blocks),
            (std::vector<int>{4, 0, 4, -1, 2, -1, 4}));
}

TEST(CidrOverlapSweep, IdenticalAndAdjacentBlocks) {
  std::vector<OwnedBlock> blocks = {{C("10.0.0.0/25"), 0},
                                    {C("10.0.0.128/25"), 1},
                                    {C("10.0.0.128/25"), 2},
                                    {C("10.0.1.0/24"), 3}};
  EXPECT_EQ(overlapping_other_owner(blocks), (std::vector<int>{-1, 2, 1, -1}));
  EXPECT_TRUE(overlapping_other_owner({}).empty());
}

// Random blocks checked against the obvious quadratic answer.
TEST(CidrOverlapSweep, MatchesBruteForce) {
  std::mt19937 rng(4);
  for (int round = 0; round < 200; ++round) {
    std::vector<OwnedBlock> blocks;
    int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      bool v6 = rng() % 4 == 0;
      int prefix = v6 ? 100 + static_cast<int>(rng() % 29)
                      : 20 + static_cast<int>(rng() % 13);
      std::string text =
          v6 ? "2001:db8::" + std::to_string(rng() % 9) + ":" +
                   std::to_string(rng() % 9) + "/" + std::to_string(prefix)
             : "10.0." + std::to_string(rng() % 8) + "." +
                   std::to_string(rng() % 256) + "/" + std::to_string(prefix);
      blocks.push_back({C(text), static_cast<int>(rng() % 7)});
    }
    std::vector<int> got = overlapping_other_owner(blocks);
    ASSERT_EQ(got.size(), blocks.size());
    for (size_t i = 0; i < blocks.size(); ++i) {
      int best_owner = -1;
      for (size_t j = 0; j < blocks.size(); ++j) {
        if (blocks[j].owner == blocks[i].owner) continue;
        if (!blocks[i].cidr.overlaps(blocks[j].cidr)) continue;
        if (best_owner < 0 || blocks[j].owner < best_owner) {
          best_owner = blocks[j].owner;
        }
      }
      if (best_owner < 0) {
        EXPECT_EQ(got[i], -1) << "round " << round << " block " << i;
        continue;
      }
      ASSERT_GE(got[i], 0) << "round " << round << " block " << i;
      const OwnedBlock& p = blocks[static_cast<size_t>(got[i])];
      EXPECT_EQ(p.owner, best_owner) << "round " << round << " block " << i;
      EXPECT_TRUE(p.cidr.overlaps(blocks[i].cidr));
    }
  }
}

TEST(CidrOverlapHelpers, UnknownText) {
  EXPECT_TRUE(cidr_overlap::is_unknown_text("${aws_vpc.dr.cidr_block}"));
  EXPECT_TRUE(
      cidr_overlap::is_unknown_text("${cidrsubnet(\"10.0.0.0/16\", 8, 1)}"));
  EXPECT_TRUE(
      cidr_overlap::is_unknown_text("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
  EXPECT_TRUE(
      cidr_overlap::is_unknown_text("{{resolve:ssm:/orders/network/dr-cidr}}"));
  EXPECT_FALSE(cidr_overlap::is_unknown_text("10.0.0.0/16"));
  EXPECT_FALSE(cidr_overlap::is_unknown_text("10.0.0.0/33"));
  EXPECT_FALSE(cidr_overlap::is_unknown_text(""));
}

TEST(CidrOverlapHelpers, EvaluatesTerraformCidrExpressions) {
  auto lookup = [](std::string_view path) -> std::optional<std::string_view> {
    if (path == "aws_vpc.main.cidr_block") return "10.1.0.0/16";
    if (path == "aws_vpc.bad.cidr_block") return "10.1.0.0/40";
    return std::nullopt;
  };
  auto eval = [&](std::string_view text) {
    cidr_overlap::Evaluated e =
        cidr_overlap::evaluate_cidr_expression(text, lookup);
    if (!e.evaluated) return std::string("unknown");
    return e.cidr ? std::string(e.cidr->text()) : "error: " + e.error;
  };
  EXPECT_EQ(eval(R"(${cidrsubnet("10.0.0.0/16", 8, 10)})"), "10.0.10.0/24");
  EXPECT_EQ(eval("${cidrsubnet(aws_vpc.main.cidr_block, 4, 1)}"),
            "10.1.16.0/20");
  EXPECT_EQ(eval("${ cidrsubnet( aws_vpc.main.cidr_block ,4,1 ) }"),
            "10.1.16.0/20");
  EXPECT_EQ(eval("${aws_vpc.main.cidr_block}"), "10.1.0.0/16");
  EXPECT_EQ(eval(R"(${cidrsubnet("10.0.0.0/16", 8, 256)})"),
            "error: netnum 256 does not fit in 8 bits");
  EXPECT_EQ(eval(R"(${cidrsubnet("10.0.0.0/33", 8, 1)})"),
            "error: cidrsubnet prefix '10.0.0.0/33' is not a valid CIDR: "
            "prefix length 33 is over 32");
  EXPECT_EQ(eval("${aws_vpc.bad.cidr_block}"),
            "error: prefix length 40 is over 32");
  // Not evaluated: unknown inputs and other functions.
  EXPECT_EQ(eval("${cidrsubnet(var.vpc_cidr, 8, 1)}"), "unknown");
  EXPECT_EQ(eval("${cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)}"),
            "unknown");
  EXPECT_EQ(eval("${aws_vpc.bad.cidr_block}-x"), "unknown");
  EXPECT_EQ(eval(R"(${cidrsubnets("10.0.0.0/16", 4, 4)[0]})"), "unknown");
  EXPECT_EQ(eval("${var.cidr}"), "unknown");
  EXPECT_EQ(eval("${aws_vpc.main.cidr_block}${var.x}"), "unknown");
  EXPECT_EQ(eval("10.0.0.0/16"), "unknown");
}

// ---- Hand-built models (no loader involved).

class ModelBuilder {
 public:
  // `attrs` is a JSON object; refs map attribute -> target address.
  ModelBuilder& add(const std::string& address, const std::string& kind,
                    const std::string& region, const std::string& attrs,
                    std::vector<std::pair<std::string, std::string>> refs = {},
                    const std::string& id = "",
                    const std::string& account = "") {
    auto src = SourceFile::from_string(address + ".json", attrs);
    auto parsed = json::JsonDoc::parse(src);
    auto* doc = std::get_if<std::shared_ptr<const json::JsonDoc>>(&parsed);
    EXPECT_NE(doc, nullptr) << attrs;
    if (!doc) return *this;
    docs_.push_back(*doc);
    Resource r;
    r.address = address;
    r.type = kind;
    r.kind = kind;
    r.format = Format::kTerraformJson;
    if (!region.empty()) r.region = region;
    r.account = account;
    r.attributes = (*doc)->root();
    r.id = id;
    for (auto& [attribute, target] : refs) {
      Reference ref;
      ref.attribute = attribute;
      ref.target = target;
      r.references.push_back(ref);
    }
    model.resources.push_back(std::move(r));
    return *this;
  }
  Model& done() {
    model.finalize({"us-east-1", "us-west-2"});
    return model;
  }
  std::vector<Finding> run() {
    done();
    ScanOptions options;
    std::vector<std::unique_ptr<Rule>> rules;
    rules.push_back(std::make_unique<CidrOverlapRule>());
    return run_rules(model, options, rules);
  }
  Model model;

 private:
  std::vector<std::shared_ptr<const json::JsonDoc>> docs_;
};

std::string addr(const Model& m, const Finding& f) {
  return m.resources[static_cast<size_t>(f.resource)].address;
}

TEST(CidrOverlapFinder, ReferenceIdRegionAndAccount) {
  ModelBuilder b;
  b.add("aws_vpc.a", "aws_vpc", "us-east-1", R"({"cidr_block":"10.0.0.0/16"})",
        {}, "vpc-a", "111122223333")
      .add("aws_vpc.b", "aws_vpc", "us-west-2",
           R"({"cidr_block":"10.1.0.0/16"})", {}, "vpc-b", "111122223333")
      .add("aws_vpc.c", "aws_vpc", "eu-west-1",
           R"({"cidr_block":"10.2.0.0/16"})", {}, "vpc-c", "444455556666")
      .add("aws_vpc.d", "aws_vpc", "eu-west-1",
           R"({"cidr_block":"10.3.0.0/16"})", {}, "", "111122223333")
      .add("p.ref", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"${aws_vpc.b.id}"})",
           {{"peer_vpc_id", "aws_vpc.b"}}, "", "111122223333")
      .add("p.id", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"vpc-c"})", {}, "", "111122223333")
      .add("p.region", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"vpc-elsewhere","peer_region":"us-west-2"})", {},
           "", "111122223333")
      .add("p.account", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"vpc-x","peer_region":"eu-west-1",
               "peer_owner_id":"444455556666"})",
           {}, "", "111122223333")
      .add("p.same_account", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"vpc-y","peer_region":"eu-west-1"})", {}, "",
           "111122223333")
      .add("p.arn", "aws_vpc_peering_connection", "us-east-1",
           R"({"peer_vpc_id":"arn:aws:ec2:us-west-2:111122223333:vpc/vpc-z"})",
           {}, "", "111122223333")
      .add("p.none", "aws_vpc_peering_connection", "",
           R"({"peer_vpc_id":"vpc-q"})", {}, "", "");
  Model& m = b.done();
  cidr_overlap::VpcFinder finder(m);
  auto peer = [&](const std::string& address, int exclude = -1) {
    return finder.find(*m.find(address), "peer_vpc_id", "peer_region",
                       "peer_owner_id", exclude);
  };
  EXPECT_EQ(peer("p.ref").index, m.index_of("aws_vpc.b"));
  EXPECT_FALSE(peer("p.ref").by_region);
  EXPECT_EQ(peer("p.id").index, m.index_of("aws_vpc.c"));
  auto by_region = peer("p.region");
  EXPECT_EQ(by_region.index, m.index_of("aws_vpc.b"));
  EXPECT_TRUE(by_region.by_region);
  EXPECT_EQ(by_region.written, "vpc-elsewhere");
  EXPECT_EQ(by_region.region, "us-west-2");
  // eu-west-1 holds c (account 4444...) and d (1111...): the owner decides.
  EXPECT_EQ(peer("p.account").index, m.index_of("aws_vpc.c"));
  EXPECT_EQ(peer("p.same_account").index, m.index_of("aws_vpc.d"));
  // An ARN gives region and account.
  EXPECT_EQ(peer("p.arn").index, m.index_of("aws_vpc.b"));
  // The other side is never picked by region.
  auto excluded = peer("p.region", m.index_of("aws_vpc.b"));
  EXPECT_EQ(excluded.index, -1);
  EXPECT_EQ(excluded.why_unknown, "us-west-2 holds no other VPC in the model");
  auto none = peer("p.none");
  EXPECT_EQ(none.index, -1);
  EXPECT_EQ(none.why_unknown, "its region is unknown");
}

TEST(CidrOverlapModel, UnknownValuesAreSkippedSilently) {
  ModelBuilder b;
  b.add("aws_vpc.a", "aws_vpc", "us-east-1", R"({"cidr_block":"${var.cidr}"})")
      .add("aws_vpc.b", "aws_vpc", "us-west-2",
           R"({"cidr_block":{"Fn::ImportValue":"dr-cidr"}})")
      .add("aws_vpc_peering_connection.p", "aws_vpc_peering_connection",
           "us-east-1", R"({"peer_region":"us-west-2"})",
           {{"vpc_id", "aws_vpc.a"}, {"peer_vpc_id", "aws_vpc.b"}})
      .add("aws_subnet.s", "aws_subnet", "us-east-1",
           R"({"cidr_block":"10.9.0.0/24"})", {{"vpc_id", "aws_vpc.a"}})
      .add("aws_subnet.t", "aws_subnet", "us-east-1",
           R"({"cidr_block":"${cidrsubnet(var.cidr, 8, 1)}"})",
           {{"vpc_id", "aws_vpc.a"}});
  EXPECT_TRUE(b.run().empty());
}

TEST(CidrOverlapModel, PeeringAndTransitGatewayReportAPairOnce) {
  ModelBuilder b;
  b.add("aws_vpc.a", "aws_vpc", "us-east-1", R"({"cidr_block":"10.0.0.0/16"})")
      .add("aws_vpc.fail_b", "aws_vpc", "us-east-1",
           R"({"cidr_block":"10.0.0.0/16"})")
      .add("aws_vpc_peering_connection.p", "aws_vpc_peering_connection",
           "us-east-1", R"({})",
           {{"vpc_id", "aws_vpc.a"}, {"peer_vpc_id", "aws_vpc.fail_b"}})
      .add("aws_ec2_transit_gateway_vpc_attachment.a",
           "aws_ec2_transit_gateway_vpc_attachment", "us-east-1",
           R"({"transit_gateway_id":"tgw-0123456789abcdef0"})",
           {{"vpc_id", "aws_vpc.a"}})
      .add("aws_ec2_transit_gateway_vpc_attachment.b",
           "aws_ec2_transit_gateway_vpc_attachment", "us-east-1",
           R"({"transit_gateway_id":"tgw-0123456789abcdef0"})",
           {{"vpc_id", "aws_vpc.fail_b"}});
  auto findings = b.run();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(addr(b.model, findings[0]), "aws_vpc.fail_b");
  EXPECT_EQ(findings[0].message,
            "aws_vpc.fail_b 10.0.0.0/16 (us-east-1) overlaps aws_vpc.a "
            "10.0.0.0/16 (us-east-1); they are peered by "
            "aws_vpc_peering_connection.p");
}

TEST(CidrOverlapModel, TransitGatewayByLiteralIdReportsEachLaterVpc) {
  ModelBuilder b;
  // Three VPCs on one gateway named by id; b and c overlap a, d is apart.
  for (auto [name, cidr] : std::vector<std::pair<std::string, std::string>>{
           {"a", "10.0.0.0/16"},
           {"b", "10.0.128.0/17"},
           {"c", "10.0.0.0/8"},
           {"d", "172.16.0.0/12"}}) {
    b.add("aws_vpc." + name, "aws_vpc", "us-east-1",
          R"({"cidr_block":")" + cidr + R"("})");
    b.add("aws_ec2_transit_gateway_vpc_attachment." + name,
          "aws_ec2_transit_gateway_vpc_attachment", "us-east-1",
          R"({"transit_gateway_id":"tgw-0a1b2c3d4e5f60718"})",
          {{"vpc_id", "aws_vpc." + name}});
  }
  auto findings = b.run();
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(addr(b.model, findings[0]), "aws_vpc.b");
  EXPECT_EQ(findings[0].message,
            "aws_vpc.b 10.0.128.0/17 (us-east-1) overlaps aws_vpc.a "
            "10.0.0.0/16 (us-east-1); both are attached to transit gateway "
            "'tgw-0a1b2c3d4e5f60718' (by "
            "aws_ec2_transit_gateway_vpc_attachment.b and "
            "aws_ec2_transit_gateway_vpc_attachment.a)");
  EXPECT_EQ(addr(b.model, findings[1]), "aws_vpc.c");
  EXPECT_EQ(findings[1].related[0].role, "overlapping VPC");
  EXPECT_EQ(
      b.model.resources[static_cast<size_t>(findings[1].related[0].resource)]
          .address,
      "aws_vpc.a");
}

// A VPC whose blocks nest (AWS refuses that, an input may still say it):
// lookups use the outer block.
TEST(CidrOverlapModel, NestedVpcBlocks) {
  ModelBuilder b;
  b.add("aws_vpc.main", "aws_vpc", "us-east-1",
        R"({"cidr_block":"10.0.0.0/8"})")
      .add("aws_vpc_ipv4_cidr_block_association.inner",
           "aws_vpc_ipv4_cidr_block_association", "us-east-1",
           R"({"cidr_block":"10.5.0.0/16"})", {{"vpc_id", "aws_vpc.main"}})
      .add("aws_vpc.peer", "aws_vpc", "us-east-1",
           R"({"cidr_block":"172.16.0.0/16"})")
      .add("aws_vpc_peering_connection.p", "aws_vpc_peering_connection",
           "us-east-1", R"({})",
           {{"vpc_id", "aws_vpc.main"}, {"peer_vpc_id", "aws_vpc.peer"}})
      .add("aws_route_table.rt", "aws_route_table", "us-east-1", R"({})",
           {{"vpc_id", "aws_vpc.main"}})
      .add("aws_subnet.inside", "aws_subnet", "us-east-1",
           R"({"cidr_block":"10.9.0.0/24"})", {{"vpc_id", "aws_vpc.main"}})
      .add("aws_route.fail_home", "aws_route", "us-east-1",
           R"({"destination_cidr_block":"10.9.1.0/24"})",
           {{"route_table_id", "aws_route_table.rt"},
            {"vpc_peering_connection_id", "aws_vpc_peering_connection.p"}})
      .add("aws_route.to_peer", "aws_route", "us-east-1",
           R"({"destination_cidr_block":"172.16.0.0/16"})",
           {{"route_table_id", "aws_route_table.rt"},
            {"vpc_peering_connection_id", "aws_vpc_peering_connection.p"}});
  auto findings = b.run();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(addr(b.model, findings[0]), "aws_route.fail_home");
  EXPECT_EQ(findings[0].message,
            "aws_route.fail_home sends destination_cidr_block 10.9.1.0/24 to "
            "peering connection aws_vpc_peering_connection.p, but that range "
            "overlaps its own VPC aws_vpc.main 10.0.0.0/8 (us-east-1); the "
            "destination must be the peer VPC's range");
}

// AWS::EC2::SubnetCidrBlock adds an IPv6 block to a subnet; it must lie in
// the VPC's IPv6 block like the subnet's own.
TEST(CidrOverlapModel, SubnetCidrBlockAddsToTheSubnet) {
  ModelBuilder b;
  b.add("Net/Vpc", "aws_vpc", "us-east-1", R"({"CidrBlock":"10.0.0.0/16"})")
      .add("Net/VpcIpv6", "aws_vpc_ipv4_cidr_block_association", "us-east-1",
           R"({"Ipv6CidrBlock":"2600:1f18:4a1c:e200::/56"})",
           {{"vpc_id", "Net/Vpc"}})
      .add("Net/FailSubnet", "aws_subnet", "us-east-1",
           R"({"CidrBlock":"10.0.0.0/24"})", {{"vpc_id", "Net/Vpc"}})
      .add("Net/SubnetIpv6", "aws_ec2_subnet_cidr_block", "us-east-1",
           R"({"Ipv6CidrBlock":"2600:1f18:4a1c:f000::/64"})",
           {{"subnet_id", "Net/FailSubnet"}});
  for (auto& r : b.model.resources) r.format = Format::kCloudFormation;
  auto findings = b.run();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(addr(b.model, findings[0]), "Net/FailSubnet");
  EXPECT_EQ(findings[0].message,
            "Net/FailSubnet 2600:1f18:4a1c:f000::/64 (us-east-1) is not "
            "inside its VPC Net/Vpc (IPv6 block 2600:1f18:4a1c:e200::/56)");
  EXPECT_FALSE(findings[0].at.present());
  EXPECT_EQ(findings[0].related[0].role, "subnet's IPv6 block");
  EXPECT_EQ(findings[0].related[0].at.str(), "2600:1f18:4a1c:f000::/64");
}

// Subnets grouped by a VPC id that is not in the model are still siblings;
// with no VPC there is nothing to be inside of.
TEST(CidrOverlapModel, SiblingsOfAVpcOutsideTheModel) {
  ModelBuilder b;
  b.add("aws_subnet.a", "aws_subnet", "us-east-1",
        R"({"cidr_block":"10.0.0.0/24","vpc_id":"vpc-0abc"})")
      .add("aws_subnet.b", "aws_subnet", "us-east-1",
           R"({"cidr_block":"10.0.0.0/24","vpc_id":"vpc-0abc"})")
      .add("aws_subnet.c", "aws_subnet", "us-east-1",
           R"({"cidr_block":"10.0.0.0/24","vpc_id":"vpc-0def"})");
  auto findings = b.run();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(addr(b.model, findings[0]), "aws_subnet.b");
  EXPECT_EQ(findings[0].message,
            "aws_subnet.b 10.0.0.0/24 (us-east-1) overlaps sibling subnet "
            "aws_subnet.a 10.0.0.0/24 in VPC 'vpc-0abc'");
}

// Many identical subnets in one VPC: each one after the first (by address)
// is reported once, against the first; the sweep stays O(n log n).
TEST(CidrOverlapModel, ManyOverlappingSubnetsScale) {
  ModelBuilder b;
  b.add("aws_vpc.main", "aws_vpc", "us-east-1",
        R"({"cidr_block":"10.0.0.0/16"})");
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "aws_subnet.s%05d", i);
    b.add(name, "aws_subnet", "us-east-1", R"({"cidr_block":"10.0.7.0/24"})",
          {{"vpc_id", "aws_vpc.main"}});
  }
  auto start = std::chrono::steady_clock::now();
  auto findings = b.run();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_EQ(findings.size(), static_cast<size_t>(n - 1));
  for (const auto& f : findings) {
    ASSERT_EQ(f.related[0].role, "overlapping subnet");
    ASSERT_EQ(
        b.model.resources[static_cast<size_t>(f.related[0].resource)].address,
        "aws_subnet.s00000");
  }
  EXPECT_EQ(addr(b.model, findings.front()), "aws_subnet.s00001");
  EXPECT_EQ(addr(b.model, findings.back()), "aws_subnet.s19999");
  // Quadratic work would be 2e8 pair checks plus as many findings.
  EXPECT_LT(seconds, 5.0);
}

}  // namespace
}  // namespace drcheck
