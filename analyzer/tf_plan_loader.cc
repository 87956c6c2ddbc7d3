// TEMPORARY placeholder: replaced by the real loader.
#include "analyzer/loader.h"
namespace drcheck {
void load_tf_plan(const json::JValue&, const LoadContext&) {}
}  // namespace drcheck
