#include "sarif/json_out.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace drcheck {

namespace {

using oj = nlohmann::ordered_json;

enum ByteClass : uint8_t { kPlain, kEscape, kMultiByte };

constexpr std::array<uint8_t, 256> kByteClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c == '"' || c == '\\') {
      t[static_cast<size_t>(c)] = kEscape;
    } else if (c >= 0x80) {
      t[static_cast<size_t>(c)] = kMultiByte;
    }
  }
  return t;
}();

// Length of the well-formed UTF-8 sequence starting at s[i] (a byte >= 0x80),
// or 0 when it is ill-formed (Unicode table 3-7: no overlong forms, no
// surrogates, nothing past U+10FFFF, no truncation).
size_t utf8_sequence(std::string_view s, size_t i) {
  auto in = [&](size_t k, unsigned lo, unsigned hi) {
    if (k >= s.size()) return false;
    unsigned b = static_cast<unsigned char>(s[k]);
    return b >= lo && b <= hi;
  };
  unsigned lead = static_cast<unsigned char>(s[i]);
  if (lead >= 0xC2 && lead <= 0xDF) return in(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
    unsigned hi = lead == 0xED ? 0x9F : 0xBF;
    return in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
    unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
    return in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)
               ? 4
               : 0;
  }
  return 0;
}

// Whether none of the 8 bytes at `p` is a control character, '"', '\\'
// or a non-ASCII byte.
bool all_plain(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  uint64_t v;
  std::memcpy(&v, p, 8);
  // A byte below n sets its high bit in (v - n) & ~v (n <= 0x80); the first
  // such byte always does, which is all a yes/no answer needs.
  auto any_below = [](uint64_t x, uint64_t n) {
    return (x - kOnes * n) & ~x & kHigh;
  };
  uint64_t special = (v & kHigh) | any_below(v, 0x20) |
                     any_below(v ^ (kOnes * '"'), 1) |
                     any_below(v ^ (kOnes * '\\'), 1);
  return special == 0;
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static const char kHex[] = "0123456789abcdef";
      const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out.append(u, sizeof u);
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  const size_t start = out.size();
  out += '"';
  size_t copied = 0;  // s[0, copied) is in `out`
  size_t i = 0;
  while (i < s.size()) {
    // Eight plain bytes at a time.
    while (i + 8 <= s.size() && all_plain(s.data() + i)) i += 8;
    if (i == s.size()) break;
    uint8_t cls = kByteClass[static_cast<unsigned char>(s[i])];
    if (cls == kPlain) {
      ++i;
    } else if (cls == kMultiByte) {
      size_t n = utf8_sequence(s, i);
      if (n == 0) {
        // Rare: let the library spell out its replacement rules.
        out.resize(start);
        out += oj(std::string(s))
                   .dump(-1, ' ', false, oj::error_handler_t::replace);
        return;
      }
      i += n;
    } else {
      out.append(s.data() + copied, i - copied);
      append_escape(out, static_cast<unsigned char>(s[i]));
      copied = ++i;
    }
  }
  out.append(s.data() + copied, s.size() - copied);
  out += '"';
}

void JsonOut::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;
  if (open_.back()) {
    out_ += ",\n";
  } else {
    out_ += '\n';
    open_.back() = true;
  }
  out_.append(2 * open_.size(), ' ');
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_ += '{';
  open_.push_back(false);
  return *this;
}

JsonOut& JsonOut::begin_array() {
  separate();
  out_ += '[';
  open_.push_back(false);
  return *this;
}

JsonOut& JsonOut::close(char bracket) {
  bool any = open_.back();
  open_.pop_back();
  if (any) {
    out_ += '\n';
    out_.append(2 * open_.size(), ' ');
  }
  out_ += bracket;
  return *this;
}

JsonOut& JsonOut::end_object() { return close('}'); }

JsonOut& JsonOut::end_array() { return close(']'); }

JsonOut& JsonOut::key(std::string_view k) {
  separate();
  append_json_string(out_, k);
  out_ += ": ";
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::string(std::string_view s) {
  separate();
  append_json_string(out_, s);
  return *this;
}

JsonOut& JsonOut::boolean(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonOut& JsonOut::value(const oj& j) {
  switch (j.type()) {
    case oj::value_t::null:
      return null();
    case oj::value_t::boolean:
      return boolean(j.get<bool>());
    case oj::value_t::number_integer:
      return number(j.get<int64_t>());
    case oj::value_t::number_unsigned:
      return number(j.get<uint64_t>());
    case oj::value_t::string:
      return string(j.get_ref<const std::string&>());
    case oj::value_t::object:
      begin_object();
      for (auto it = j.begin(); it != j.end(); ++it) {
        key(it.key());
        value(it.value());
      }
      return end_object();
    case oj::value_t::array:
      begin_array();
      for (const oj& e : j) value(e);
      return end_array();
    default: {
      // Floats (the library's shortest round-trip form) and the rest: the
      // library's own text, indented to this depth.
      separate();
      std::string text = j.dump(2, ' ', false, oj::error_handler_t::replace);
      const std::string pad(2 * open_.size(), ' ');
      for (char ch : text) {
        out_ += ch;
        if (ch == '\n') out_ += pad;
      }
      return *this;
    }
  }
}

}  // namespace drcheck
