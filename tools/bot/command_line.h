#pragma once

#include <optional>
#include <string>

#include "bot/bot_config.h"

namespace callsim::bot {

struct BotCommand {
  std::optional<BotConfig> config;  // set when the bot should run
  std::string port_file;            // --port-file: where to write the chosen port
  bool quiet = false;               // --quiet: no per-call log lines
  int exit_code = 0;                // when config is empty: 0 after --help, 2 after an error
};

// Parses callsim-bot's flags. Errors are printed as one line on stderr.
BotCommand parse_bot_command_line(int argc, const char* const* argv);

}  // namespace callsim::bot
