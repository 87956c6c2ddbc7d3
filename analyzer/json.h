// json.h: drcheck's read-only JSON document, built for large inputs.
//
// JsonDoc::parse() validates a whole SourceFile (RFC 8259: UTF-8 strings, no
// NaN/Infinity, no trailing commas, one top-level value) and builds a compact
// index of 16 bytes per value that points back into the file's bytes; no
// string is copied unless it has escapes and somebody asks for it. Every
// value knows its byte offset, so anything read from a document carries its
// provenance (file, line, column) for free.
//
// JValue is a cheap handle (document pointer + index). A missing value (the
// result of looking up an absent key or an index out of range) is "absent":
// every accessor on it answers empty, so lookups chain safely:
//
//   JValue cidr = doc.root()["planned_values"]["root_module"];
//   for (JValue r : cidr["resources"].elements()) {
//     std::string_view type = r["type"].str();      // "" if not a string
//     std::optional<bool> b = r["values"]["force_destroy"].boolean();
//   }
//
// Object lookup is linear in the number of members (the last duplicate key
// wins, as in JavaScript). The document keeps its SourceFile alive. A large
// input may be parsed on two threads (ParseOptions::jobs); the document and
// any error are the same as on one.
#ifndef DRCHECK_ANALYZER_JSON_H_
#define DRCHECK_ANALYZER_JSON_H_

#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "analyzer/diagnostic.h"
#include "analyzer/source.h"

namespace drcheck::json {

enum class Type : uint8_t {
  kAbsent = 0,
  kNull,
  kFalse,
  kTrue,
  kNumber,
  kString,
  kArray,
  kObject
};

const char* type_name(Type t);

class JsonDoc;
class MemberPath;

// Decides, member by member, which values the parser validates but leaves
// out of the index (see ParseOptions::skip). One object per parse: it may
// keep state (e.g. which root members came before).
class SkipPolicy {
 public:
  virtual ~SkipPolicy() = default;
  // Whether the value of the member at `path` (an object or array) is
  // skipped. Called for members of indexed containers only.
  virtual bool skip(const MemberPath& path) = 0;
  // A copy in the same state, for a parallel parse (whose second thread
  // first replays the questions asked before its part); null when the
  // policy cannot be copied, and the document is then parsed on one thread.
  virtual std::unique_ptr<SkipPolicy> clone() const { return nullptr; }
};

struct ParseOptions {
  uint32_t max_depth = 512;
  // Optional. A skipped object or array is still fully validated, but its
  // contents are not indexed: it reads as an empty container whose
  // JValue::skipped() is true, and raw() still gives its whole text. Use it
  // for parts of a large input no reader looks at (a plan's `before` and
  // `after` copies), to save index memory and time.
  SkipPolicy* skip = nullptr;
  // Threads the parse may use. With 2 or more, an input of at least
  // `parallel_min_size` bytes is parsed in two parts at once: a second
  // thread scans the text up to a split point for its structure only (where
  // strings, containers and keys are), then indexes the rest while the
  // calling thread indexes the first part; the parts are joined after. The
  // result, and any error, is exactly that of a parse on one thread: the
  // first part's parser checks that it reaches the split point in the state
  // the scan found, else it goes on alone (so does it when the second part
  // has an error, to report the first error of the file).
  unsigned jobs = 1;
  size_t parallel_min_size = size_t{8} << 20;
  // The earliest offset of the split point (0: chosen from the size), and
  // whether the split point is found before the first part's parse starts
  // (else while it runs; the first parser may then pass the point before it
  // is known, and reads all). Tests set them to put the split everywhere.
  size_t split_from = 0;
  bool split_before_parsing = false;
};

class JValue {
 public:
  JValue() = default;
  JValue(const JsonDoc* doc, uint32_t index) : doc_(doc), index_(index) {}

  Type type() const;
  bool absent() const { return doc_ == nullptr; }
  bool present() const { return doc_ != nullptr; }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const {
    return type() == Type::kTrue || type() == Type::kFalse;
  }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Object member by key; absent when not an object or no such key.
  JValue operator[](std::string_view key) const { return get(key); }
  JValue get(std::string_view key) const;
  // Array element by index; absent when not an array or out of range.
  JValue at(size_t i) const;
  // Number of members or elements; 0 for scalars.
  size_t size() const;

  // The string's decoded value; "" when not a string.
  std::string_view str() const;
  std::optional<std::string_view> string() const;
  std::optional<bool> boolean() const;
  std::optional<double> number() const;
  std::optional<int64_t> integer() const;  // only for integral numbers
  // The value's raw text: a scalar's exact token (strings with quotes). For
  // containers, the text from the opening bracket to its closing bracket.
  std::string_view raw() const;

  // Where this value starts (its first byte) and, for object members, where
  // its key starts.
  uint32_t offset() const;
  Position position() const;
  const SourceFile* source() const;
  const JsonDoc* doc() const { return doc_; }
  uint32_t index() const { return index_; }

  // Iteration over an object's members: for (auto [key, value] : v.members())
  struct Member;
  class MemberIterator;
  class ElementIterator;
  template <typename It>
  struct Range {
    It b, e;
    It begin() const { return b; }
    It end() const { return e; }
  };
  Range<MemberIterator> members() const;
  Range<ElementIterator> elements() const;

  // For object members: the key this value is stored under ("" otherwise).
  std::string_view key() const;
  // An object or array the parser validated but did not index (see
  // ParseOptions::skip): it has no members or elements here.
  bool skipped() const;

  bool operator==(const JValue& o) const {
    return doc_ == o.doc_ && index_ == o.index_;
  }

 private:
  const JsonDoc* doc_ = nullptr;
  uint32_t index_ = 0;
};

class JsonDoc {
 public:
  // Parses the whole file. On error returns a Diagnostic with the file, the
  // line and column of the offending byte, and what was expected there.
  static std::variant<std::shared_ptr<const JsonDoc>, Diagnostic> parse(
      std::shared_ptr<const SourceFile> source, ParseOptions options = {});

  JValue root() const { return nodes_.empty() ? JValue() : JValue(this, 0); }
  const SourceFile& source() const { return *source_; }
  const std::shared_ptr<const SourceFile>& source_ptr() const {
    return source_;
  }
  size_t node_count() const { return nodes_.size(); }
  size_t memory_bytes() const { return nodes_.capacity() * sizeof(Node); }
  // How many parts were indexed at once (1, or 2: see ParseOptions::jobs).
  unsigned parts() const { return parts_; }

  // Internal node layout, public for JValue and the parser.
  struct Node {
    uint32_t offset;  // first byte of the value (strings: the opening quote)
    uint32_t extent;  // scalars: raw length; containers: index past the last
                      // descendant
    uint32_t key;     // object members: offset of the key's opening quote
    uint32_t bits;    // low 24: key raw length (without quotes);
                      // bits 24-27: Type; bit 28: value string has escapes;
                      // bit 29: key has escapes; bit 30: is an object member;
                      // bit 31: a skipped (unindexed) container
  };
  static_assert(sizeof(Node) == 16);
  const Node& node(uint32_t i) const { return nodes_[i]; }

  // Decodes an escaped string whose raw text (without quotes) is `raw`;
  // the result lives as long as the document.
  std::string_view decode(std::string_view raw) const;
  // The offset one past a container's closing bracket.
  uint32_t container_end(uint32_t index) const;

 private:
  friend class Parser;
  friend class ParallelParse;
  JsonDoc() = default;
  std::shared_ptr<const SourceFile> source_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> ends_;  // per container, in node order: end offset
  std::vector<uint32_t> container_nodes_;  // node index of each container
  unsigned parts_ = 1;
  mutable std::mutex decode_mu_;
  mutable std::unordered_map<const char*, std::string> decoded_;
};

// What a SkipPolicy sees: the member about to be parsed and the containers
// it is in. Depth 1 is a member of the root object.
class MemberPath {
 public:
  size_t depth() const { return depth_; }
  // The member's key as written (escapes not decoded).
  std::string_view key() const { return key_; }
  // The first byte of the member's value ('{', '[', '"', ...).
  char value_start() const { return value_start_; }
  // The key under which the enclosing container at `level` (1..depth-1,
  // outermost first; level 0 is the root) is stored; "" for the root and
  // for array elements.
  std::string_view container_key(size_t level) const;

 private:
  friend class Parser;
  friend class SplitScanner;
  const std::string_view* keys_ = nullptr;  // key per open container
  size_t depth_ = 0;
  std::string_view key_;
  char value_start_ = 0;
};

// Reads and parses the JSON file `path` (at most `max_size` bytes): the
// document, or nullptr with `error` saying why (file:line:col).
std::shared_ptr<const JsonDoc> parse_file(const std::string& path,
                                          uint64_t max_size, Diagnostic& error);

// Appends the JSON escape of `s` (without quotes) to out.
void escape_to(std::string& out, std::string_view s);

struct JValue::Member {
  std::string_view key;
  JValue value;
};

class JValue::MemberIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = Member;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = Member;
  MemberIterator() = default;
  MemberIterator(const JsonDoc* d, uint32_t i) : doc_(d), i_(i) {}
  Member operator*() const {
    JValue v(doc_, i_);
    return Member{v.key(), v};
  }
  MemberIterator& operator++() {
    const auto& n = doc_->node(i_);
    Type t = static_cast<Type>((n.bits >> 24) & 0xF);
    i_ = (t == Type::kArray || t == Type::kObject) ? n.extent : i_ + 1;
    return *this;
  }
  bool operator!=(const MemberIterator& o) const { return i_ != o.i_; }
  bool operator==(const MemberIterator& o) const { return i_ == o.i_; }

 private:
  const JsonDoc* doc_ = nullptr;
  uint32_t i_ = 0;
};

class JValue::ElementIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = JValue;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = JValue;
  ElementIterator() = default;
  ElementIterator(const JsonDoc* d, uint32_t i) : doc_(d), i_(i) {}
  JValue operator*() const { return JValue(doc_, i_); }
  ElementIterator& operator++() {
    const auto& n = doc_->node(i_);
    Type t = static_cast<Type>((n.bits >> 24) & 0xF);
    i_ = (t == Type::kArray || t == Type::kObject) ? n.extent : i_ + 1;
    return *this;
  }
  bool operator!=(const ElementIterator& o) const { return i_ != o.i_; }
  bool operator==(const ElementIterator& o) const { return i_ == o.i_; }

 private:
  const JsonDoc* doc_ = nullptr;
  uint32_t i_ = 0;
};

}  // namespace drcheck::json

#endif  // DRCHECK_ANALYZER_JSON_H_
