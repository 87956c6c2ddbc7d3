#include "analyzer/cidr.h"

#include <cstring>

namespace drcheck {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Errors are built only on failure, so the success path never allocates.
void fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

// A character as it may be shown in a message: printable ASCII as itself,
// anything else as \xNN.
std::string shown(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string(1, c);
  static const char kHex[] = "0123456789abcdef";
  return std::string{'\\', 'x', kHex[u >> 4], kHex[u & 0xf]};
}

// A piece of the input quoted for a message, with unprintable bytes escaped.
std::string quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += shown(c);
  out += "'";
  return out;
}

// Parses a dotted-quad IPv4 address.
bool parse_v4(std::string_view s, uint32_t& out, std::string* error) {
  uint32_t value = 0;
  int octets = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    std::string_view octet = s.substr(start, i - start);
    if (octet.empty()) {
      if (i < s.size() && s[i] != '.') {
        fail(error, "unexpected character '" + shown(s[i]) +
                        "' in IPv4 address " + quoted(s));
      } else {
        fail(error, "empty octet in IPv4 address " + quoted(s));
      }
      return false;
    }
    if (octet.size() > 3) {
      fail(error, "octet " + std::string(octet) + " is over 255");
      return false;
    }
    uint32_t v = 0;
    for (char c : octet) v = v * 10 + static_cast<uint32_t>(c - '0');
    if (v > 255) {
      fail(error, "octet " + std::string(octet) + " is over 255");
      return false;
    }
    if (octet.size() > 1 && octet[0] == '0') {
      fail(error, "octet '" + std::string(octet) +
                      "' has a leading zero (ambiguous: octal in some tools)");
      return false;
    }
    ++octets;
    if (octets > 4) {
      fail(error, "IPv4 address " + quoted(s) + " has more than 4 octets");
      return false;
    }
    value = (value << 8) | v;
    if (i == s.size()) break;
    if (s[i] != '.') {
      fail(error, "unexpected character '" + shown(s[i]) +
                      "' in IPv4 address " + quoted(s));
      return false;
    }
    ++i;  // '.'
  }
  if (octets != 4) {
    fail(error, "IPv4 address " + quoted(s) + " has " + std::to_string(octets) +
                    " octet" + (octets == 1 ? "" : "s") + ", expected 4");
    return false;
  }
  out = value;
  return true;
}

// Parses colon-separated hex groups (no "::" inside) into out[n...]. When
// `v4_tail` is set the last piece may be a dotted IPv4 address (two groups).
bool parse_groups(std::string_view s, std::string_view whole, uint16_t* out,
                  int& n, bool v4_tail, std::string* error) {
  if (s.empty()) return true;
  size_t i = 0;
  while (true) {
    size_t end = s.find(':', i);
    std::string_view piece = s.substr(
        i, end == std::string_view::npos ? std::string_view::npos : end - i);
    bool last = end == std::string_view::npos;
    if (piece.empty()) {
      fail(error, "empty group in IPv6 address " + quoted(whole));
      return false;
    }
    if (piece.find('.') != std::string_view::npos) {
      if (!last || !v4_tail) {
        fail(error,
             "an IPv4 part may only end an IPv6 address, in " + quoted(whole));
        return false;
      }
      if (n > 6) {
        fail(error, "IPv6 address " + quoted(whole) + " has too many groups");
        return false;
      }
      uint32_t v4 = 0;
      if (!parse_v4(piece, v4, error)) return false;
      out[n++] = static_cast<uint16_t>(v4 >> 16);
      out[n++] = static_cast<uint16_t>(v4 & 0xffff);
    } else {
      if (piece.size() > 4) {
        for (char c : piece) {
          if (hex_value(c) < 0) {
            fail(error, "unexpected character '" + shown(c) +
                            "' in IPv6 address " + quoted(whole));
            return false;
          }
        }
        fail(error,
             "group '" + std::string(piece) + "' has more than 4 hex digits");
        return false;
      }
      uint32_t v = 0;
      for (char c : piece) {
        int h = hex_value(c);
        if (h < 0) {
          fail(error, "unexpected character '" + shown(c) +
                          "' in IPv6 address " + quoted(whole));
          return false;
        }
        v = (v << 4) | static_cast<uint32_t>(h);
      }
      if (n >= 8) {
        fail(error, "IPv6 address " + quoted(whole) + " has too many groups");
        return false;
      }
      out[n++] = static_cast<uint16_t>(v);
    }
    if (last) return true;
    i = end + 1;
  }
}

bool parse_v6(std::string_view s, Ip128& out, std::string* error) {
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    fail(error, "zone index " + quoted(s.substr(pct)) +
                    " is not allowed in a CIDR block");
    return false;
  }
  uint16_t head[8] = {};
  uint16_t tail[8] = {};
  int nh = 0;
  int nt = 0;
  size_t dc = s.find("::");
  bool compressed = dc != std::string_view::npos;
  if (compressed) {
    std::string_view h = s.substr(0, dc);
    std::string_view t = s.substr(dc + 2);
    if (!t.empty() && t[0] == ':') {
      fail(error, "':::' in IPv6 address " + quoted(s));
      return false;
    }
    if (t.find("::") != std::string_view::npos) {
      fail(error, "IPv6 address " + quoted(s) + " has more than one '::'");
      return false;
    }
    if (!parse_groups(h, s, head, nh, /*v4_tail=*/false, error)) return false;
    if (!parse_groups(t, s, tail, nt, /*v4_tail=*/true, error)) return false;
    if (nh + nt > 7) {
      fail(error, "IPv6 address " + quoted(s) +
                      " has 8 groups besides '::', which must stand for at "
                      "least one");
      return false;
    }
  } else {
    if (!parse_groups(s, s, head, nh, /*v4_tail=*/true, error)) return false;
    if (nh != 8) {
      fail(error, "IPv6 address " + quoted(s) + " has " + std::to_string(nh) +
                      " group" + (nh == 1 ? "" : "s") +
                      ", expected 8 (or '::')");
      return false;
    }
  }
  uint16_t g[8] = {};
  for (int i = 0; i < nh; ++i) g[i] = head[i];
  for (int i = 0; i < nt; ++i) g[8 - nt + i] = tail[i];
  Ip128 v;
  for (int i = 0; i < 4; ++i) v.hi = (v.hi << 16) | g[i];
  for (int i = 4; i < 8; ++i) v.lo = (v.lo << 16) | g[i];
  out = v;
  return true;
}

// The low `bits` bits set (0 <= bits <= 128).
Ip128 low_bits(int bits) {
  Ip128 m;
  if (bits <= 0) return m;
  if (bits >= 128) return Ip128{~uint64_t{0}, ~uint64_t{0}};
  if (bits >= 64) {
    m.lo = ~uint64_t{0};
    m.hi = bits == 64 ? 0 : (uint64_t{1} << (bits - 64)) - 1;
  } else {
    m.lo = (uint64_t{1} << bits) - 1;
  }
  return m;
}

// A tiny writer into a caller's buffer.
struct Out {
  char* p;
  size_t n = 0;
  void put(char c) { p[n++] = c; }
  void dec(unsigned v) {
    char tmp[4];
    int k = 0;
    do {
      tmp[k++] = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v);
    while (k) put(tmp[--k]);
  }
  void hex(unsigned v) {
    static const char kHex[] = "0123456789abcdef";
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      unsigned d = (v >> shift) & 0xf;
      if (d || started || shift == 0) {
        put(kHex[d]);
        started = true;
      }
    }
  }
};

}  // namespace

std::optional<Cidr> parse_cidr(std::string_view text, std::string* error) {
  if (text.empty()) {
    fail(error, "empty string");
    return std::nullopt;
  }
  if (text.size() > Cidr::kMaxText) {
    fail(error, "too long to be a CIDR block (" + std::to_string(text.size()) +
                    " characters)");
    return std::nullopt;
  }
  size_t slash = text.find('/');
  bool has_slash = slash != std::string_view::npos;
  std::string_view addr = text.substr(0, slash);
  std::string_view pfx = has_slash ? text.substr(slash + 1) : "";
  if (addr.empty()) {
    fail(error, "missing address before '/'");
    return std::nullopt;
  }

  Cidr c;
  Ip128 value;
  int max_prefix;
  if (addr.find(':') != std::string_view::npos) {
    c.family_ = IpFamily::kV6;
    max_prefix = 128;
    if (!parse_v6(addr, value, error)) return std::nullopt;
  } else if (is_digit(addr[0])) {
    c.family_ = IpFamily::kV4;
    max_prefix = 32;
    uint32_t v4 = 0;
    if (!parse_v4(addr, v4, error)) return std::nullopt;
    value.lo = v4;
  } else {
    fail(error, quoted(addr) + " is not an IPv4 or IPv6 address");
    return std::nullopt;
  }

  if (!has_slash) {
    fail(error, "missing '/' and prefix length after the address");
    return std::nullopt;
  }
  if (pfx.empty()) {
    fail(error, "missing prefix length after '/'");
    return std::nullopt;
  }
  for (char ch : pfx) {
    if (!is_digit(ch)) {
      fail(error, "prefix length " + quoted(pfx) + " is not a decimal number");
      return std::nullopt;
    }
  }
  if (pfx.size() > 1 && pfx[0] == '0') {
    fail(error, "prefix length " + quoted(pfx) + " has a leading zero");
    return std::nullopt;
  }
  if (pfx.size() > 3) {
    fail(error, "prefix length " + std::string(pfx) + " is over " +
                    std::to_string(max_prefix));
    return std::nullopt;
  }
  int prefix = 0;
  for (char ch : pfx) prefix = prefix * 10 + (ch - '0');
  if (prefix > max_prefix) {
    fail(error, "prefix length " + std::to_string(prefix) + " is over " +
                    std::to_string(max_prefix));
    return std::nullopt;
  }

  Ip128 host = low_bits(max_prefix - prefix);
  c.prefix_ = static_cast<uint8_t>(prefix);
  c.first_ = Ip128{value.hi & ~host.hi, value.lo & ~host.lo};
  c.last_ = Ip128{c.first_.hi | host.hi, c.first_.lo | host.lo};
  c.host_bits_set_ = (value.hi & host.hi) != 0 || (value.lo & host.lo) != 0;
  std::memcpy(c.text_, text.data(), text.size());
  c.text_len_ = static_cast<uint8_t>(text.size());
  return c;
}

size_t Cidr::normalized_to(char* buf) const {
  Out o{buf};
  if (family_ == IpFamily::kV4) {
    uint32_t v = static_cast<uint32_t>(first_.lo);
    for (int i = 3; i >= 0; --i) {
      o.dec((v >> (8 * i)) & 0xff);
      if (i) o.put('.');
    }
  } else {
    unsigned g[8];
    for (int i = 0; i < 4; ++i) {
      g[i] = static_cast<unsigned>((first_.hi >> (48 - 16 * i)) & 0xffff);
      g[4 + i] = static_cast<unsigned>((first_.lo >> (48 - 16 * i)) & 0xffff);
    }
    // Longest run of at least two zero groups; the first one on ties.
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
      if (g[i] != 0) {
        ++i;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) ++j;
      if (j - i > best_len) {
        best = i;
        best_len = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8;) {
      if (i == best) {
        o.put(':');
        o.put(':');
        i += best_len;
        continue;
      }
      if (i > 0 && i != best + best_len) o.put(':');
      o.hex(g[i]);
      ++i;
    }
  }
  o.put('/');
  o.dec(prefix_);
  buf[o.n] = '\0';
  return o.n;
}

std::string Cidr::normalized() const {
  char buf[kMaxText + 1];
  size_t n = normalized_to(buf);
  return std::string(buf, n);
}

std::optional<Cidr> cidr_subnet(const Cidr& base, int newbits, uint64_t netnum,
                                std::string* error) {
  int bits = base.is_v4() ? 32 : 128;
  if (newbits < 0) {
    fail(error, "newbits " + std::to_string(newbits) + " is negative");
    return std::nullopt;
  }
  int prefix = base.prefix() + newbits;
  if (prefix > bits) {
    fail(error, "prefix length " + std::to_string(base.prefix()) + " + " +
                    std::to_string(newbits) + " is over " +
                    std::to_string(bits));
    return std::nullopt;
  }
  if (newbits < 64 && netnum >> newbits != 0) {
    fail(error, "netnum " + std::to_string(netnum) + " does not fit in " +
                    std::to_string(newbits) + " bits");
    return std::nullopt;
  }
  // offset = netnum << (bits - prefix), in 128 bits.
  int shift = bits - prefix;
  Ip128 offset;
  if (shift >= 128) {
    offset = Ip128{};
  } else if (shift >= 64) {
    offset.hi = netnum << (shift - 64);
  } else if (shift == 0) {
    offset.lo = netnum;
  } else {
    offset.lo = netnum << shift;
    offset.hi = netnum >> (64 - shift);
  }
  Cidr c = base;
  c.prefix_ = static_cast<uint8_t>(prefix);
  c.first_ = Ip128{base.first_.hi | offset.hi, base.first_.lo | offset.lo};
  Ip128 host = low_bits(bits - prefix);
  c.last_ = Ip128{c.first_.hi | host.hi, c.first_.lo | host.lo};
  c.host_bits_set_ = false;
  char buf[Cidr::kMaxText + 1];
  size_t n = c.normalized_to(buf);
  std::memcpy(c.text_, buf, n);
  c.text_len_ = static_cast<uint8_t>(n);
  return c;
}

}  // namespace drcheck
