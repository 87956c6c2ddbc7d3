// TEMPORARY placeholder: replaced by the real loader.
#include "analyzer/loader.h"
namespace drcheck {
void load_tf_json(const json::JValue&, const LoadContext&) {}
void load_cdktf_out(const std::string&, const json::JValue&, const LoadOptions&,
                    Model&, std::vector<std::string>&) {}
}  // namespace drcheck
