#include "run_command.h"

#include <cstdio>

#include "core/exit_codes.h"

namespace callsim {

int run_command(const Options& options) {
  validate(options);
  std::fprintf(stderr, "callsim: the call engine is not built yet; nothing was run\n");
  return kExitUsage;
}

}  // namespace callsim
