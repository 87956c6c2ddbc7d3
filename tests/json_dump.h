// json_dump.h: for tests that compare two parses of one input: a parsed
// document's index as text, and options that force a two-part parse.
#ifndef DRCHECK_TESTS_JSON_DUMP_H_
#define DRCHECK_TESTS_JSON_DUMP_H_

#include <memory>
#include <string>
#include <variant>

#include "analyzer/json.h"

namespace drcheck::testing {

using Parsed = std::variant<std::shared_ptr<const json::JsonDoc>, Diagnostic>;

// Every node as the index stores it (offset, extent, key, bits) and every
// container's end; or the error.
inline std::string dump(const Parsed& parsed) {
  if (auto* d = std::get_if<Diagnostic>(&parsed)) return "error " + d->str();
  const json::JsonDoc& doc =
      *std::get<std::shared_ptr<const json::JsonDoc>>(parsed);
  std::string out;
  for (uint32_t i = 0; i < doc.node_count(); ++i) {
    const json::JsonDoc::Node& n = doc.node(i);
    out += std::to_string(n.offset) + " " + std::to_string(n.extent) + " " +
           std::to_string(n.key) + " " + std::to_string(n.bits);
    json::JValue v(&doc, i);
    if (v.is_array() || v.is_object()) {
      out += " end " + std::to_string(doc.container_end(i));
    }
    out += "\n";
  }
  return out;
}

// How many parts the document was indexed in (0 for an error).
inline unsigned parts(const Parsed& parsed) {
  auto* doc = std::get_if<std::shared_ptr<const json::JsonDoc>>(&parsed);
  return doc ? (*doc)->parts() : 0;
}

// Options that parse in two parts whatever the input's size, with the split
// point looked for from `from` before the first part starts (so the parse
// is split whenever the text allows), asking `skip` (may be null).
inline json::ParseOptions two_part_options(size_t from,
                                           json::SkipPolicy* skip = nullptr) {
  json::ParseOptions opt;
  opt.skip = skip;
  opt.jobs = 2;
  opt.parallel_min_size = 0;
  opt.split_from = from;
  opt.split_before_parsing = true;
  return opt;
}

}  // namespace drcheck::testing

#endif  // DRCHECK_TESTS_JSON_DUMP_H_
