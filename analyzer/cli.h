// cli.h: drcheck's command line (CLI11).
//
//   drcheck scan PATH...    run the rules, write findings (text/SARIF/...)
//   drcheck model PATH...   print the cross-region resource model
//   drcheck rules           list the rules and their metadata
//   drcheck version         print the version
//
// Exit codes: 0 clean; 1 findings at or above --fail-on; 2 usage or input
// error (wins over 1).
#ifndef DRCHECK_ANALYZER_CLI_H_
#define DRCHECK_ANALYZER_CLI_H_

namespace drcheck {

int run_cli(int argc, char** argv);

}  // namespace drcheck

#endif  // DRCHECK_ANALYZER_CLI_H_
