// junit_writer.h: JUnit XML for CI test reporters.
//
// One <testsuite> per rule ("DR004 cidr-overlap"), one <testcase> per
// (rule, resource) that has findings (name = the resource address, file and
// line of its first finding), and one passing <testcase> "no findings" for a
// rule that found nothing ("rule disabled", skipped, when it did not run).
// A testcase fails when one of its findings counts and is at or above
// --fail-on (the failure body lists them as text lines); findings below
// --fail-on go to <system-out>; a testcase whose findings are all
// suppressed or unchanged against the baseline is <skipped>. Input errors
// form a last suite "drcheck inputs", one <error> each.
#ifndef DRCHECK_SARIF_JUNIT_WRITER_H_
#define DRCHECK_SARIF_JUNIT_WRITER_H_

#include <string>

#include "sarif/output.h"
#include "sarif/report.h"

namespace drcheck {

std::string write_junit(const Report& report);
// The same bytes handed to `out` piece by piece as they render (the test
// cases in chunks, on Report::jobs threads).
void write_junit(const Report& report, ReportSink& out);

// XML-escapes text for element content and attribute values; drops the
// control characters XML 1.0 forbids.
std::string xml_escape(std::string_view s);

}  // namespace drcheck

#endif  // DRCHECK_SARIF_JUNIT_WRITER_H_
