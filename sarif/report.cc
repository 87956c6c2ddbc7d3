#include "sarif/report.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>

#include "analyzer/parallel.h"
#include "sarif/sha256.h"

namespace drcheck {

namespace fs = std::filesystem;

const char* baseline_state_name(BaselineState s) {
  switch (s) {
    case BaselineState::kNew:
      return "new";
    case BaselineState::kUnchanged:
      return "unchanged";
    case BaselineState::kAbsent:
      return "absent";
    case BaselineState::kNone:
      break;
  }
  return "";
}

Location finding_location(const Model& model, const Finding& f) {
  if (f.at.present()) return Location::of(f.at);
  if (f.resource >= 0 &&
      static_cast<size_t>(f.resource) < model.resources.size()) {
    return model.resources[static_cast<size_t>(f.resource)].at;
  }
  return {};
}

std::string finding_fingerprint(const Model& model, const Finding& f) {
  Sha256 h;
  h.update(f.rule_id);
  h.update(std::string_view("\0", 1));
  if (f.resource >= 0 &&
      static_cast<size_t>(f.resource) < model.resources.size()) {
    h.update(model.resources[static_cast<size_t>(f.resource)].address);
  }
  for (const auto& fact : f.facts) {
    h.update(std::string_view("\0", 1));
    h.update(fact);
  }
  return h.hex_digest();
}

std::string SpanLocation::str() const {
  std::string out;
  append_to(out);
  return out;
}

void SpanLocation::append_to(std::string& out) const {
  out += path;
  if (start_line) {
    char buf[24];
    out += ':';
    out.append(buf, std::to_chars(buf, buf + sizeof buf, start_line).ptr);
    if (start_column) {
      out += ':';
      out.append(buf, std::to_chars(buf, buf + sizeof buf, start_column).ptr);
    }
  }
}

bool at_or_above(Level level, std::string_view fail_on) {
  if (fail_on == "never" || level == Level::kNone) return false;
  Level threshold = Level::kError;
  if (!parse_level(fail_on, threshold) || threshold == Level::kNone) {
    threshold = Level::kError;
  }
  return level >= threshold;
}

void append_finding_line(std::string& out, const FindingView& v, bool color) {
  const Finding& f = *v.finding;
  if (v.primary.valid()) {
    v.primary.append_to(out);
  } else {
    out += '?';
  }
  out += ": ";
  if (color) {
    out += f.level == Level::kError     ? "\x1b[1;31m"
           : f.level == Level::kWarning ? "\x1b[1;33m"
                                        : "\x1b[1;36m";
  }
  out += level_name(f.level);
  if (color) out += "\x1b[0m";
  out += ' ';
  out += f.rule_id;
  out += ' ';
  if (!v.address.empty()) {
    out += v.address;
    out += ": ";
  }
  out += f.message;
}

std::string uri_escape_path(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                c == '~' || c == '/';
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 &&
        hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// For k in [0, count): store(k, line, column) with what SourceFile::position()
// gives for offset_of(k), the offsets ascending; one pass over the text up
// to the last of them.
template <typename Offset, typename Store>
void find_positions(const SourceFile& file, size_t count, Offset offset_of,
                    Store store) {
  const char* text = file.data();
  const size_t size = file.size();
  size_t pos = 0;            // scanned up to here
  size_t line_start = 0;     // of the line `pos` is on
  size_t continuations = 0;  // in [line_start, pos)
  uint32_t line = 1;
  size_t release_at = size_t{4} << 20;
  for (size_t k = 0; k < count; ++k) {
    const size_t q = std::min<size_t>(offset_of(k), size);
    if (size_t newlines = count_newlines(text + pos, q - pos)) {
      line += static_cast<uint32_t>(newlines);
      line_start = q;
      while (text[line_start - 1] != '\n') --line_start;
      continuations = count_continuations(text + line_start, q - line_start);
    } else {
      continuations += count_continuations(text + pos, q - pos);
    }
    pos = q;
    store(k, line, static_cast<uint32_t>(1 + (q - line_start) - continuations));
    // A large mapped input: keep only the part being scanned resident.
    if (pos >= release_at) {
      file.release_before(line_start);
      release_at = pos + (size_t{4} << 20);
    }
  }
}

}  // namespace

PathMapper::PathMapper(const std::string& src_root) {
  std::error_code ec;
  fs::path root = fs::absolute(src_root.empty() ? "." : src_root, ec);
  root = root.lexically_normal();
  root_ = root.generic_string();
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string PathMapper::root_uri() const {
  std::string uri = "file://" + uri_escape_path(root_);
  if (uri.back() != '/') uri += '/';
  return uri;
}

std::string PathMapper::relative(std::string_view path, bool* under) const {
  auto it = cache_.find(std::string(path));
  if (it == cache_.end()) {
    std::string p(path);
    fs::path abs;
    if (p.rfind("file://", 0) == 0) {
      // file:///abs/path or file://host/abs/path (host ignored).
      std::string rest = percent_decode(p.substr(7));
      size_t slash = rest.find('/');
      abs = slash == std::string::npos ? fs::path(rest)
                                       : fs::path(rest.substr(slash));
    } else {
      std::error_code ec;
      abs = fs::absolute(fs::path(p), ec);
    }
    abs = abs.lexically_normal();
    fs::path rel = abs.lexically_relative(fs::path(root_));
    std::string out;
    bool inside = false;
    if (rel.empty()) {
      out = abs.generic_string();
    } else {
      out = rel.generic_string();
      inside = out != "." && out.rfind("..", 0) != 0;
    }
    it = cache_.emplace(std::string(path), std::make_pair(out, inside)).first;
  }
  if (under) *under = it->second.second;
  return it->second.first;
}

ReportView::ReportView(const Report& report, bool positions)
    : report_(report), paths_(report.src_root) {
  const Model& model = *report.model;
  for (const auto& in : model.inputs) {
    if (in.doc) docs_[&in.doc->source()] = in.doc.get();
  }
  const auto& findings = *report.findings;
  views_.reserve(findings.size());
  auto resource_at = [&](int i) -> const Resource* {
    return i >= 0 && static_cast<size_t>(i) < model.resources.size()
               ? &model.resources[static_cast<size_t>(i)]
               : nullptr;
  };
  std::vector<SpanRequest> related_spans;
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    // Built in place: positions are stored into it later.
    FindingView& v = views_.emplace_back();
    v.finding = &f;
    v.resource = resource_at(f.resource);
    if (v.resource) v.address = v.resource->address;
    SpanRequest synth = f.at.present() ? request(f.at)
                        : v.resource   ? request_resource(f.resource)
                                       : SpanRequest{};
    SpanLocation mapped;
    if (v.resource && v.resource->source_ref) {
      mapped = from_source_ref(*v.resource);
    }
    related_spans.clear();
    const bool is_mapped = mapped.valid();
    if (is_mapped) {
      v.primary = std::move(mapped);
      if (synth.file && !shown(synth.file).first.empty()) {
        RelatedView r;
        r.role = "synthesized in";
        r.address = v.address;
        r.message =
            "synthesized in " + shown(synth.file).first + " as " + v.address;
        v.related.push_back(std::move(r));
        related_spans.push_back(synth);
      }
    }
    for (const Related& rel : f.related) {
      const Resource* res = resource_at(rel.resource);
      RelatedView r;
      r.role = rel.role;
      if (res) r.address = res->address;
      SpanRequest where;
      if (rel.at.present()) {
        where = request(rel.at);
      } else if (res) {
        r.location = from_source_ref(*res);
        if (!r.location.valid()) where = request_resource(rel.resource);
      }
      r.message = rel.role.empty()    ? r.address
                  : r.address.empty() ? rel.role
                                      : rel.role + " " + r.address;
      v.related.push_back(std::move(r));
      related_spans.push_back(where);
    }
    // The view's spans are in their final places now.
    if (synth.file) place(is_mapped ? v.synthesized : v.primary, synth);
    for (size_t k = 0; k < related_spans.size(); ++k) {
      if (related_spans[k].file) place(v.related[k].location, related_spans[k]);
    }
    if (report.baseline.size() == findings.size())
      v.baseline = report.baseline[i];
    v.counts = !f.suppressed && v.baseline != BaselineState::kUnchanged;
  }
  if (positions) {
    resolve_positions();
  } else {
    wanted_.clear();
    wanted_.shrink_to_fit();
  }
  // Fingerprints hash each finding's own strings: in blocks, on the jobs.
  parallel_for_chunks(views_.size(), 256, report.jobs,
                      [&](size_t, size_t begin, size_t end) {
                        for (size_t i = begin; i < end; ++i) {
                          views_[i].fingerprint =
                              finding_fingerprint(model, *views_[i].finding);
                        }
                      });
}

const std::pair<std::string, bool>& ReportView::shown(
    const SourceFile* file) const {
  auto it = shown_.find(file);
  if (it == shown_.end()) {
    bool under = false;
    std::string path = paths_.relative(file->path(), &under);
    it = shown_.emplace(file, std::make_pair(std::move(path), under)).first;
  }
  return it->second;
}

ReportView::SpanRequest ReportView::request(const json::JValue& v) const {
  SpanRequest r;
  if (!v.present()) return r;
  r.file = v.source();
  r.start = v.offset();
  r.end = r.start + static_cast<uint32_t>(v.raw().size());
  r.has_end = true;
  return r;
}

ReportView::SpanRequest ReportView::request_resource(int index) const {
  SpanRequest r;
  const Resource& res = report_.model->resources[static_cast<size_t>(index)];
  if (!res.at.valid()) return r;
  r.file = res.at.file;
  r.start = res.at.offset;
  const uint32_t end = resource_end(index);
  if (end != kNoEnd) {
    r.end = end;
    r.has_end = true;
  }
  return r;
}

void ReportView::place(SpanLocation& s, const SpanRequest& r) {
  const auto& [path, under] = shown(r.file);
  s.path = path;
  s.under_root = under;
  wanted_.push_back({r.file, r.start, &s.start_line, &s.start_column});
  if (r.has_end) {
    wanted_.push_back({r.file, r.end, &s.end_line, &s.end_column});
  }
}

uint32_t ReportView::resource_end(int index) const {
  const Model& model = *report_.model;
  if (resource_end_.empty()) {
    resource_end_.assign(model.resources.size(), kUnknownEnd);
  }
  uint32_t& end = resource_end_[static_cast<size_t>(index)];
  if (end != kUnknownEnd) return end;
  end = kNoEnd;
  const Resource& r = model.resources[static_cast<size_t>(index)];
  // The loaders point `at` at the envelope or the attribute object; else
  // search the document.
  json::JValue v;
  for (const json::JValue& c : {r.envelope, r.attributes}) {
    if (c.present() && c.source() == r.at.file && c.offset() == r.at.offset) {
      v = c;
      break;
    }
  }
  if (!v.present()) v = value_at(r.at);
  if (v.present()) end = r.at.offset + static_cast<uint32_t>(v.raw().size());
  return end;
}

void ReportView::resolve_positions() {
  std::sort(wanted_.begin(), wanted_.end(),
            [](const PositionWanted& a, const PositionWanted& b) {
              return a.file != b.file ? std::less<>()(a.file, b.file)
                                      : a.offset < b.offset;
            });
  // One pass per file; files are independent (each writes only its own
  // wanted positions), so they spread over the report's jobs.
  std::vector<std::pair<size_t, size_t>> groups;  // [first, last) per file
  for (size_t first = 0; first < wanted_.size();) {
    size_t last = first;
    while (last < wanted_.size() && wanted_[last].file == wanted_[first].file) {
      ++last;
    }
    groups.emplace_back(first, last);
    first = last;
  }
  parallel_for(groups.size(), report_.jobs, [&](size_t g) {
    const PositionWanted* w = wanted_.data() + groups[g].first;
    find_positions(
        *w->file, groups[g].second - groups[g].first,
        [&](size_t k) { return w[k].offset; },
        [&](size_t k, uint32_t line, uint32_t column) {
          *w[k].line = line;
          *w[k].column = column;
        });
  });
  wanted_.clear();
  wanted_.shrink_to_fit();
}

json::JValue ReportView::value_at(const Location& loc) const {
  if (const json::JsonDoc* doc = doc_of(loc.file)) {
    // Nodes are in document order with increasing offsets.
    size_t lo = 0, hi = doc->node_count();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (doc->node(static_cast<uint32_t>(mid)).offset < loc.offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo < doc->node_count() &&
        doc->node(static_cast<uint32_t>(lo)).offset == loc.offset) {
      return json::JValue(doc, static_cast<uint32_t>(lo));
    }
  }
  return json::JValue();
}

const json::JsonDoc* ReportView::doc_of(const SourceFile* file) const {
  auto it = docs_.find(file);
  return it == docs_.end() ? nullptr : it->second;
}

std::string ReportView::find_source_file(const std::string& file,
                                         const std::string& input_dir) const {
  auto key = std::make_pair(input_dir, file);
  auto it = found_.find(key);
  if (it != found_.end()) return it->second;
  std::string rel = file;
  if (rel.rfind("project://", 0) == 0) {  // Pulumi: project-relative
    rel = percent_decode(rel.substr(10));
    while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  }
  std::vector<fs::path> candidates;
  if (rel.rfind("file://", 0) == 0 || fs::path(rel).is_absolute()) {
    bool under = false;
    std::string shown = paths_.relative(rel, &under);
    if (under) candidates.push_back(fs::path(paths_.root()) / shown);
  } else if (!rel.empty()) {
    // From the input's folder up to the root (a Pulumi project or CDK app
    // folder holds its state or cdk.out), then the current directory and
    // the root.
    std::error_code ec;
    fs::path dir = fs::absolute(input_dir.empty() ? "." : input_dir, ec)
                       .lexically_normal();
    const fs::path root(paths_.root());
    for (int depth = 0; depth < 64; ++depth) {
      candidates.push_back(dir / rel);
      std::string up = dir.lexically_relative(root).generic_string();
      if (up.empty() || up == "." || up.rfind("..", 0) == 0) break;
      dir = dir.parent_path();
    }
    candidates.push_back(fs::absolute(rel, ec));
    candidates.push_back(root / rel);
  }
  std::string result;
  for (const fs::path& c : candidates) {
    std::error_code ec;
    fs::path normal = c.lexically_normal();
    bool under = false;
    paths_.relative(normal.string(), &under);
    if (under && fs::is_regular_file(normal, ec)) {
      result = normal.string();
      break;
    }
  }
  found_.emplace(key, result);
  return result;
}

SpanLocation ReportView::from_source_ref(const Resource& r) const {
  SpanLocation s;
  if (!r.source_ref) return s;
  const SourceRef& ref = *r.source_ref;
  if (ref.file.empty() || ref.line == 0) return s;
  // Cached per (input, recorded file): resources of one input name few.
  auto& cache = source_files_[r.input];
  auto it = cache.find(ref.file);
  if (it == cache.end()) {
    std::string input_dir;
    const Model& model = *report_.model;
    if (r.input >= 0 && static_cast<size_t>(r.input) < model.inputs.size()) {
      input_dir = fs::path(model.inputs[static_cast<size_t>(r.input)].file)
                      .parent_path()
                      .string();
    }
    // A line in a file that is not in the checkout cannot be annotated:
    // keep the synthesized location then.
    std::string file = find_source_file(ref.file, input_dir);
    ShownSource found;
    found.found = !file.empty();
    if (found.found) found.path = paths_.relative(file, &found.under_root);
    it = cache.emplace(ref.file, std::move(found)).first;
  }
  if (!it->second.found) return s;
  s.path = it->second.path;
  s.under_root = it->second.under_root;
  s.start_line = ref.line;
  s.start_column = ref.column;
  return s;
}

std::map<std::string, std::map<std::string, int>> ReportView::summary() const {
  std::map<std::string, std::map<std::string, int>> out;
  for (const auto& v : views_) {
    if (!v.counts) continue;
    out[std::string(v.finding->rule_id)][level_name(v.finding->level)]++;
  }
  return out;
}

size_t ReportView::counted() const {
  return static_cast<size_t>(
      std::count_if(views_.begin(), views_.end(),
                    [](const FindingView& v) { return v.counts; }));
}

size_t ReportView::suppressed() const {
  return static_cast<size_t>(std::count_if(
      views_.begin(), views_.end(),
      [](const FindingView& v) { return v.finding->suppressed; }));
}

size_t ReportView::unchanged() const {
  return static_cast<size_t>(
      std::count_if(views_.begin(), views_.end(), [](const FindingView& v) {
        return !v.finding->suppressed &&
               v.baseline == BaselineState::kUnchanged;
      }));
}

const RuleMeta* ReportView::rule(std::string_view id) const {
  if (!report_.rules) return nullptr;
  for (const auto& r : *report_.rules) {
    if (r->meta().id == id) return &r->meta();
  }
  return nullptr;
}

int ReportView::rule_index(std::string_view id) const {
  if (!report_.rules) return -1;
  for (size_t i = 0; i < report_.rules->size(); ++i) {
    if ((*report_.rules)[i]->meta().id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace drcheck
