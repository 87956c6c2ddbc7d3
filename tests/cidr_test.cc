#include "analyzer/cidr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace drcheck {
namespace {

Cidr ok(std::string_view text) {
  std::string error;
  auto c = parse_cidr(text, &error);
  if (!c) {
    ADD_FAILURE() << "'" << text << "' did not parse: " << error;
    return *parse_cidr("0.0.0.0/0", nullptr);
  }
  return *c;
}

std::string err(std::string_view text) {
  std::string error;
  auto c = parse_cidr(text, &error);
  EXPECT_FALSE(c.has_value())
      << "'" << text << "' parsed as " << (c ? c->normalized() : "");
  EXPECT_FALSE(error.empty()) << text;
  return error;
}

constexpr Ip128 v4(uint32_t a) { return Ip128{0, a}; }

TEST(Cidr, ParsesIpv4Blocks) {
  Cidr c = ok("10.0.0.0/16");
  EXPECT_TRUE(c.is_v4());
  EXPECT_EQ(c.prefix(), 16);
  EXPECT_EQ(c.first(), v4(0x0a000000));
  EXPECT_EQ(c.last(), v4(0x0a00ffff));
  EXPECT_FALSE(c.host_bits_set());
  EXPECT_EQ(c.text(), "10.0.0.0/16");
  EXPECT_EQ(c.normalized(), "10.0.0.0/16");

  Cidr all = ok("0.0.0.0/0");
  EXPECT_EQ(all.first(), v4(0));
  EXPECT_EQ(all.last(), v4(0xffffffff));

  Cidr host = ok("255.255.255.255/32");
  EXPECT_EQ(host.first(), v4(0xffffffff));
  EXPECT_EQ(host.last(), v4(0xffffffff));

  Cidr odd = ok("172.16.0.0/12");
  EXPECT_EQ(odd.first(), v4(0xac100000));
  EXPECT_EQ(odd.last(), v4(0xac1fffff));

  Cidr one = ok("192.168.1.128/25");
  EXPECT_EQ(one.first(), v4(0xc0a80180));
  EXPECT_EQ(one.last(), v4(0xc0a801ff));
}

TEST(Cidr, HostBitsAreClearedButRemembered) {
  Cidr c = ok("10.0.1.7/16");
  EXPECT_TRUE(c.host_bits_set());
  EXPECT_EQ(c.first(), v4(0x0a000000));
  EXPECT_EQ(c.last(), v4(0x0a00ffff));
  EXPECT_EQ(c.text(), "10.0.1.7/16");
  EXPECT_EQ(c.normalized(), "10.0.0.0/16");

  Cidr z = ok("1.2.3.4/0");
  EXPECT_TRUE(z.host_bits_set());
  EXPECT_EQ(z.normalized(), "0.0.0.0/0");

  Cidr six = ok("2600:1f18:abcd:1234::1/56");
  EXPECT_TRUE(six.host_bits_set());
  EXPECT_EQ(six.normalized(), "2600:1f18:abcd:1200::/56");
  EXPECT_EQ(six.text(), "2600:1f18:abcd:1234::1/56");
}

TEST(Cidr, ParsesIpv6Blocks) {
  Cidr c = ok("2600:1f18:abcd:1200::/56");
  EXPECT_TRUE(c.is_v6());
  EXPECT_EQ(c.prefix(), 56);
  EXPECT_EQ(c.first(), (Ip128{0x26001f18abcd1200ULL, 0}));
  EXPECT_EQ(c.last(), (Ip128{0x26001f18abcd12ffULL, ~0ULL}));

  Cidr all = ok("::/0");
  EXPECT_EQ(all.first(), (Ip128{0, 0}));
  EXPECT_EQ(all.last(), (Ip128{~0ULL, ~0ULL}));
  EXPECT_EQ(all.normalized(), "::/0");

  Cidr lo = ok("::1/128");
  EXPECT_EQ(lo.first(), (Ip128{0, 1}));
  EXPECT_EQ(lo.last(), (Ip128{0, 1}));

  Cidr full = ok("2001:0DB8:0000:0000:0000:ff00:0042:8329/128");
  EXPECT_EQ(full.first(),
            (Ip128{0x20010db800000000ULL, 0x0000ff0000428329ULL}));
  EXPECT_EQ(full.normalized(), "2001:db8::ff00:42:8329/128");

  // Prefix boundaries at the 64-bit halves.
  Cidr half = ok("2001:db8:1:2::/64");
  EXPECT_EQ(half.first(), (Ip128{0x20010db800010002ULL, 0}));
  EXPECT_EQ(half.last(), (Ip128{0x20010db800010002ULL, ~0ULL}));
  Cidr p65 = ok("2001:db8:1:2:8000::/65");
  EXPECT_EQ(p65.first(), (Ip128{0x20010db800010002ULL, 0x8000000000000000ULL}));
  EXPECT_EQ(p65.last(), (Ip128{0x20010db800010002ULL, ~0ULL}));
  Cidr p1 = ok("8000::/1");
  EXPECT_EQ(p1.first(), (Ip128{0x8000000000000000ULL, 0}));
  EXPECT_EQ(p1.last(), (Ip128{~0ULL, ~0ULL}));
}

TEST(Cidr, Ipv6CompressionForms) {
  EXPECT_EQ(ok("1::/16").first(), (Ip128{0x0001000000000000ULL, 0}));
  EXPECT_EQ(ok("1:2:3:4:5:6:7::/128").first(),
            (Ip128{0x0001000200030004ULL, 0x0005000600070000ULL}));
  EXPECT_EQ(ok("::2:3:4:5:6:7:8/128").first(),
            (Ip128{0x0000000200030004ULL, 0x0005000600070008ULL}));
  EXPECT_EQ(ok("1:0:0:1::1/128").first(),
            (Ip128{0x0001000000000001ULL, 0x0000000000000001ULL}));
  EXPECT_EQ(ok("FE80::ABCD/10").normalized(), "fe80::/10");
}

TEST(Cidr, Ipv6WithIpv4Tail) {
  Cidr mapped = ok("::ffff:10.0.0.1/128");
  EXPECT_TRUE(mapped.is_v6());
  EXPECT_EQ(mapped.first(), (Ip128{0, 0x0000ffff0a000001ULL}));
  EXPECT_EQ(mapped.normalized(), "::ffff:a00:1/128");
  EXPECT_EQ(ok("::1.2.3.4/128").first(), (Ip128{0, 0x01020304ULL}));
  EXPECT_EQ(ok("1:2:3:4:5:6:1.2.3.4/128").first(),
            (Ip128{0x0001000200030004ULL, 0x0005000601020304ULL}));
  EXPECT_EQ(ok("64:ff9b::192.0.2.33/96").normalized(), "64:ff9b::/96");
  // The longest valid text.
  Cidr longest = ok("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128");
  EXPECT_EQ(longest.text().size(), Cidr::kMaxText);
  EXPECT_EQ(longest.last(), (Ip128{~0ULL, ~0ULL}));
}

TEST(Cidr, NormalizedFollowsRfc5952) {
  EXPECT_EQ(ok("2001:db8:0:0:1:0:0:1/128").normalized(),
            "2001:db8::1:0:0:1/128");  // first of two equal runs
  EXPECT_EQ(ok("2001:db8:0:1:1:1:1:1/128").normalized(),
            "2001:db8:0:1:1:1:1:1/128");  // a single zero group stays
  EXPECT_EQ(ok("2001:0:0:1:0:0:0:1/128").normalized(),
            "2001:0:0:1::1/128");  // the longest run wins
  EXPECT_EQ(ok("0:0:0:0:0:0:0:0/128").normalized(), "::/128");
  EXPECT_EQ(ok("1:0:0:0:0:0:0:0/16").normalized(), "1::/16");
  EXPECT_EQ(ok("0:0:0:0:0:0:0:1/128").normalized(), "::1/128");
}

TEST(Cidr, RejectsWithReasons) {
  EXPECT_EQ(err("10.0.0.0/33"), "prefix length 33 is over 32");
  EXPECT_EQ(err("300.1.1.1/8"), "octet 300 is over 255");
  EXPECT_EQ(err(""), "empty string");
  EXPECT_EQ(err("10.0.0/16"), "IPv4 address '10.0.0' has 3 octets, expected 4");
  EXPECT_EQ(err("1.2.3.4/"), "missing prefix length after '/'");
  EXPECT_EQ(err("::/129"), "prefix length 129 is over 128");
  EXPECT_EQ(err("garbage"), "'garbage' is not an IPv4 or IPv6 address");
  EXPECT_EQ(err("10.0.0.0"), "missing '/' and prefix length after the address");
  EXPECT_EQ(err("/16"), "missing address before '/'");
  EXPECT_EQ(err("1.2.3.4.5/32"),
            "IPv4 address '1.2.3.4.5' has more than 4 octets");
  EXPECT_EQ(err("1..3.4/32"), "empty octet in IPv4 address '1..3.4'");
  EXPECT_EQ(err("1.2.3./32"), "empty octet in IPv4 address '1.2.3.'");
  EXPECT_EQ(err("010.0.0.0/8"),
            "octet '010' has a leading zero (ambiguous: octal in some tools)");
  EXPECT_EQ(err("1000.0.0.0/8"), "octet 1000 is over 255");
  EXPECT_EQ(err("10.0.0.0/08"), "prefix length '08' has a leading zero");
  EXPECT_EQ(err("10.0.0.0/+8"), "prefix length '+8' is not a decimal number");
  EXPECT_EQ(err("10.0.0.0/-1"), "prefix length '-1' is not a decimal number");
  EXPECT_EQ(err("10.0.0.0/16 "), "prefix length '16 ' is not a decimal number");
  EXPECT_EQ(err("10.0.0.0/1000"), "prefix length 1000 is over 32");
  EXPECT_EQ(err("10.0.0.0/16/2"),
            "prefix length '16/2' is not a decimal number");
  EXPECT_EQ(err(" 10.0.0.0/16"), "' 10.0.0.0' is not an IPv4 or IPv6 address");
  EXPECT_EQ(err("+10.0.0.0/16"), "'+10.0.0.0' is not an IPv4 or IPv6 address");
  EXPECT_EQ(err("10.0.0.a/16"),
            "unexpected character 'a' in IPv4 address '10.0.0.a'");
  EXPECT_EQ(err("10.0.0.0\n/16"),
            "unexpected character '\\x0a' in IPv4 address '10.0.0.0\\x0a'");
  EXPECT_EQ(err("2001:db8::/1e2"),
            "prefix length '1e2' is not a decimal number");
}

TEST(Cidr, RejectsBadIpv6) {
  EXPECT_EQ(err("1::2::3/64"), "IPv6 address '1::2::3' has more than one '::'");
  EXPECT_EQ(err(":::/0"), "':::' in IPv6 address ':::'");
  EXPECT_EQ(err(":1::/16"), "empty group in IPv6 address ':1::'");
  EXPECT_EQ(err("::1:/16"), "empty group in IPv6 address '::1:'");
  EXPECT_EQ(err("1:2:3:4:5:6:7/64"),
            "IPv6 address '1:2:3:4:5:6:7' has 7 groups, expected 8 (or '::')");
  EXPECT_EQ(err("1:2:3:4:5:6:7:8:9/64"),
            "IPv6 address '1:2:3:4:5:6:7:8:9' has too many groups");
  EXPECT_EQ(err("1:2:3:4:5:6:7:8::/64"),
            "IPv6 address '1:2:3:4:5:6:7:8::' has 8 groups besides '::', which "
            "must stand for at least one");
  EXPECT_EQ(err("12345::/16"), "group '12345' has more than 4 hex digits");
  EXPECT_EQ(err("2001:db8::g/64"),
            "unexpected character 'g' in IPv6 address '2001:db8::g'");
  EXPECT_EQ(err("fe80::1%eth0/64"),
            "zone index '%eth0' is not allowed in a CIDR block");
  EXPECT_EQ(err("1.2.3.4::/64"),
            "an IPv4 part may only end an IPv6 address, in '1.2.3.4::'");
  EXPECT_EQ(err("::1.2.3.4:5/64"),
            "an IPv4 part may only end an IPv6 address, in '::1.2.3.4:5'");
  EXPECT_EQ(err("1:2:3:4:5:6:7:1.2.3.4/128"),
            "IPv6 address '1:2:3:4:5:6:7:1.2.3.4' has too many groups");
  EXPECT_EQ(err("::ffff:300.0.0.1/128"), "octet 300 is over 255");
  EXPECT_EQ(err("::ffff:1.2.3/128"),
            "IPv4 address '1.2.3' has 3 octets, expected 4");
  EXPECT_EQ(err("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/1280"),
            "too long to be a CIDR block (50 characters)");
}

TEST(Cidr, ErrorPointerMayBeNull) {
  EXPECT_FALSE(parse_cidr("10.0.0.0/33", nullptr).has_value());
  EXPECT_TRUE(parse_cidr("10.0.0.0/8", nullptr).has_value());
}

TEST(Cidr, IntervalRelations) {
  Cidr vpc = ok("10.0.0.0/16");
  Cidr sub = ok("10.0.3.0/24");
  Cidr other = ok("10.1.0.0/16");
  Cidr wide = ok("10.0.0.0/8");
  EXPECT_TRUE(vpc.contains(sub));
  EXPECT_FALSE(sub.contains(vpc));
  EXPECT_TRUE(vpc.overlaps(sub));
  EXPECT_TRUE(sub.overlaps(vpc));
  EXPECT_FALSE(vpc.overlaps(other));
  EXPECT_TRUE(wide.overlaps(other));
  EXPECT_TRUE(vpc.same_range(ok("10.0.9.9/16")));
  EXPECT_FALSE(vpc.same_range(sub));
  // Adjacent blocks do not overlap.
  EXPECT_FALSE(ok("10.0.0.0/25").overlaps(ok("10.0.0.128/25")));
  EXPECT_TRUE(ok("10.0.0.0/25").overlaps(ok("10.0.0.127/32")));
}

TEST(Cidr, FamiliesNeverOverlap) {
  Cidr v4all = ok("0.0.0.0/0");
  Cidr v6all = ok("::/0");
  Cidr mapped = ok("::ffff:0.0.0.0/96");
  Cidr compat = ok("::/96");  // holds the same numeric values as IPv4
  EXPECT_FALSE(v4all.overlaps(v6all));
  EXPECT_FALSE(v6all.overlaps(v4all));
  EXPECT_FALSE(v4all.overlaps(mapped));
  EXPECT_FALSE(v4all.overlaps(compat));
  EXPECT_FALSE(v6all.contains(v4all));
  EXPECT_FALSE(v4all.same_range(compat));
  EXPECT_TRUE(v6all.contains(mapped));
}

TEST(Cidr, OrderPutsContainersBeforeContents) {
  std::vector<Cidr> v = {ok("10.0.1.0/24"), ok("::/0"),
                         ok("10.0.0.0/16"), ok("9.0.0.0/8"),
                         ok("10.0.0.0/24"), ok("::1/128")};
  std::sort(v.begin(), v.end(), cidr_order);
  std::vector<std::string> got;
  for (const auto& c : v) got.push_back(c.normalized());
  EXPECT_EQ(got,
            (std::vector<std::string>{"9.0.0.0/8", "10.0.0.0/16", "10.0.0.0/24",
                                      "10.0.1.0/24", "::/0", "::1/128"}));
}

TEST(Cidr, NormalizedTextRoundTrips) {
  for (const char* t :
       {"10.0.0.0/16", "10.0.1.7/16", "0.0.0.0/0", "255.255.255.255/32", "::/0",
        "::1/128", "2600:1f18:abcd:1234::1/56", "fe80::/10",
        "1:2:3:4:5:6:7:8/128", "1:0:0:0:1:0:0:0/128", "::ffff:1.2.3.4/120",
        "2001:db8:0:0:1:0:0:1/127", "0:0:0:0:0:0:0:1/1"}) {
    SCOPED_TRACE(t);
    Cidr c = ok(t);
    char buf[Cidr::kMaxText + 1];
    size_t n = c.normalized_to(buf);
    EXPECT_EQ(std::string(buf, n), c.normalized());
    Cidr back = ok(c.normalized());
    EXPECT_TRUE(back.same_range(c));
    EXPECT_EQ(back.prefix(), c.prefix());
    EXPECT_FALSE(back.host_bits_set());
    EXPECT_EQ(back.normalized(), c.normalized());
  }
}

TEST(Cidr, SubnetLikeTerraformCidrsubnet) {
  auto sub = [](std::string_view base, int newbits, uint64_t netnum) {
    std::string error;
    auto c = cidr_subnet(ok(base), newbits, netnum, &error);
    return c ? c->normalized() + "|" + std::string(c->text()) : error;
  };
  EXPECT_EQ(sub("10.0.0.0/16", 8, 10), "10.0.10.0/24|10.0.10.0/24");
  EXPECT_EQ(sub("10.0.0.0/16", 4, 15), "10.0.240.0/20|10.0.240.0/20");
  EXPECT_EQ(sub("10.0.1.7/16", 8, 1), "10.0.1.0/24|10.0.1.0/24");
  EXPECT_EQ(sub("10.0.0.0/16", 0, 0), "10.0.0.0/16|10.0.0.0/16");
  EXPECT_EQ(sub("10.0.0.0/16", 16, 65535), "10.0.255.255/32|10.0.255.255/32");
  EXPECT_EQ(sub("10.0.0.0/16", 8, 256), "netnum 256 does not fit in 8 bits");
  EXPECT_EQ(sub("10.0.0.0/30", 3, 0), "prefix length 30 + 3 is over 32");
  EXPECT_EQ(sub("10.0.0.0/16", -1, 0), "newbits -1 is negative");
  EXPECT_EQ(sub("2600:1f18:4a1c:e200::/56", 8, 1),
            "2600:1f18:4a1c:e201::/64|2600:1f18:4a1c:e201::/64");
  EXPECT_EQ(sub("::/0", 64, 5), "0:0:0:5::/64|0:0:0:5::/64");
  EXPECT_EQ(sub("::/0", 96, 1), "::1:0:0/96|::1:0:0/96");
  EXPECT_EQ(sub("::/0", 128, 1), "::1/128|::1/128");
  // netnum fills the low 64 of the 96 new bits.
  EXPECT_EQ(sub("2001:db8::/32", 96, ~uint64_t{0}),
            "2001:db8::ffff:ffff:ffff:ffff/128|"
            "2001:db8::ffff:ffff:ffff:ffff/128");
  EXPECT_EQ(sub("2001:db8::/32", 16, 65536),
            "netnum 65536 does not fit in 16 bits");
  Cidr c = *cidr_subnet(ok("10.0.0.0/16"), 8, 10, nullptr);
  EXPECT_EQ(c.first(), v4(0x0a000a00));
  EXPECT_EQ(c.last(), v4(0x0a000aff));
  EXPECT_FALSE(c.host_bits_set());
}

// Every prefix length of both families gives an aligned block whose size is
// 2^(bits - prefix).
TEST(Cidr, EveryPrefixLength) {
  for (int p = 0; p <= 32; ++p) {
    Cidr c = ok("255.255.255.255/" + std::to_string(p));
    uint64_t size = uint64_t{1} << (32 - p);
    EXPECT_EQ(c.last().lo - c.first().lo + 1, size) << p;
    EXPECT_EQ(c.first().lo % size, 0u) << p;
    EXPECT_EQ(c.host_bits_set(), p < 32) << p;
  }
  for (int p = 0; p <= 128; ++p) {
    Cidr c = ok("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/" + std::to_string(p));
    EXPECT_EQ(c.last(), (Ip128{~0ULL, ~0ULL})) << p;
    EXPECT_EQ(c.first().hi, p >= 64 ? ~0ULL : (p == 0 ? 0 : ~0ULL << (64 - p)))
        << p;
    EXPECT_EQ(c.first().lo,
              p <= 64 ? 0 : (p == 128 ? ~0ULL : ~0ULL << (128 - p)))
        << p;
  }
}

}  // namespace
}  // namespace drcheck
