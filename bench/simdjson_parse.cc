// The speed floor drcheck is measured against: read a file and build a
// simdjson DOM of it, nothing else. Prints the number of top-level keys so
// the parse cannot be optimized away.
#include <simdjson.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: simdjson_parse FILE\n");
    return 2;
  }
  simdjson::padded_string json;
  if (simdjson::padded_string::load(argv[1]).get(json)) {
    std::fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 2;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc)) {
    std::fprintf(stderr, "%s: parse error\n", argv[1]);
    return 2;
  }
  simdjson::dom::object obj;
  size_t keys = 0;
  if (!doc.get(obj)) keys = obj.size();
  std::printf("%zu\n", keys);
  return 0;
}
