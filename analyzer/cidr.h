// cidr.h: strict IPv4 / IPv6 CIDR parsing and CIDR blocks as intervals.
//
//   std::string error;
//   std::optional<Cidr> c = parse_cidr("10.0.0.0/16", &error);
//   if (!c) ...  // error: "prefix length 33 is over 32", ...
//
// Accepted text (nothing else; no surrounding spaces, no signs):
//   IPv4: four dotted decimal octets 0-255 without leading zeros ("010" is
//         rejected: some tools read it as octal), then "/" and a prefix
//         length 0-32.
//   IPv6: RFC 4291 text: up to eight groups of 1-4 hex digits (either case),
//         at most one "::", optionally ending in a dotted IPv4 tail that
//         stands for the last two groups ("::ffff:10.0.0.1"); no zone
//         ("%eth0"). Then "/" and a prefix length 0-128.
//   Prefix lengths are decimal without leading zeros ("/08" is rejected).
//
// A block whose address has host bits set ("10.0.0.1/16") is still valid:
// it is the block the prefix selects (AWS normalizes it the same way), and
// host_bits_set() says the text was not canonical.
//
// A Cidr is the closed interval [first, last] of 128-bit addresses within its
// family. IPv4 and IPv6 are separate families: an IPv4 block never overlaps
// or contains an IPv6 block, not even ::ffff:0:0/96. Because CIDR blocks are
// aligned, two blocks of one family either are disjoint or one contains the
// other.
//
// Parsing never allocates (except to write *error on failure); a Cidr keeps
// a copy of its text in a small inline buffer.
#ifndef DRCHECK_ANALYZER_CIDR_H_
#define DRCHECK_ANALYZER_CIDR_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drcheck {

// An unsigned 128-bit address. IPv4 addresses use the low 32 bits.
struct Ip128 {
  uint64_t hi = 0;
  uint64_t lo = 0;
  friend constexpr auto operator<=>(const Ip128&, const Ip128&) = default;
};

enum class IpFamily : uint8_t { kV4 = 4, kV6 = 6 };

class Cidr {
 public:
  // The longest text a valid CIDR can have:
  // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128" (49 characters).
  static constexpr size_t kMaxText = 49;

  IpFamily family() const { return family_; }
  bool is_v4() const { return family_ == IpFamily::kV4; }
  bool is_v6() const { return family_ == IpFamily::kV6; }
  int prefix() const { return prefix_; }
  // The first and last address of the block.
  Ip128 first() const { return first_; }
  Ip128 last() const { return last_; }
  // Whether the written address had bits set beyond the prefix.
  bool host_bits_set() const { return host_bits_set_; }
  // The text exactly as parsed.
  std::string_view text() const { return {text_, text_len_}; }
  // Canonical text: the first address (IPv6 per RFC 5952: lower case, no
  // leading zeros, the longest run of two or more zero groups as "::")
  // and the prefix, e.g. "10.0.0.0/16", "2600:1f18::/56".
  std::string normalized() const;
  // Writes normalized() into buf (at least kMaxText + 1 bytes, NUL
  // terminated) without allocating; returns its length.
  size_t normalized_to(char* buf) const;

  // Interval relations; always false across families.
  bool overlaps(const Cidr& o) const {
    return family_ == o.family_ && first_ <= o.last_ && o.first_ <= last_;
  }
  bool contains(const Cidr& o) const {
    return family_ == o.family_ && first_ <= o.first_ && o.last_ <= last_;
  }
  // Same family and same interval (the text may differ).
  bool same_range(const Cidr& o) const {
    return family_ == o.family_ && first_ == o.first_ && last_ == o.last_;
  }

 private:
  friend std::optional<Cidr> parse_cidr(std::string_view, std::string*);
  friend std::optional<Cidr> cidr_subnet(const Cidr&, int, uint64_t,
                                         std::string*);
  IpFamily family_ = IpFamily::kV4;
  uint8_t prefix_ = 0;
  bool host_bits_set_ = false;
  uint8_t text_len_ = 0;
  char text_[kMaxText] = {};
  Ip128 first_;
  Ip128 last_;
};

// Parses `text` as a CIDR block. On failure returns nullopt and, when
// `error` is not null, sets it to why (e.g. "prefix length 33 is over 32",
// "octet 300 is over 255", "missing prefix length after '/'").
std::optional<Cidr> parse_cidr(std::string_view text, std::string* error);

// Terraform's cidrsubnet(prefix, newbits, netnum): the `netnum`-th block of
// prefix length base.prefix() + newbits inside `base`, e.g.
// cidr_subnet(10.0.0.0/16, 8, 10) = 10.0.10.0/24. Fails (with `error`) when
// the new prefix length exceeds the family's bits or netnum does not fit in
// newbits bits. The result's text is its normalized form.
std::optional<Cidr> cidr_subnet(const Cidr& base, int newbits, uint64_t netnum,
                                std::string* error);

// Total order for sorting blocks: family (IPv4 first), first address, then
// larger blocks before the blocks they contain.
inline bool cidr_order(const Cidr& a, const Cidr& b) {
  if (a.family() != b.family()) return a.family() < b.family();
  if (a.first() != b.first()) return a.first() < b.first();
  return a.last() > b.last();
}

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_CIDR_H_
