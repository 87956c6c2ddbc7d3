// TEMPORARY: replaced by the per-format loaders as they land.
#include "analyzer/loader.h"
namespace drcheck {
void load_tf_plan(const json::JValue&, const LoadContext&) {}
void load_tf_json(const json::JValue&, const LoadContext&) {}
void load_cfn(const json::JValue&, const LoadContext&) {}
void load_pulumi(const json::JValue&, const LoadContext&) {}
void load_cdk_out(const std::string&, const json::JValue&, const LoadOptions&,
                  Model&, std::vector<std::string>&) {}
void load_cdktf_out(const std::string&, const json::JValue&,
                    const LoadOptions&, Model&, std::vector<std::string>&) {}
}  // namespace drcheck
