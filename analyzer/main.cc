// drcheck: the command line. Subcommands live in analyzer/cli.h.
#include "analyzer/cli.h"

int main(int argc, char** argv) { return drcheck::run_cli(argc, argv); }
