#include "sarif/baseline.h"

#include <set>
#include <utility>

#include "sarif/sarif_writer.h"

namespace drcheck {

using oj = nlohmann::ordered_json;

std::string sarif_uri(std::string_view path, bool under_root) {
  if (!under_root && !path.empty() && path[0] == '/') {
    return "file://" + uri_escape_path(path);
  }
  return uri_escape_path(path);
}

std::string sarif_uri(const SpanLocation& s) {
  return sarif_uri(s.path, s.under_root);
}

namespace {

std::pair<std::string, std::string> key_of(const oj& result) {
  std::string fp, uri;
  auto pf = result.find("partialFingerprints");
  if (pf != result.end() && pf->is_object()) {
    auto f = pf->find(kFingerprintKey);
    if (f != pf->end() && f->is_string()) fp = f->get<std::string>();
  }
  auto locs = result.find("locations");
  if (locs != result.end() && locs->is_array() && !locs->empty()) {
    const oj& loc = (*locs)[0];
    if (loc.is_object()) {
      auto pl = loc.find("physicalLocation");
      if (pl != loc.end() && pl->is_object()) {
        auto al = pl->find("artifactLocation");
        if (al != pl->end() && al->is_object()) {
          auto u = al->find("uri");
          if (u != al->end() && u->is_string()) uri = u->get<std::string>();
        }
      }
    }
  }
  return {fp, uri};
}

}  // namespace

bool load_baseline(const std::string& path, std::vector<oj>& results,
                   Diagnostic& error) {
  error = Diagnostic{};
  error.file = path;
  auto file = SourceFile::read(path);
  if (auto* d = std::get_if<Diagnostic>(&file)) {
    error = *d;
    return false;
  }
  const auto& src = std::get<std::shared_ptr<const SourceFile>>(file);
  oj log = oj::parse(src->text(), nullptr, /*allow_exceptions=*/false);
  if (log.is_discarded()) {
    // Our own parser says where.
    auto parsed = json::JsonDoc::parse(src);
    if (auto* d = std::get_if<Diagnostic>(&parsed)) {
      error = *d;
    } else {
      error.message = "not valid JSON";
    }
    return false;
  }
  if (!log.is_object() || !log.contains("runs") || !log["runs"].is_array()) {
    error.message = "not a SARIF log (no \"runs\" array)";
    return false;
  }
  bool found = false;
  for (const oj& run : log["runs"]) {
    if (!run.is_object()) continue;
    const oj* name = nullptr;
    if (run.contains("tool") && run["tool"].is_object() &&
        run["tool"].contains("driver") && run["tool"]["driver"].is_object() &&
        run["tool"]["driver"].contains("name")) {
      name = &run["tool"]["driver"]["name"];
    }
    if (!name || *name != "drcheck") continue;
    found = true;
    if (!run.contains("results") || !run["results"].is_array()) continue;
    for (const oj& r : run["results"]) {
      if (!r.is_object()) continue;
      if (r.value("baselineState", std::string()) == "absent") continue;
      results.push_back(r);
    }
  }
  if (!found) {
    error.message = "no drcheck run in this SARIF log";
    return false;
  }
  return true;
}

void apply_baseline(const std::vector<oj>& baseline, Report& report) {
  report.baseline.clear();
  report.absent.clear();
  std::set<std::pair<std::string, std::string>> old_keys;
  for (const oj& r : baseline) {
    auto k = key_of(r);
    if (!k.first.empty()) old_keys.insert(k);
  }
  std::set<std::pair<std::string, std::string>> now;
  {
    // Keys are fingerprints and paths: no positions needed.
    ReportView view(report, /*positions=*/false);
    for (const FindingView& v : view.findings()) {
      std::pair<std::string, std::string> k{v.fingerprint,
                                            sarif_uri(v.primary)};
      report.baseline.push_back(old_keys.count(k) ? BaselineState::kUnchanged
                                                  : BaselineState::kNew);
      now.insert(std::move(k));
    }
  }
  std::set<std::pair<std::string, std::string>> emitted;
  for (const oj& r : baseline) {
    auto k = key_of(r);
    if (now.count(k)) continue;
    if (!k.first.empty() && !emitted.insert(k).second) continue;
    report.absent.push_back(r);
  }
}

}  // namespace drcheck
