// model_loading.h: loading inputs into a finalized Model in tests.
#ifndef DRCHECK_TESTS_MODEL_LOADING_H_
#define DRCHECK_TESTS_MODEL_LOADING_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>

#include "analyzer/json.h"
#include "analyzer/loader.h"
#include "analyzer/model.h"

namespace drcheck::testing {

// Loads a file or folder as the command line would, then finalizes.
inline Model load_file(const std::string& path) {
  Model model;
  load_path(path, LoadOptions{}, model);
  model.finalize({});
  return model;
}

// Loads `text` as if it were the file `name` named explicitly; `jobs` is
// the document's loader's and finalize()'s thread count.
inline Model load_text(const std::string& name, const std::string& text,
                       unsigned jobs = 1) {
  Model model;
  auto parsed = json::JsonDoc::parse(SourceFile::from_string(name, text));
  if (auto* d = std::get_if<Diagnostic>(&parsed)) {
    ADD_FAILURE() << d->str();
    return model;
  }
  LoadOptions options;
  options.document_jobs = jobs;
  load_document(std::get<std::shared_ptr<const json::JsonDoc>>(parsed), name,
                options, model, true);
  model.finalize({}, jobs);
  return model;
}

inline std::string first_error(const Model& m) {
  return m.errors.empty() ? std::string("<none>") : m.errors[0].str();
}

}  // namespace drcheck::testing

#endif  // DRCHECK_TESTS_MODEL_LOADING_H_
