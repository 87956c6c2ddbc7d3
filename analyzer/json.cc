#include "analyzer/json.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>
#include <thread>

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

// JSON whitespace.
inline bool is_ws(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

constexpr size_t kNotSkipping = ~size_t{0};
// An open container that a parser of the second part did not open (it has
// no node there; its closing is recorded for the join).
constexpr uint32_t kForeign = 0xFFFFFFFEu;

// A point where a parse can be split, and the state a parser is in there:
// just past a ',' outside any string, with `levels` open (outermost first).
struct SplitState {
  size_t at = 0;
  struct Level {
    bool object = false;
    bool indexed = false;  // opened outside any skipped container
    std::string_view key;  // raw key when the container is a member, else ""
  };
  std::vector<Level> levels;
  size_t skip_from = kNotSkipping;  // level of the skipped container, if any
};

}  // namespace

class Parser {
 public:
  Parser(const SourceFile& src, JsonDoc& doc, const ParseOptions& opt,
         SkipPolicy* skip)
      : src_(src),
        doc_(doc),
        opt_(opt),
        skip_(skip),
        p_(src.data()),
        n_(src.size()) {}

  // Parses the text from its start. With `stop_at`, returns early (true,
  // stopped() set) right after the ',' just before offset *stop_at, a value
  // another thread may set while this one parses (a parser already past it
  // ignores it).
  bool run(const std::atomic<size_t>* stop_at = nullptr);
  // Parses from split.at to the end as if from the start, with
  // split.levels open; those containers get no nodes here, and their
  // closing is recorded in closes(). `cancel` makes it give up.
  bool run_from(const SplitState& split, const std::atomic<bool>* cancel);
  // After run() stopped: parses on to the end.
  bool resume();
  bool stopped() const { return stopped_; }
  // Whether this parser stopped in the state `split` describes.
  bool in_state(const SplitState& split) const;
  Diagnostic error() const;

  // An open container: its node (kNoNode inside a skipped value, kForeign
  // for one a second part's parser did not open), its slot in ends_, and
  // whether it is an object.
  struct Open {
    uint32_t node;
    uint32_t slot;
    bool object;
  };
  const std::vector<Open>& open() const { return stack_; }
  // A container open at the split that the second part closed: its level,
  // the part's node count then, and the offset past its closing bracket.
  struct Close {
    uint32_t level;
    uint32_t nodes;
    uint32_t end;
  };
  const std::vector<Close>& closes() const { return closes_; }

 private:
  // The loop; `after_comma`: resume just past a ',' of the innermost
  // container.
  bool parse(bool after_comma);
  bool fail(size_t at, std::string msg) {
    if (failed_) return false;
    failed_ = true;
    error_at_ = std::min(at, n_);
    error_message_ = std::move(msg);
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
    while (i_ < n_ && is_ws(p_[i_])) ++i_;
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
  // The key of the value about to be parsed ("" when it is not a member).
  std::string_view pending_key() const {
    if (!(pending_bits_ & kMember)) return {};
    return std::string_view(p_ + pending_key_ + 1, pending_bits_ & kKeyLenMask);
  }

  const SourceFile& src_;
  JsonDoc& doc_;
  const ParseOptions& opt_;
  SkipPolicy* skip_;
  const char* p_;
  size_t n_;
  size_t i_ = 0;
  uint32_t pending_key_ = 0;
  uint32_t pending_bits_ = 0;
  std::vector<Open> stack_;
  std::vector<std::string_view> keys_;  // per open container, for skip_
  size_t skip_from_ = kNotSkipping;     // stack depth of the skipped container
  bool skip_next_ = false;              // the policy said: skip the next value
  static constexpr size_t kReleaseStep = size_t{4} << 20;
  size_t release_from_ = 0;  // where this parser's part starts
  size_t release_at_ = kReleaseStep;
  const std::atomic<size_t>* stop_at_ = nullptr;
  const std::atomic<bool>* cancel_ = nullptr;
  bool stopped_ = false;
  std::vector<Close> closes_;
  bool failed_ = false;
  size_t error_at_ = 0;
  std::string error_message_;
};

Diagnostic Parser::error() const {
  Diagnostic d;
  Position pos = src_.position(static_cast<uint32_t>(error_at_));
  d.file = src_.path();
  d.line = pos.line;
  d.column = pos.column;
  d.message = error_message_;
  return d;
}

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

bool Parser::run(const std::atomic<size_t>* stop_at) {
  doc_.nodes_.reserve(n_ / 40 + 16);
  stack_.reserve(64);
  keys_.reserve(64);
  stop_at_ = stop_at;
  skip_ws();
  if (i_ >= n_) return fail(0, "empty input: expected a JSON value");
  return parse(false);
}

bool Parser::run_from(const SplitState& split,
                      const std::atomic<bool>* cancel) {
  doc_.nodes_.reserve((n_ - split.at) / 40 + 16);
  stack_.reserve(split.levels.size() + 64);
  keys_.reserve(split.levels.size() + 64);
  for (const SplitState::Level& l : split.levels) {
    stack_.push_back({l.indexed ? kForeign : kNoNode, 0, l.object});
    keys_.push_back(l.key);
  }
  skip_from_ = split.skip_from;
  i_ = split.at;
  release_from_ = split.at;
  release_at_ = split.at + kReleaseStep;
  cancel_ = cancel;
  return parse(true);
}

bool Parser::resume() {
  stopped_ = false;
  stop_at_ = nullptr;
  return parse(true);
}

bool Parser::in_state(const SplitState& split) const {
  if (!stopped_ || i_ != split.at || stack_.size() != split.levels.size() ||
      skip_from_ != split.skip_from) {
    return false;
  }
  for (size_t k = 0; k < stack_.size(); ++k) {
    const SplitState::Level& l = split.levels[k];
    if (stack_[k].object != l.object ||
        (stack_[k].node != kNoNode) != l.indexed ||
        keys_[k].data() != l.key.data() || keys_[k].size() != l.key.size()) {
      return false;
    }
  }
  return true;
}

bool Parser::parse(bool after_comma) {
  auto& nodes = doc_.nodes_;
  auto& stack = stack_;
  if (after_comma) {
    skip_ws();
    if (stack.back().object) goto read_key;
  }

  for (;;) {
    // ---- parse one value at i_ (whitespace already skipped)
    if (i_ >= n_) return fail(i_, "unexpected end of input: expected a value");
    switch (const char c = p_[i_]; c) {
      case '{':
      case '[': {
        if (stack.size() >= opt_.max_depth) {
          return fail(i_, "nesting deeper than " +
                              std::to_string(opt_.max_depth) + " levels");
        }
        if (i_ >= release_at_) {
          // Large mapped inputs: the bytes parsed so far leave the resident
          // set (readers map back the pages they look at).
          src_.release_range(release_from_, i_ - kReleaseStep / 4);
          release_at_ = i_ + kReleaseStep;
          if (cancel_ && cancel_->load(std::memory_order_relaxed)) {
            return fail(i_, "cancelled");
          }
        }
        keys_.push_back(pending_key());
        if (skip_from_ != kNotSkipping) {
          push_node(Type::kObject, 0);  // clears the pending key
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
      return true;
    }
    skip_next_ = false;  // only containers are skipped
    skip_ws();
    {
      bool is_obj = stack.back().object;
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        if (stop_at_) {
          const size_t stop = stop_at_->load(std::memory_order_relaxed);
          if (i_ == stop) {
            stopped_ = true;
            return true;
          }
          if (i_ > stop) stop_at_ = nullptr;  // past it: parse on alone
        }
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
    keys_.pop_back();
    ++i_;
    if (top.node == kForeign) {
      closes_.push_back({static_cast<uint32_t>(stack.size()),
                         static_cast<uint32_t>(nodes.size()),
                         static_cast<uint32_t>(i_)});
      if (skip_from_ == stack.size()) skip_from_ = kNotSkipping;
    } else if (top.node != kNoNode) {
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
    if (skip_ && skip_from_ == kNotSkipping && i_ < n_ &&
        (p_[i_] == '{' || p_[i_] == '[')) {
      MemberPath path;
      path.keys_ = keys_.data();
      path.depth_ = stack.size();
      path.key_ = std::string_view(p_ + start + 1, key_len);
      path.value_start_ = p_[i_];
      skip_next_ = skip_->skip(path);
    }
    continue;
  }
  }
}

// Finds a split point for a parallel parse. It reads the text 64 bytes at a
// time as bit masks (quotes, backslashes, brackets, commas), finds which
// bytes are inside strings from the unescaped quotes, and visits only the
// brackets outside strings: it keeps the open containers and their keys,
// and asks the skip policy exactly what the parser asks when it opens a
// member's container, up to the first ',' outside strings at or after
// `from`. It does not validate: on valid JSON its state is the parser's
// there, and the parser that reaches the split point checks that.
class SplitScanner {
 public:
  // False when the text ends first, its brackets do not match, or `cancel`
  // is set.
  static bool find(const SourceFile& src, size_t from, size_t max_depth,
                   SkipPolicy* skip, const std::atomic<bool>& cancel,
                   SplitState& out);
};

namespace {

// Bit k of each mask is about byte k of a 64-byte block.
struct BlockMasks {
  uint64_t quote = 0, backslash = 0, bracket = 0, comma = 0;
};

inline BlockMasks classify(const char* p) {
  BlockMasks m;
#ifdef __SSE2__
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    // '[' and ']' are '{' and '}' with bit 5 clear.
    __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    auto bits = [](__m128i x) {
      return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(x)));
    };
    m.quote |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))) << (16 * k);
    m.backslash |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))) << (16 * k);
    m.bracket |= bits(_mm_or_si128(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')),
                                   _mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))))
                 << (16 * k);
    m.comma |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8(','))) << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const uint64_t bit = uint64_t{1} << k;
    switch (p[k]) {
      case '"':
        m.quote |= bit;
        break;
      case '\\':
        m.backslash |= bit;
        break;
      case '{':
      case '}':
      case '[':
      case ']':
        m.bracket |= bit;
        break;
      case ',':
        m.comma |= bit;
        break;
      default:
        break;
    }
  }
#endif
  return m;
}

// Bit k set when an odd number of bits 0..k of x are set.
inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace

bool SplitScanner::find(const SourceFile& src, size_t from, size_t max_depth,
                        SkipPolicy* skip, const std::atomic<bool>& cancel,
                        SplitState& out) {
  const char* p = src.data();
  const size_t n = src.size();
  std::vector<SplitState::Level>& levels = out.levels;
  levels.clear();
  std::vector<std::string_view> keys;  // the levels' keys, for MemberPath
  size_t skip_from = kNotSkipping;
  uint64_t escape_carry = 0;  // 1: the next block's first byte is escaped
  uint64_t string_carry = 0;  // all ones: the last block ended in a string
  // The text is followed by kPadding (64) zero bytes: a block may start at
  // any offset below n.
  for (size_t base = 0; base < n; base += 64) {
    if ((base & ((size_t{1} << 20) - 1)) == 0 &&
        cancel.load(std::memory_order_relaxed)) {
      return false;
    }
    const BlockMasks m = classify(p + base);
    const uint64_t valid =
        n - base >= 64 ? ~uint64_t{0} : (uint64_t{1} << (n - base)) - 1;
    // Which bytes a backslash escapes (a backslash escaped by another one
    // escapes nothing).
    uint64_t escaped = escape_carry;
    escape_carry = 0;
    for (uint64_t b = m.backslash & ~escaped; b;) {
      const int j = __builtin_ctzll(b);
      if (j == 63) {
        escape_carry = 1;
        break;
      }
      escaped |= uint64_t{1} << (j + 1);
      b &= j >= 62 ? 0 : ~((uint64_t{4} << j) - 1);
    }
    const uint64_t in_string =
        prefix_xor(m.quote & ~escaped & valid) ^ string_carry;
    string_carry = static_cast<uint64_t>(static_cast<int64_t>(in_string) >> 63);
    uint64_t events = m.bracket & ~in_string & valid;
    if (base + 64 > from) {
      uint64_t commas = m.comma & ~in_string & valid;
      if (base < from) commas &= ~uint64_t{0} << (from - base);
      events |= commas;
    }
    for (; events; events &= events - 1) {
      const size_t i = base + static_cast<size_t>(__builtin_ctzll(events));
      const char c = p[i];
      if (c == ',') {
        if (levels.empty()) return false;
        out.at = i + 1;
        out.skip_from = skip_from;
        return true;
      }
      if (c == '}' || c == ']') {
        if (levels.empty()) return false;
        const bool indexed = levels.back().indexed;
        levels.pop_back();
        keys.pop_back();
        if (indexed && skip_from == levels.size()) skip_from = kNotSkipping;
        continue;
      }
      if (levels.size() >= max_depth) return false;
      // A member's value follows "key": (found backwards from here).
      size_t j = i;
      while (j > 0 && is_ws(p[j - 1])) --j;
      std::string_view key;
      const bool member = j > 0 && p[j - 1] == ':';
      if (member) {
        --j;
        while (j > 0 && is_ws(p[j - 1])) --j;
        if (j == 0 || p[j - 1] != '"') return false;
        const size_t close = j - 1;
        size_t open = close;
        for (;;) {
          if (open == 0) return false;
          --open;
          if (p[open] != '"') continue;
          size_t backslashes = 0;
          while (backslashes < open && p[open - 1 - backslashes] == '\\') {
            ++backslashes;
          }
          if (backslashes % 2 == 0) break;
        }
        key = std::string_view(p + open + 1, close - open - 1);
      }
      const bool indexed = skip_from == kNotSkipping;
      if (member && indexed && skip) {
        MemberPath path;
        path.keys_ = keys.data();
        path.depth_ = levels.size();
        path.key_ = key;
        path.value_start_ = c;
        if (skip->skip(path)) skip_from = levels.size();
      }
      levels.push_back({c == '{', indexed, key});
      keys.push_back(key);
    }
  }
  return false;
}

// Joins the part a second parser indexed (from the split point on) to the
// first part's document: the part's nodes follow the first part's, and the
// containers open at the split get the end the part found for them.
class ParallelParse {
 public:
  static void join(JsonDoc& doc, const Parser& first, const JsonDoc& part,
                   const Parser& second) {
    const auto base = static_cast<uint32_t>(doc.nodes_.size());
    doc.nodes_.reserve(base + part.nodes_.size());
    for (JsonDoc::Node node : part.nodes_) {
      if (is_container(node_type(node))) node.extent += base;
      doc.nodes_.push_back(node);
    }
    doc.container_nodes_.reserve(doc.container_nodes_.size() +
                                 part.container_nodes_.size());
    for (uint32_t c : part.container_nodes_) {
      doc.container_nodes_.push_back(c + base);
    }
    doc.ends_.insert(doc.ends_.end(), part.ends_.begin(), part.ends_.end());
    for (const Parser::Close& c : second.closes()) {
      const Parser::Open& o = first.open()[c.level];
      doc.nodes_[o.node].extent = base + c.nodes;
      doc.ends_[o.slot] = c.end;
    }
    doc.parts_ = 2;
  }
};

std::variant<std::shared_ptr<const JsonDoc>, Diagnostic> JsonDoc::parse(
    std::shared_ptr<const SourceFile> source, ParseOptions options) {
  std::shared_ptr<JsonDoc> doc(new JsonDoc());
  doc->source_ = std::move(source);
  const SourceFile& src = *doc->source_;
  Parser first(src, *doc, options, options.skip);
  // The second part's policy starts from the state the first part's starts
  // from, so it is copied before the first part's parser asks it anything.
  std::unique_ptr<SkipPolicy> skip_copy;
  bool parallel = options.jobs >= 2 && src.size() >= options.parallel_min_size;
  if (parallel && options.skip) {
    skip_copy = options.skip->clone();
    parallel = skip_copy != nullptr;
  }
  if (!parallel) {
    if (!first.run()) return first.error();
    src.end_streaming();
    return std::shared_ptr<const JsonDoc>(std::move(doc));
  }

  // The scan for the split point runs about twice as fast as the parser, so
  // the second part starts two thirds in and both parts end together.
  const size_t from =
      options.split_from ? options.split_from : src.size() / 3 * 2;
  std::atomic<size_t> stop_at{SIZE_MAX};
  std::atomic<bool> cancel{false};
  SplitState split;
  bool found = false;
  auto scan = [&] {
    found = SplitScanner::find(src, from, options.max_depth, skip_copy.get(),
                               cancel, split);
    if (found) stop_at.store(split.at, std::memory_order_relaxed);
  };
  JsonDoc part;
  Parser second(src, part, options, skip_copy.get());
  bool second_ok = false;
  auto parse_part = [&] {
    if (found) second_ok = second.run_from(split, &cancel);
  };
  std::thread helper;
  try {
    if (options.split_before_parsing) {
      scan();
      helper = std::thread(parse_part);
    } else {
      helper = std::thread([&] {
        scan();
        parse_part();
      });
    }
  } catch (const std::system_error&) {
    // No thread to be had: the first parser reads it all.
    found = false;
    stop_at.store(SIZE_MAX);
  }
  bool ok = first.run(&stop_at);
  if (!ok || !first.stopped()) cancel.store(true);
  if (helper.joinable()) helper.join();
  if (ok && first.stopped()) {
    if (second_ok && first.in_state(split)) {
      ParallelParse::join(*doc, first, part, second);
    } else {
      // The scan misread the text before the split point (it is not JSON
      // there), or the second part has an error: the first parser goes on
      // alone, to the result (or the first error) a parse on one thread
      // gives.
      ok = first.resume();
    }
  }
  if (!ok) return first.error();
  src.end_streaming();
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
  return level < depth_ ? keys_[level] : std::string_view();
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
