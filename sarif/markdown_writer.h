// markdown_writer.h: a GitHub-flavoured Markdown summary for pull-request
// comments and $GITHUB_STEP_SUMMARY.
//
//   ## drcheck: 2 findings
//   (one line: counts, regions, suppressed, baseline)
//   | Rule | Name | Error | Warning | Note | Suppressed |   (every rule)
//   ### Findings
//   | Level | Rule | Resource | Location | Message |      (findings that count)
//   <details> Suppressed findings, with justifications </details>
//   ### Input errors
//
// Locations link to `Report::link_base + path#Lline` (relative links when
// link_base is empty). Text is escaped for tables; the findings table stops
// before the output passes GitHub's 65,536-character comment limit and says
// how many rows it left out.
#ifndef DRCHECK_SARIF_MARKDOWN_WRITER_H_
#define DRCHECK_SARIF_MARKDOWN_WRITER_H_

#include <string>

#include "sarif/report.h"

namespace drcheck {

inline constexpr size_t kMarkdownMaxChars = 60000;

std::string write_markdown(const Report& report,
                           size_t max_chars = kMarkdownMaxChars);

// Escapes Markdown punctuation and table separators; newlines become <br>.
std::string markdown_escape(std::string_view s);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_MARKDOWN_WRITER_H_
