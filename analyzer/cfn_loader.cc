// TEMPORARY placeholder: replaced by the real loader.
#include "analyzer/loader.h"
namespace drcheck {
void load_cfn(const json::JValue&, const LoadContext&) {}
void load_cdk_out(const std::string&, const json::JValue&, const LoadOptions&,
                  Model&, std::vector<std::string>&) {}
}  // namespace drcheck
