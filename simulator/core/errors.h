#pragma once

#include <stdexcept>

namespace callsim {

// User-supplied input (a flag value, a file, a URL) that cannot be used. The message names the
// value and what was expected; main() maps it to kExitUsage.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A peer (the target server, Redis) could not be reached or refused us before the run; main()
// maps it to kExitUnreachable.
class UnreachableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace callsim
