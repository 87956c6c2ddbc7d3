// model_json.h: the model as JSON (`drcheck model --format json`) and text.
//
// The JSON is a contract tests rely on:
//   {"resources": [{"address", "type", "kind", "region", "region_source",
//                   "role", "tags": {}, "name", "file", "line", "column",
//                   "references": [{"attribute", "target", "resolved"}],
//                   "construct_path"?, "source"?}],
//    "inputs": [{"file", "format", "resources", "stack"?}],
//    "errors": [{"file", "line", "column", "message"}],
//    "roles": {"primary", "dr", "inferred_from"}}
// `region` is null when it cannot be known; `region_source` then says why.
#ifndef DRCHECK_ANALYZER_MODEL_JSON_H_
#define DRCHECK_ANALYZER_MODEL_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "analyzer/model.h"

namespace drcheck {

nlohmann::ordered_json model_to_json(const Model& model);
nlohmann::ordered_json diagnostic_to_json(const Diagnostic& d);
std::string model_to_text(const Model& model);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_MODEL_JSON_H_
