// libFuzzer harness for parse_cidr (built only with -DDRCHECK_FUZZ=ON and
// clang): any input either fails with a reason or yields a block whose
// invariants hold and whose normalized text parses back to the same block.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/cidr.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using drcheck::Cidr;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  std::optional<Cidr> c = drcheck::parse_cidr(text, &error);
  if (!c) {
    check(!error.empty());
    return 0;
  }
  check(error.empty());
  check(c->first() <= c->last());
  check(c->text() == text);
  check(text.size() <= Cidr::kMaxText);
  int bits = c->is_v4() ? 32 : 128;
  check(c->prefix() >= 0 && c->prefix() <= bits);
  if (c->is_v4()) {
    check(c->first().hi == 0 && c->last().hi == 0);
    check(c->last().lo <= 0xffffffffULL);
  }
  check(c->contains(*c) && c->overlaps(*c) && c->same_range(*c));

  char buf[Cidr::kMaxText + 1];
  size_t n = c->normalized_to(buf);
  check(n <= Cidr::kMaxText && buf[n] == '\0');
  check(std::string(buf, n) == c->normalized());
  std::optional<Cidr> back =
      drcheck::parse_cidr(std::string_view(buf, n), nullptr);
  check(back.has_value());
  check(back->same_range(*c));
  check(back->prefix() == c->prefix());
  check(!back->host_bits_set());
  check(back->normalized() == c->normalized());
  check(back->family() == c->family());

  // cidrsubnet: a block of the base, or a reason.
  int newbits = static_cast<int>(size % 12);
  uint64_t netnum = size ? data[0] : 0;
  std::optional<Cidr> sub = drcheck::cidr_subnet(*c, newbits, netnum, &error);
  if (sub) {
    check(c->contains(*sub));
    check(sub->prefix() == c->prefix() + newbits);
    check(!sub->host_bits_set());
    std::optional<Cidr> again = drcheck::parse_cidr(sub->text(), nullptr);
    check(again && again->same_range(*sub));
  } else {
    check(!error.empty());
  }
  return 0;
}
