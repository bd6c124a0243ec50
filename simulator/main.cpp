// The one place that catches, prints and picks the exit code.
#include <cstdio>
#include <exception>

#include "core/errors.h"
#include "core/exit_codes.h"
#include "media/media_error.h"
#include "run/command_line.h"

int main(int argc, char** argv) {
  using namespace callsim;
  try {
    ParsedCommand command = parse_command_line(argc, argv);
    if (!command.action) return command.exit_code;
    return command.action();
  } catch (const InputError& e) {
    std::fprintf(stderr, "callsim: %s\n", e.what());
    return kExitUsage;
  } catch (const media::MediaError& e) {
    std::fprintf(stderr, "callsim: %s\n", e.what());
    return kExitUsage;
  } catch (const UnreachableError& e) {
    std::fprintf(stderr, "callsim: %s\n", e.what());
    return kExitUnreachable;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callsim: internal error: %s\n", e.what());
    return kExitInvalidRun;
  }
}
