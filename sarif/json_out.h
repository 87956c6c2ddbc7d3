// json_out.h: writes pretty-printed JSON straight into a std::string.
//
// The bytes are exactly those of nlohmann::ordered_json::dump(2, ' ', false,
// error_handler_t::replace) for the same values in the same order, so a
// report can be streamed without building a document tree first:
//
//   std::string s;
//   JsonOut out(s);
//   out.begin_object();
//   out.key("name").string("drcheck");
//   out.key("rules").begin_array();
//   out.end_array();
//   out.end_object();  // {"name": "drcheck", "rules": []}, indented
//
// Calls must nest properly (key() only directly inside an object, one value
// after each key); that is the caller's job and is not checked.
#ifndef DRCHECK_SARIF_JSON_OUT_H_
#define DRCHECK_SARIF_JSON_OUT_H_

#include <charconv>
#include <concepts>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace drcheck {

// Appends `s` as a JSON string literal, quotes included: '"', '\\' and
// control characters escaped (\b \f \n \r \t, else \u00XX), everything else
// as is. Invalid UTF-8 is written as nlohmann's dump writes it with
// error_handler_t::replace (U+FFFD for each bad sequence).
void append_json_string(std::string& out, std::string_view s);

class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}
  // Continues a document that another JsonOut writes, for rendering the
  // elements of one container in pieces: inside `depth` open containers, the
  // innermost already holding an element when `has_elements`.
  JsonOut(std::string& out, size_t depth, bool has_elements)
      : out_(out), open_(depth, true) {
    if (depth) open_.back() = has_elements;
  }

  // How many containers are open.
  size_t depth() const { return open_.size(); }
  // Records that the innermost container got elements from other JsonOuts
  // (see above) when `any`.
  JsonOut& filled(bool any) {
    if (any && !open_.empty()) open_.back() = true;
    return *this;
  }

  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  // A member name; the next call writes its value.
  JsonOut& key(std::string_view k);

  JsonOut& string(std::string_view s);
  JsonOut& boolean(bool b);
  JsonOut& null();
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonOut& number(T n) {
    separate();
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out_.append(buf, end);
    return *this;
  }
  // Any nlohmann value (e.g. a result read back from a baseline).
  JsonOut& value(const nlohmann::ordered_json& j);

 private:
  // Before a value or key: the comma, newline and indentation it needs.
  void separate();
  // Ends the innermost container with `bracket`.
  JsonOut& close(char bracket);

  std::string& out_;
  // Per open container: whether it has an element yet.
  std::vector<bool> open_;
  bool after_key_ = false;
};

}  // namespace drcheck

#endif  // DRCHECK_SARIF_JSON_OUT_H_
