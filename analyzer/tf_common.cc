#include "analyzer/tf_common.h"

#include <algorithm>
#include <cctype>

namespace drcheck::tf {

namespace {

inline bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
inline bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Length of the identifier starting at text[i] (0 if none).
size_t ident_len(std::string_view text, size_t i) {
  if (i >= text.size() || !ident_start(text[i])) return 0;
  size_t j = i + 1;
  while (j < text.size() && ident_char(text[j])) ++j;
  return j - i;
}

// Index one past the closing quote of a quoted string whose opening quote is
// at text[i]; npos when unterminated.
size_t skip_quoted(std::string_view text, size_t i) {
  for (size_t j = i + 1; j < text.size(); ++j) {
    if (text[j] == '\\') {
      ++j;
    } else if (text[j] == '"') {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Whether an index key (the text between the brackets) is a literal.
bool literal_key(std::string_view key) {
  if (all_digits(key)) return true;
  return key.size() >= 2 && key.front() == '"' &&
         skip_quoted(key, 0) == key.size();
}

std::string unquote(std::string_view quoted) {
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    if (quoted[i] == '\\' && i + 2 < quoted.size()) ++i;
    out += quoted[i];
  }
  return out;
}

size_t scan_expr(std::string_view text, size_t i,
                 const std::function<void(std::string_view)>& emit);

// Scans a quoted string inside an expression from its opening quote at i;
// returns the index past the closing quote. Templates inside are scanned.
size_t scan_quoted(std::string_view text, size_t i,
                   const std::function<void(std::string_view)>& emit) {
  size_t n = text.size();
  for (++i; i < n;) {
    char c = text[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '"') {
      return i + 1;
    } else if ((c == '$' || c == '%') && i + 2 < n && text[i + 1] == c &&
               text[i + 2] == '{') {
      i += 3;
    } else if ((c == '$' || c == '%') && i + 1 < n && text[i + 1] == '{') {
      i = scan_expr(text, i + 2, emit) + 1;
    } else {
      ++i;
    }
  }
  return n;
}

// Scans an expression from i up to the '}' that closes it; returns that
// '}''s index (or text.size()). Emits every traversal on the way.
size_t scan_expr(std::string_view text, size_t i,
                 const std::function<void(std::string_view)>& emit) {
  size_t n = text.size();
  int depth = 0;
  while (i < n) {
    char c = text[i];
    if (c == '"') {
      i = scan_quoted(text, i, emit);
      continue;
    }
    if (c == '{') {
      ++depth;
      ++i;
      continue;
    }
    if (c == '}') {
      if (depth == 0) return i;
      --depth;
      ++i;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < n && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                       text[i] == '.')) {
        ++i;
      }
      continue;
    }
    if (ident_start(c) &&
        (i == 0 || (!ident_char(text[i - 1]) && text[i - 1] != '.'))) {
      size_t j = i + ident_len(text, i);
      if (j < n && text[j] == '(') {  // function call
        i = j;
        continue;
      }
      if (j + 1 < n && text[j] == ':' && text[j + 1] == ':') {
        // provider::aws::arn_parse(...)
        while (j < n && (ident_char(text[j]) || text[j] == ':')) ++j;
        i = j;
        continue;
      }
      while (j < n) {
        if (text[j] == '.' && j + 1 < n) {
          char d = text[j + 1];
          if (d == '*') {
            j += 2;
          } else if (ident_char(d)) {
            j += 1;
            while (j < n && ident_char(text[j])) ++j;
          } else {
            break;
          }
        } else if (text[j] == '[') {
          size_t k = skip_index(text, j);
          if (k == std::string_view::npos) break;
          j = k;
        } else {
          break;
        }
      }
      emit(text.substr(i, j - i));
      i = j;
      continue;
    }
    ++i;
  }
  return n;
}

}  // namespace

size_t skip_index(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size();) {
    char c = text[i];
    if (c == '"') {
      i = skip_quoted(text, i);
      if (i == std::string_view::npos) return i;
      continue;
    }
    if (c == '[') ++depth;
    if (c == ']' && --depth == 0) return i + 1;
    ++i;
  }
  return std::string_view::npos;
}

std::pair<std::string_view, std::string_view> split_module_path(
    std::string_view address) {
  size_t end = 0;  // end of the module path found so far
  size_t i = 0;
  while (address.substr(i, 7) == "module.") {
    size_t j = i + 7;
    size_t len = ident_len(address, j);
    if (len == 0) break;
    j += len;
    if (j < address.size() && address[j] == '[') {
      j = skip_index(address, j);
      if (j == std::string_view::npos) break;
    }
    if (j >= address.size()) return {address, {}};
    if (address[j] != '.') break;
    end = j;
    i = j + 1;
  }
  if (end == 0) return {{}, address};
  return {address.substr(0, end), address.substr(end + 1)};
}

std::string strip_instance_keys(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size();) {
    if (path[i] == '[') {
      size_t k = skip_index(path, i);
      if (k == std::string_view::npos) break;
      i = k;
      continue;
    }
    out += path[i++];
  }
  return out;
}

std::string_view parent_module(std::string_view path) {
  size_t pos = path.rfind(".module.");
  if (pos == std::string_view::npos) return {};
  return path.substr(0, pos);
}

ParsedRef parse_reference(std::string_view ref, bool require_underscore) {
  ParsedRef out;
  size_t len = ident_len(ref, 0);
  if (len == 0) return out;
  std::string_view head = ref.substr(0, len);
  size_t i = len;
  if (i >= ref.size() || ref[i] != '.') return out;
  size_t len2 = ident_len(ref, i + 1);
  if (len2 == 0) return out;
  std::string_view second = ref.substr(i + 1, len2);
  size_t j = i + 1 + len2;
  if (head == "var") {
    out.kind = ParsedRef::Kind::kVariable;
    out.name = second;
    out.steps = ref.substr(j);
    return out;
  }
  if (head == "module") {
    if (j < ref.size() && ref[j] == '[') {
      size_t k = skip_index(ref, j);
      if (k == std::string_view::npos) return out;
      j = k;
    }
    out.kind = ParsedRef::Kind::kModule;
    out.module_call = ref.substr(0, j);
    if (j < ref.size() && ref[j] == '.') {
      size_t len3 = ident_len(ref, j + 1);
      out.output = ref.substr(j + 1, len3);
    }
    return out;
  }
  static constexpr std::string_view kReserved[] = {
      "local", "data",      "each",      "count",    "path",
      "self",  "terraform", "ephemeral", "provider", "resource"};
  for (std::string_view r : kReserved) {
    if (head == r) return out;
  }
  if (require_underscore && head.find('_') == std::string_view::npos) {
    return out;
  }
  out.kind = ParsedRef::Kind::kResource;
  out.target = ref.substr(0, j);
  if (j < ref.size() && ref[j] == '[') {
    size_t k = skip_index(ref, j);
    if (k != std::string_view::npos &&
        literal_key(ref.substr(j + 1, k - j - 2))) {
      out.target = ref.substr(0, k);
    }
  }
  return out;
}

void template_traversals(std::string_view text,
                         const std::function<void(std::string_view)>& emit) {
  size_t n = text.size();
  for (size_t i = 0; i + 1 < n;) {
    char c = text[i];
    if (c != '$' && c != '%') {
      ++i;
      continue;
    }
    if (text[i + 1] == c && i + 2 < n && text[i + 2] == '{') {
      i += 3;  // $${ and %%{ are literal
      continue;
    }
    if (text[i + 1] != '{') {
      ++i;
      continue;
    }
    i = scan_expr(text, i + 2, emit) + 1;
  }
}

std::string_view remote_state_output(std::string_view traversal) {
  constexpr std::string_view kPrefix = "data.terraform_remote_state.";
  constexpr std::string_view kOutputs = ".outputs.";
  if (traversal.substr(0, kPrefix.size()) != kPrefix) return {};
  size_t i = kPrefix.size();
  size_t len = ident_len(traversal, i);
  if (len == 0) return {};
  i += len;
  if (traversal.substr(i, kOutputs.size()) != kOutputs) return {};
  i += kOutputs.size();
  len = ident_len(traversal, i);
  if (len == 0) return {};
  return traversal.substr(0, i + len);
}

std::string_view sole_variable(std::string_view text) {
  if (text.size() < 7 || text.substr(0, 2) != "${" || text.back() != '}') {
    return {};
  }
  std::string_view inner = text.substr(2, text.size() - 3);
  while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
  while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
  if (inner.substr(0, 4) != "var.") return {};
  // The whole inner text must be one traversal.
  size_t j = 4 + ident_len(inner, 4);
  if (j == 4) return {};
  while (j < inner.size()) {
    if (inner[j] == '.' && ident_len(inner, j + 1) > 0) {
      j += 1 + ident_len(inner, j + 1);
    } else if (inner[j] == '[') {
      size_t k = skip_index(inner, j);
      if (k == std::string_view::npos ||
          !literal_key(inner.substr(j + 1, k - j - 2))) {
        return {};
      }
      j = k;
    } else {
      return {};
    }
  }
  return inner;
}

json::JValue follow_steps(json::JValue value, std::string_view steps) {
  size_t i = 0;
  while (i < steps.size() && value.present()) {
    if (steps[i] == '.') {
      size_t len = ident_len(steps, i + 1);
      if (len == 0) return {};
      value = value.get(steps.substr(i + 1, len));
      i += 1 + len;
    } else if (steps[i] == '[') {
      size_t k = skip_index(steps, i);
      if (k == std::string_view::npos) return {};
      std::string_view key = steps.substr(i + 1, k - i - 2);
      if (all_digits(key)) {
        if (value.is_object()) {
          value = value.get(key);
        } else {
          value = value.at(static_cast<size_t>(std::stoul(std::string(key))));
        }
      } else if (literal_key(key)) {
        value = value.get(unquote(key));
      } else {
        return {};
      }
      i = k;
    } else {
      return {};
    }
  }
  return value;
}

void add_reference(Resource& r, std::string_view attribute,
                   std::string_view target, const json::JValue& at) {
  for (const auto& ref : r.references) {
    if (ref.target == target && ref.attribute == attribute) return;
  }
  Reference ref;
  ref.attribute = std::string(attribute);
  ref.target = std::string(target);
  ref.at = at;
  r.references.push_back(std::move(ref));
}

void prune_references(std::vector<Reference>& refs) {
  if (refs.size() < 2) return;
  auto covered = [&](const Reference& a) {
    for (const auto& b : refs) {
      if (&a != &b && b.attribute == a.attribute &&
          b.target.size() > a.target.size() &&
          b.target.compare(0, a.target.size(), a.target) == 0 &&
          b.target[a.target.size()] == '[') {
        return true;
      }
    }
    return false;
  };
  std::vector<bool> drop(refs.size());
  bool any = false;
  for (size_t i = 0; i < refs.size(); ++i) {
    drop[i] = covered(refs[i]);
    any = any || drop[i];
  }
  if (!any) return;
  std::vector<Reference> kept;
  kept.reserve(refs.size());
  for (size_t i = 0; i < refs.size(); ++i) {
    if (!drop[i]) kept.push_back(std::move(refs[i]));
  }
  refs = std::move(kept);
}

std::string_view implied_provider(std::string_view type) {
  return type.substr(0, type.find('_'));
}

bool PlanSkipPolicy::skip(const json::MemberPath& path) {
  std::string_view key = path.key();
  if (path.depth() == 1) {
    if (is(key, "planned_values")) {
      planned_values_seen_ = path.value_start() == '{';
      return false;
    }
    return is(key, "resource_drift") ||
           (is(key, "prior_state") && planned_values_seen_);
  }
  if (path.depth() == 4) {
    return (is(key, "after") || is(key, "before") ||
            is(key, "after_sensitive") || is(key, "before_sensitive")) &&
           is(path.container_key(3), "change") &&
           is(path.container_key(1), "resource_changes");
  }
  return false;
}

}  // namespace drcheck::tf
