#include "analyzer/tf_source.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "analyzer/source.h"

namespace drcheck {

namespace fs = std::filesystem;

namespace {

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// A forgiving scanner over HCL native syntax: it only needs to find
// top-level block headers and `source = "..."` inside module blocks.
class Scanner {
 public:
  Scanner(std::string_view text, const std::string& file, TfFolder& out)
      : s_(text), file_(file), out_(out) {}

  void run() {
    int depth = 0;
    std::string module;  // the module block we are in (depth 1), if any
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (skip_comment()) continue;
      if (c == '"') {
        skip_string();
      } else if (c == '<' && peek(1) == '<') {
        skip_heredoc();
      } else if (c == '{') {
        ++depth;
        advance();
      } else if (c == '}') {
        if (depth > 0) --depth;
        if (depth == 0) module.clear();
        advance();
      } else if (ident_start(c)) {
        size_t start = i_;
        uint32_t line = line_;
        uint32_t column = column_at(start);
        std::string_view word = read_ident();
        if (depth == 0 &&
            (word == "resource" || word == "data" || word == "module")) {
          std::vector<std::string> labels;
          if (read_labels(labels)) {
            if (word == "module" && labels.size() == 1) {
              module = labels[0];
            } else if (labels.size() == 2) {
              std::string key =
                  (word == "data" ? "data." : "") + labels[0] + "." + labels[1];
              out_.blocks.emplace(key, SourceRef{file_, line, column});
            }
            ++depth;
            advance();  // the '{'
          }
        } else if (depth == 1 && !module.empty() && word == "source") {
          skip_blanks();
          if (peek(0) == '=' && peek(1) != '=') {
            advance();
            skip_blanks();
            if (peek(0) == '"') {
              std::string value;
              if (read_plain_string(value)) {
                out_.module_sources.emplace(module, value);
              }
            }
          }
        }
      } else {
        advance();
      }
    }
  }

 private:
  char peek(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }

  void advance() {
    if (s_[i_] == '\n') {
      ++line_;
      line_start_ = i_ + 1;
    }
    ++i_;
  }

  uint32_t column_at(size_t pos) const {
    uint32_t col = 1;
    for (size_t k = line_start_; k < pos; ++k) {
      if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) ++col;
    }
    return col;
  }

  std::string_view read_ident() {
    size_t start = i_;
    while (i_ < s_.size() && ident_char(s_[i_])) advance();
    return s_.substr(start, i_ - start);
  }

  void skip_blanks() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) advance();
  }

  bool skip_comment() {
    char c = s_[i_];
    if (c == '#' || (c == '/' && peek(1) == '/')) {
      while (i_ < s_.size() && s_[i_] != '\n') advance();
      return true;
    }
    if (c == '/' && peek(1) == '*') {
      advance();
      advance();
      while (i_ < s_.size() && !(s_[i_] == '*' && peek(1) == '/')) advance();
      if (i_ < s_.size()) {
        advance();
        advance();
      }
      return true;
    }
    return false;
  }

  // At '"': skips a template string, interpolations included.
  void skip_string() {
    advance();
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\') {
        advance();
        if (i_ < s_.size()) advance();
      } else if (c == '"') {
        advance();
        return;
      } else if ((c == '$' || c == '%') && peek(1) == '{') {
        advance();
        advance();
        skip_template_code();
      } else if (c == '\n') {
        return;  // unterminated: give up on this string at the line end
      } else {
        advance();
      }
    }
  }

  // Inside ${ ... }: expressions, possibly with strings, up to the '}'.
  void skip_template_code() {
    int depth = 1;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        skip_string();
      } else if (c == '{') {
        ++depth;
        advance();
      } else if (c == '}') {
        advance();
        if (--depth == 0) return;
      } else {
        advance();
      }
    }
  }

  // At "<<": a heredoc <<EOT or <<-EOT, skipped up to its closing marker.
  void skip_heredoc() {
    size_t save = i_;
    uint32_t save_line = line_;
    size_t save_start = line_start_;
    advance();
    advance();
    if (peek(0) == '-') advance();
    if (!ident_start(peek(0))) return;  // "<<" as something else
    std::string marker(read_ident());
    skip_blanks();
    if (peek(0) == '\r') advance();
    if (peek(0) != '\n') {
      i_ = save + 2;  // not a heredoc header after all
      line_ = save_line;
      line_start_ = save_start;
      return;
    }
    advance();
    while (i_ < s_.size()) {
      size_t eol = s_.find('\n', i_);
      if (eol == std::string_view::npos) eol = s_.size();
      std::string_view l = s_.substr(i_, eol - i_);
      size_t b = l.find_first_not_of(" \t");
      size_t e = l.find_last_not_of(" \t\r");
      bool end =
          b != std::string_view::npos && l.substr(b, e - b + 1) == marker;
      while (i_ < eol) advance();
      if (i_ < s_.size()) advance();
      if (end) return;
    }
  }

  // Block labels up to the opening '{' (which is left unread): "x" or x.
  bool read_labels(std::vector<std::string>& labels) {
    while (true) {
      skip_blanks();
      char c = peek(0);
      if (c == '{') return true;
      if (c == '"') {
        std::string v;
        if (!read_plain_string(v)) return false;
        labels.push_back(v);
      } else if (ident_start(c)) {
        labels.emplace_back(read_ident());
      } else {
        return false;
      }
    }
  }

  // A string without interpolation (labels, module sources).
  bool read_plain_string(std::string& out) {
    advance();  // '"'
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        advance();
        return true;
      }
      if (c == '\n') return false;
      if (c == '\\' && i_ + 1 < s_.size()) {
        advance();
        c = s_[i_];
      }
      out += c;
      advance();
    }
    return false;
  }

  std::string_view s_;
  const std::string& file_;
  TfFolder& out_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

// Strips a trailing instance key: "b[0]" / "b[\"k\"]" -> "b".
std::string_view strip_index(std::string_view s) {
  size_t open = s.find('[');
  return open == std::string_view::npos ? s : s.substr(0, open);
}

// Splits "module.a[0].module.b.aws_vpc.c[\"x.y\"]" into {"a", "b"} and
// "aws_vpc.c" (or "data.T.N"); false when it does not look like an address.
bool split_address(std::string_view address, std::vector<std::string>& modules,
                   std::string& key) {
  // Split on dots outside brackets and quotes.
  std::vector<std::string_view> parts;
  size_t start = 0;
  int bracket = 0;
  bool quoted = false;
  for (size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      ++bracket;
    } else if (c == ']') {
      --bracket;
    } else if (c == '.' && bracket == 0) {
      parts.push_back(address.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(address.substr(start));
  size_t i = 0;
  while (i + 1 < parts.size() && parts[i] == "module") {
    modules.emplace_back(strip_index(parts[i + 1]));
    i += 2;
  }
  bool data = i < parts.size() && parts[i] == "data";
  if (data) ++i;
  if (parts.size() - i != 2) return false;
  key = (data ? "data." : "") + std::string(parts[i]) + "." +
        std::string(strip_index(parts[i + 1]));
  return true;
}

bool is_local_source(std::string_view s) {
  return s.rfind("./", 0) == 0 || s.rfind("../", 0) == 0 || s == "." ||
         s == "..";
}

}  // namespace

void scan_tf_file(std::string_view text, const std::string& file,
                  TfFolder& folder) {
  Scanner(text, file, folder).run();
}

TfSourceIndex::TfSourceIndex(std::string dir) {
  std::error_code ec;
  dir_ = fs::absolute(fs::path(std::move(dir)), ec)
             .lexically_normal()
             .generic_string();
  while (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

const TfFolder& TfSourceIndex::folder(const std::string& path) {
  auto it = folders_.find(path);
  if (it != folders_.end()) return it->second;
  TfFolder& f = folders_[path];
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator d(path, ec), end; !ec && d != end;
       d.increment(ec)) {
    if (d->path().extension() == ".tf" && d->is_regular_file(ec)) {
      files.push_back(d->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    auto src = SourceFile::read(p.string(), uint64_t{64} << 20);
    if (auto* file = std::get_if<std::shared_ptr<const SourceFile>>(&src)) {
      scan_tf_file((*file)->text(), p.lexically_normal().generic_string(), f);
    }
  }
  return f;
}

std::optional<SourceRef> TfSourceIndex::find(std::string_view address) {
  // No .tf files (or none that declare anything) at the root: nothing to
  // find, whatever the address.
  const TfFolder& root = folder(dir_);
  if (root.blocks.empty() && root.module_sources.empty()) return std::nullopt;
  std::vector<std::string> modules;
  std::string key;
  if (!split_address(address, modules, key)) return std::nullopt;
  fs::path cur(dir_);
  for (const std::string& m : modules) {
    const TfFolder& f = folder(cur.generic_string());
    auto it = f.module_sources.find(m);
    if (it == f.module_sources.end() || !is_local_source(it->second)) {
      return std::nullopt;
    }
    fs::path next = (cur / it->second).lexically_normal();
    std::string rel = next.lexically_relative(fs::path(dir_)).generic_string();
    if (rel.empty() || rel.rfind("..", 0) == 0) return std::nullopt;
    cur = next;
  }
  const TfFolder& f = folder(cur.generic_string());
  auto it = f.blocks.find(key);
  if (it == f.blocks.end()) return std::nullopt;
  return it->second;
}

size_t map_tf_sources(const std::string& dir, Model& model) {
  TfSourceIndex index(dir);
  size_t mapped = 0;
  for (Resource& r : model.resources) {
    if (r.format != Format::kTerraformPlan || r.source_ref) continue;
    if (auto ref = index.find(r.address)) {
      r.source_ref = *ref;
      ++mapped;
    }
  }
  return mapped;
}

size_t map_tf_sources_beside_plans(Model& model) {
  std::map<std::string, TfSourceIndex> indexes;  // by folder
  std::vector<TfSourceIndex*> of_input(model.inputs.size(), nullptr);
  size_t mapped = 0;
  for (Resource& r : model.resources) {
    if (r.format != Format::kTerraformPlan || r.source_ref || r.input < 0 ||
        static_cast<size_t>(r.input) >= model.inputs.size()) {
      continue;
    }
    TfSourceIndex*& index = of_input[static_cast<size_t>(r.input)];
    if (!index) {
      fs::path dir = fs::path(model.inputs[static_cast<size_t>(r.input)].file)
                         .parent_path();
      std::string key = dir.empty() ? "." : dir.string();
      auto it = indexes.find(key);
      if (it == indexes.end()) {
        it = indexes.emplace(key, TfSourceIndex(key)).first;
      }
      index = &it->second;
    }
    if (auto ref = index->find(r.address)) {
      r.source_ref = *ref;
      ++mapped;
    }
  }
  return mapped;
}

}  // namespace drcheck
