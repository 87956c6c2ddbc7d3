#include "analyzer/json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "analyzer/utf8.h"

namespace drcheck::json {

const char* type_name(Type t) {
  switch (t) {
    case Type::kAbsent:
      return "nothing";
    case Type::kNull:
      return "null";
    case Type::kFalse:
    case Type::kTrue:
      return "a boolean";
    case Type::kNumber:
      return "a number";
    case Type::kString:
      return "a string";
    case Type::kArray:
      return "an array";
    case Type::kObject:
      return "an object";
  }
  return "?";
}

namespace {

constexpr uint32_t kTypeShift = 24;
constexpr uint32_t kEscapedValue = 1u << 28;
constexpr uint32_t kEscapedKey = 1u << 29;
constexpr uint32_t kMember = 1u << 30;
constexpr uint32_t kSkipped = 1u << 31;
constexpr uint32_t kNoNode = 0xFFFFFFFFu;
constexpr uint32_t kKeyLenMask = (1u << 24) - 1;

inline Type node_type(const JsonDoc::Node& n) {
  return static_cast<Type>((n.bits >> kTypeShift) & 0xF);
}

inline bool is_container(Type t) {
  return t == Type::kArray || t == Type::kObject;
}

// SWAR helpers over 8 bytes.
inline uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;
inline uint64_t has_zero(uint64_t v) { return (v - kOnes) & ~v & kHighs; }
inline uint64_t has_less(uint64_t v, uint8_t n) {
  return (v - kOnes * n) & ~v & kHighs;
}

#ifdef __SSE2__
// The offset of the first byte at or after `i` that stops a scan, 16 bytes
// at a time: `stop` gives the 16-bit mask of stopping bytes in a load. The
// text is followed by zero padding, so the last load may run past `n`; a
// result past `n` means none stopped before the end.
template <typename Stop>
inline size_t scan_until(const char* p, size_t i, size_t n, Stop stop) {
  while (i < n) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    if (uint32_t m = stop(v)) return i + static_cast<size_t>(__builtin_ctz(m));
    i += 16;
  }
  return i;
}
#endif

}  // namespace

class Parser {
 public:
  Parser(const SourceFile& src, JsonDoc& doc, ParseOptions opt)
      : src_(src), doc_(doc), opt_(opt), p_(src.data()), n_(src.size()) {}

  bool run();
  Diagnostic error() const { return error_; }

 private:
  bool fail(size_t at, std::string msg) {
    if (failed_) return false;
    failed_ = true;
    Position pos = src_.position(static_cast<uint32_t>(std::min(at, n_)));
    error_.file = src_.path();
    error_.line = pos.line;
    error_.column = pos.column;
    error_.message = std::move(msg);
    return false;
  }
  std::string describe(size_t at) const {
    if (at >= n_) return "end of input";
    unsigned char c = static_cast<unsigned char>(p_[at]);
    if (c >= 0x20 && c < 0x7F) return std::string("'") + char(c) + "'";
    char buf[16];
    snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }
  inline void skip_ws() {
    // Most calls find a token right away (minified input, or after the one
    // space that follows a colon).
    if (i_<n_&& static_cast<unsigned char>(p_[i_])> ' ') return;
#ifdef __SSE2__
    i_ = std::min(n_, scan_until(p_, i_, n_, [](__m128i v) {
                    __m128i ws = _mm_or_si128(
                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
                    return ~static_cast<uint32_t>(_mm_movemask_epi8(ws)) &
                           0xFFFFu;
                  }));
    return;
#endif
    // Pretty-printed input: skip runs of 8 spaces at once (the buffer is
    // padded, so reading 8 bytes near the end is safe).
    while (i_ + 8 <= n_ && load8(p_ + i_) == kOnes * ' ') i_ += 8;
    while (i_ < n_) {
      char c = p_[i_];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        ++i_;
      } else {
        break;
      }
    }
  }
  // Scans a string starting at the opening quote at i_. On success i_ is past
  // the closing quote; `escaped` says whether it had a backslash escape.
  bool scan_string(bool& escaped);
  bool scan_number();
  bool scan_literal(const char* word, size_t len, Type t);
  void push_node(Type t, uint32_t extent) {
    if (skip_from_ != kNotSkipping) {
      pending_key_ = 0;
      pending_bits_ = 0;
      return;
    }
    JsonDoc::Node n;
    n.offset = static_cast<uint32_t>(i_);
    n.extent = extent;
    n.key = pending_key_;
    n.bits = (static_cast<uint32_t>(t) << kTypeShift) | pending_bits_;
    pending_key_ = 0;
    pending_bits_ = 0;
    doc_.nodes_.push_back(n);
  }

  const SourceFile& src_;
  JsonDoc& doc_;
  ParseOptions opt_;
  const char* p_;
  size_t n_;
  size_t i_ = 0;
  uint32_t pending_key_ = 0;
  uint32_t pending_bits_ = 0;
  // An open container: its node (kNoNode inside a skipped value), its slot
  // in ends_, and whether it is an object.
  struct Open {
    uint32_t node;
    uint32_t slot;
    bool object;
  };
  std::vector<Open> stack_;
  std::vector<uint32_t> path_nodes_;  // node per open container, for skip_
  static constexpr size_t kNotSkipping = ~size_t{0};
  size_t skip_from_ = kNotSkipping;  // stack depth of the skipped container
  bool skip_next_ = false;           // the policy said: skip the next value
  static constexpr size_t kReleaseStep = size_t{4} << 20;
  size_t release_at_ = kReleaseStep;
  bool failed_ = false;
  Diagnostic error_;
};

bool Parser::scan_string(bool& escaped) {
  size_t start = i_;
  ++i_;  // opening quote
  escaped = false;
  for (;;) {
#ifdef __SSE2__
    // Up to the first quote, backslash, control or non-ASCII byte (signed
    // compare: bytes >= 0x80 are < 0x20).
    i_ = scan_until(p_, i_, n_, [](__m128i v) {
      __m128i stop =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
      return static_cast<uint32_t>(_mm_movemask_epi8(stop));
    });
#endif
    // Fast path: 8 plain ASCII bytes with no quote, backslash or control.
    while (i_ + 8 <= n_) {
      uint64_t v = load8(p_ + i_);
      if ((v & kHighs) | has_less(v, 0x20) | has_zero(v ^ (kOnes * '"')) |
          has_zero(v ^ (kOnes * '\\'))) {
        break;
      }
      i_ += 8;
    }
    if (i_ >= n_) return fail(start, "unterminated string");
    unsigned char c = static_cast<unsigned char>(p_[i_]);
    if (c == '"') {
      ++i_;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      if (i_ + 1 >= n_) return fail(start, "unterminated string");
      char e = p_[i_ + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          i_ += 2;
          continue;
        case 'u': {
          for (int k = 2; k < 6; ++k) {
            if (i_ + k >= n_ ||
                !isxdigit(static_cast<unsigned char>(p_[i_ + k]))) {
              return fail(i_, "invalid \\u escape: expected 4 hex digits");
            }
          }
          i_ += 6;
          continue;
        }
        default:
          return fail(i_,
                      "invalid escape '\\" + std::string(1, e) + "' in string");
      }
    }
    if (c < 0x20) {
      return fail(i_, "control character " + describe(i_) +
                          " in string (must be escaped)");
    }
    if (c < 0x80) {
      ++i_;
      continue;
    }
    // Validate one UTF-8 sequence.
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return fail(i_, "invalid UTF-8 " + describe(i_) + " in string");
    }
    if (i_ + len > n_) return fail(i_, "truncated UTF-8 sequence in string");
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(p_[i_ + k]);
      if ((cc & 0xC0) != 0x80) {
        return fail(i_, "invalid UTF-8 sequence in string");
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fail(i_, "invalid UTF-8 sequence in string");
    }
    i_ += len;
  }
}

bool Parser::scan_number() {
  size_t start = i_;
  if (p_[i_] == '-') ++i_;
  if (i_ < n_ && p_[i_] == '0') {
    ++i_;
  } else if (i_ < n_ && p_[i_] >= '1' && p_[i_] <= '9') {
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') ++i_;
  } else {
    if (i_ < n_ && p_[i_] == 'I') {
      return fail(start, "-Infinity is not valid JSON");
    }
    return fail(i_, "invalid number: expected a digit, got " + describe(i_));
  }
  if (i_ < n_ && p_[i_] == '.') {
    ++i_;
    if (i_ >= n_ || p_[i_] < '0' || p_[i_] > '9') {
      return fail(i_, "invalid number: expected a digit after '.'");
    }
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') ++i_;
  }
  if (i_ < n_ && (p_[i_] == 'e' || p_[i_] == 'E')) {
    ++i_;
    if (i_ < n_ && (p_[i_] == '+' || p_[i_] == '-')) ++i_;
    if (i_ >= n_ || p_[i_] < '0' || p_[i_] > '9') {
      return fail(i_, "invalid number: expected a digit in the exponent");
    }
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') ++i_;
  }
  return true;
}

bool Parser::scan_literal(const char* word, size_t len, Type t) {
  if (i_ + len > n_ || std::memcmp(p_ + i_, word, len) != 0) {
    return fail(i_, "unexpected " + describe(i_) + ": expected a value");
  }
  push_node(t, static_cast<uint32_t>(len));
  i_ += len;
  return true;
}

bool Parser::run() {
  auto& nodes = doc_.nodes_;
  nodes.reserve(n_ / 40 + 16);
  auto& stack = stack_;
  stack.reserve(64);
  skip_ws();
  if (i_ >= n_) return fail(0, "empty input: expected a JSON value");

  for (;;) {
    // ---- parse one value at i_ (whitespace already skipped)
    if (i_ >= n_) return fail(i_, "unexpected end of input: expected a value");
    char c = p_[i_];
    switch (c) {
      case '{':
      case '[': {
        if (stack.size() >= opt_.max_depth) {
          return fail(i_, "nesting deeper than " +
                              std::to_string(opt_.max_depth) + " levels");
        }
        if (i_ >= release_at_) {
          // Large mapped inputs: the bytes parsed so far leave the resident
          // set (readers map back the pages they look at).
          src_.release_before(i_ - kReleaseStep / 4);
          release_at_ = i_ + kReleaseStep;
        }
        if (skip_from_ != kNotSkipping) {
          push_node(Type::kObject, 0);  // indexes nothing; clears the key
          stack.push_back({kNoNode, 0, c == '{'});
        } else {
          auto index = static_cast<uint32_t>(nodes.size());
          auto slot = static_cast<uint32_t>(doc_.ends_.size());
          doc_.container_nodes_.push_back(index);
          doc_.ends_.push_back(0);
          push_node(c == '{' ? Type::kObject : Type::kArray, 0);
          if (skip_next_) {
            nodes.back().bits |= kSkipped;
            skip_from_ = stack.size();
          }
          stack.push_back({index, slot, c == '{'});
        }
        skip_next_ = false;
        ++i_;
        skip_ws();
        if (i_ < n_ && p_[i_] == (c == '{' ? '}' : ']')) {
          goto close_container;
        }
        if (c == '{') goto read_key;
        continue;  // first element
      }
      case '"': {
        bool escaped;
        size_t start = i_;
        if (!scan_string(escaped)) return false;
        size_t end = i_;
        i_ = start;
        bool indexed = skip_from_ == kNotSkipping;
        push_node(Type::kString, static_cast<uint32_t>(end - start));
        if (escaped && indexed) nodes.back().bits |= kEscapedValue;
        i_ = end;
        break;
      }
      case 't':
        if (!scan_literal("true", 4, Type::kTrue)) return false;
        break;
      case 'f':
        if (!scan_literal("false", 5, Type::kFalse)) return false;
        break;
      case 'n':
        if (!scan_literal("null", 4, Type::kNull)) return false;
        break;
      case 'N':
        return fail(i_, "NaN is not valid JSON");
      case 'I':
        return fail(i_, "Infinity is not valid JSON");
      default: {
        if (c == '-' || (c >= '0' && c <= '9')) {
          size_t start = i_;
          if (!scan_number()) return false;
          size_t end = i_;
          i_ = start;
          push_node(Type::kNumber, static_cast<uint32_t>(end - start));
          i_ = end;
          break;
        }
        if (c == ']' || c == '}') {
          return fail(i_, "unexpected " + describe(i_) +
                              ": expected a value (trailing comma?)");
        }
        return fail(i_, "unexpected " + describe(i_) + ": expected a value");
      }
    }

  after_value:
    // ---- after a value: close containers or move to the next element
    if (stack.empty()) {
      skip_ws();
      if (i_ < n_) {
        return fail(
            i_, "unexpected " + describe(i_) + " after the top-level value");
      }
      src_.end_streaming();
      return true;
    }
    skip_next_ = false;  // only containers are skipped
    skip_ws();
    {
      bool is_obj = stack.back().object;
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        skip_ws();
        if (is_obj) goto read_key;
        continue;
      }
      if (i_ < n_ && p_[i_] == (is_obj ? '}' : ']')) goto close_container;
      return fail(i_, std::string("expected ',' or '") + (is_obj ? '}' : ']') +
                          "', got " + describe(i_));
    }

  close_container : {
    Open top = stack.back();
    stack.pop_back();
    ++i_;
    if (top.node != kNoNode) {
      // A skipped container has nothing indexed inside: it ends right here.
      nodes[top.node].extent = static_cast<uint32_t>(nodes.size());
      doc_.ends_[top.slot] = static_cast<uint32_t>(i_);
      if (skip_from_ == stack.size()) skip_from_ = kNotSkipping;
    }
    goto after_value;
  }

  read_key : {
    if (i_ >= n_ || p_[i_] != '"') {
      if (i_ < n_ && p_[i_] == '}') {
        return fail(i_, "unexpected '}': expected a key (trailing comma?)");
      }
      return fail(i_, "expected a string key, got " + describe(i_));
    }
    bool escaped;
    size_t start = i_;
    if (!scan_string(escaped)) return false;
    size_t key_len = i_ - start - 2;
    if (key_len > kKeyLenMask)
      return fail(start, "object key longer than 16 MiB");
    pending_key_ = static_cast<uint32_t>(start);
    pending_bits_ =
        kMember | static_cast<uint32_t>(key_len) | (escaped ? kEscapedKey : 0);
    skip_ws();
    if (i_ >= n_ || p_[i_] != ':') {
      return fail(i_, "expected ':' after object key, got " + describe(i_));
    }
    ++i_;
    skip_ws();
    if (opt_.skip && skip_from_ == kNotSkipping && i_ < n_ &&
        (p_[i_] == '{' || p_[i_] == '[')) {
      path_nodes_.clear();
      for (const Open& o : stack) path_nodes_.push_back(o.node);
      MemberPath path;
      path.doc_ = &doc_;
      path.containers_ = path_nodes_.data();
      path.depth_ = stack.size();
      path.key_ = std::string_view(p_ + start + 1, key_len);
      path.value_start_ = p_[i_];
      skip_next_ = opt_.skip->skip(path);
    }
    continue;
  }
  }
}

std::variant<std::shared_ptr<const JsonDoc>, Diagnostic> JsonDoc::parse(
    std::shared_ptr<const SourceFile> source, ParseOptions options) {
  std::shared_ptr<JsonDoc> doc(new JsonDoc());
  doc->source_ = std::move(source);
  Parser parser(*doc->source_, *doc, options);
  if (!parser.run()) return parser.error();
  return std::shared_ptr<const JsonDoc>(std::move(doc));
}

std::shared_ptr<const JsonDoc> parse_file(const std::string& path,
                                          uint64_t max_size,
                                          Diagnostic& error) {
  auto file = SourceFile::read(path, max_size);
  if (auto* d = std::get_if<Diagnostic>(&file)) {
    error = *d;
    return nullptr;
  }
  auto parsed =
      JsonDoc::parse(std::get<std::shared_ptr<const SourceFile>>(file));
  if (auto* d = std::get_if<Diagnostic>(&parsed)) {
    error = *d;
    return nullptr;
  }
  return std::get<std::shared_ptr<const JsonDoc>>(parsed);
}

uint32_t JsonDoc::container_end(uint32_t index) const {
  auto it =
      std::lower_bound(container_nodes_.begin(), container_nodes_.end(), index);
  if (it == container_nodes_.end() || *it != index) return nodes_[index].offset;
  return ends_[static_cast<size_t>(it - container_nodes_.begin())];
}

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

std::string unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\' || i + 1 >= raw.size()) {
      out += c;
      continue;
    }
    char e = raw[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        if (i + 4 >= raw.size()) {
          out += "\xEF\xBF\xBD";
          i = raw.size();
          break;
        }
        uint32_t cp = 0;
        for (int k = 1; k <= 4; ++k) cp = cp * 16 + hexval(raw[i + k]);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < raw.size() &&
            raw[i + 1] == '\\' && raw[i + 2] == 'u') {
          uint32_t lo = 0;
          for (int k = 3; k <= 6; ++k) lo = lo * 16 + hexval(raw[i + k]);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
          cp = 0xFFFD;  // lone surrogate: keep the output valid UTF-8
        }
        append_utf8(out, cp);
        break;
      }
      default:  // " \ /
        out += e;
    }
  }
  return out;
}

}  // namespace

std::string_view JsonDoc::decode(std::string_view raw) const {
  std::lock_guard<std::mutex> lock(decode_mu_);
  auto it = decoded_.find(raw.data());
  if (it == decoded_.end()) {
    it = decoded_.emplace(raw.data(), unescape(raw)).first;
  }
  return it->second;
}

void escape_to(std::string& out, std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
}

std::string_view MemberPath::container_key(size_t level) const {
  if (level >= depth_) return {};
  const auto& n = doc_->node(containers_[level]);
  if (!(n.bits & kMember)) return {};
  return std::string_view(doc_->source().data() + n.key + 1,
                          n.bits & kKeyLenMask);
}

// ---- JValue

bool JValue::skipped() const {
  return doc_ && (doc_->node(index_).bits & kSkipped);
}

Type JValue::type() const {
  if (!doc_) return Type::kAbsent;
  return node_type(doc_->node(index_));
}

JValue JValue::get(std::string_view key) const {
  if (type() != Type::kObject) return JValue();
  const auto& n = doc_->node(index_);
  JValue found;
  for (uint32_t i = index_ + 1; i < n.extent;) {
    const auto& m = doc_->node(i);
    uint32_t klen = m.bits & kKeyLenMask;
    std::string_view k(doc_->source().data() + m.key + 1, klen);
    if (m.bits & kEscapedKey) k = doc_->decode(k);
    if (k == key) found = JValue(doc_, i);
    i = is_container(node_type(m)) ? m.extent : i + 1;
  }
  return found;
}

JValue JValue::at(size_t idx) const {
  if (type() != Type::kArray) return JValue();
  const auto& n = doc_->node(index_);
  size_t k = 0;
  for (uint32_t i = index_ + 1; i < n.extent; ++k) {
    if (k == idx) return JValue(doc_, i);
    const auto& m = doc_->node(i);
    i = is_container(node_type(m)) ? m.extent : i + 1;
  }
  return JValue();
}

size_t JValue::size() const {
  Type t = type();
  if (!is_container(t)) return 0;
  const auto& n = doc_->node(index_);
  size_t k = 0;
  for (uint32_t i = index_ + 1; i < n.extent; ++k) {
    const auto& m = doc_->node(i);
    i = is_container(node_type(m)) ? m.extent : i + 1;
  }
  return k;
}

std::string_view JValue::str() const {
  if (type() != Type::kString) return {};
  const auto& n = doc_->node(index_);
  std::string_view raw(doc_->source().data() + n.offset + 1, n.extent - 2);
  if (n.bits & kEscapedValue) return doc_->decode(raw);
  return raw;
}

std::optional<std::string_view> JValue::string() const {
  if (type() != Type::kString) return std::nullopt;
  return str();
}

std::optional<bool> JValue::boolean() const {
  Type t = type();
  if (t == Type::kTrue) return true;
  if (t == Type::kFalse) return false;
  return std::nullopt;
}

std::optional<double> JValue::number() const {
  if (type() != Type::kNumber) return std::nullopt;
  std::string_view r = raw();
  double d = 0;
  auto res = std::from_chars(r.data(), r.data() + r.size(), d);
  if (res.ec == std::errc::result_out_of_range) {
    // Too large or too small for a double: saturate, keeping the sign.
    bool neg = !r.empty() && r[0] == '-';
    bool tiny = r.find_first_of("eE") != std::string_view::npos &&
                r.find("e-") != std::string_view::npos;
    if (tiny) return neg ? -0.0 : 0.0;
    return neg ? -HUGE_VAL : HUGE_VAL;
  }
  if (res.ec != std::errc()) return std::nullopt;
  return d;
}

std::optional<int64_t> JValue::integer() const {
  if (type() != Type::kNumber) return std::nullopt;
  std::string_view r = raw();
  int64_t v = 0;
  auto res = std::from_chars(r.data(), r.data() + r.size(), v);
  if (res.ec == std::errc() && res.ptr == r.data() + r.size()) return v;
  auto d = number();
  if (d && std::isfinite(*d) && *d == std::floor(*d) &&
      std::fabs(*d) < 9.2e18) {
    return static_cast<int64_t>(*d);
  }
  return std::nullopt;
}

std::string_view JValue::raw() const {
  if (!doc_) return {};
  const auto& n = doc_->node(index_);
  if (is_container(node_type(n))) {
    uint32_t end = doc_->container_end(index_);
    return std::string_view(doc_->source().data() + n.offset, end - n.offset);
  }
  return std::string_view(doc_->source().data() + n.offset, n.extent);
}

uint32_t JValue::offset() const { return doc_ ? doc_->node(index_).offset : 0; }

Position JValue::position() const {
  if (!doc_) return Position{};
  return doc_->source().position(offset());
}

const SourceFile* JValue::source() const {
  return doc_ ? &doc_->source() : nullptr;
}

std::string_view JValue::key() const {
  if (!doc_) return {};
  const auto& m = doc_->node(index_);
  if (!(m.bits & kMember)) return {};
  std::string_view k(doc_->source().data() + m.key + 1, m.bits & kKeyLenMask);
  if (m.bits & kEscapedKey) return doc_->decode(k);
  return k;
}

JValue::Range<JValue::MemberIterator> JValue::members() const {
  if (type() != Type::kObject) return {};
  const auto& n = doc_->node(index_);
  return {MemberIterator(doc_, index_ + 1), MemberIterator(doc_, n.extent)};
}

JValue::Range<JValue::ElementIterator> JValue::elements() const {
  if (type() != Type::kArray) return {};
  const auto& n = doc_->node(index_);
  return {ElementIterator(doc_, index_ + 1), ElementIterator(doc_, n.extent)};
}

}  // namespace drcheck::json
