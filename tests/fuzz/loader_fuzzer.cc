// libFuzzer harness: format detection, every loader, and the model's
// finalize() over arbitrary JSON. The input's first byte picks a region hint
// so the CloudFormation path with and without a region is exercised.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/json.h"
#include "analyzer/loader.h"
#include "analyzer/model_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = drcheck::SourceFile::from_bytes(
      "fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  auto* src = std::get_if<std::shared_ptr<const drcheck::SourceFile>>(&file);
  if (!src) return 0;
  drcheck::json::ParseOptions popt;
  popt.max_depth = 128;
  auto parsed = drcheck::json::JsonDoc::parse(*src, popt);
  auto* doc =
      std::get_if<std::shared_ptr<const drcheck::json::JsonDoc>>(&parsed);
  if (!doc) return 0;
  drcheck::LoadOptions options;
  drcheck::Model model;
  std::string region = size && (data[0] & 1) ? "us-east-1" : "";
  drcheck::load_document(*doc, "fuzz.json", options, model, true, "FuzzStack",
                         region, "123456789012");
  model.finalize({});
  (void)drcheck::model_to_json(model).dump();
  return 0;
}
