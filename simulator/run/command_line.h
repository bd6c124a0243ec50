#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/options.h"

namespace CLI {
class App;
}

namespace callsim {

// What the command line asked for. `action` runs it and returns the exit code; it is empty when
// parsing already finished the job (--help, --version) and `exit_code` says how it ended.
struct ParsedCommand {
  std::function<int()> action;
  int exit_code = 0;
};

// Builds callsim's command line (run options at the top level, subcommands below), parses argv,
// and prints --help/--version or a one-line error itself. Never throws for bad input.
ParsedCommand parse_command_line(int argc, char** argv);

std::string version_string();

}  // namespace callsim
