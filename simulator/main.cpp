// The one place that catches, prints and picks the exit code.
#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include "core/errors.h"
#include "core/exit_codes.h"
#include "media/media_error.h"
#include "run/command_line.h"

namespace {

// The summary and the verdict table go to stdout: if they could not be written (a full disk,
// `>/dev/full`, a reader that went away), the run's result was lost, and a zero exit would
// claim otherwise.
int check_stdout(int exit_code) {
  const int flushed = std::fflush(stdout);
  const int error = errno;
  if (flushed == 0 && !std::ferror(stdout)) return exit_code;
  std::fprintf(stderr, "callsim: cannot write the results to stdout: %s\n",
               flushed != 0 ? std::strerror(error) : "write error");
  return callsim::kExitUsage;
}

int run(int argc, char** argv) {
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

}  // namespace

int main(int argc, char** argv) {
  // From the very start: a write to a closed pipe (`| head`) or a reset socket must be an error
  // that is handled, not a silent death, warnings printed before the run included.
  ::signal(SIGPIPE, SIG_IGN);
  return check_stdout(run(argc, argv));
}
