#include "fuzz_input.h"

#include <cstdio>
#include <cstdlib>

namespace callsim::fuzz {

void invariant_failed(const char* what, std::string_view input) {
  std::fprintf(stderr, "fuzz invariant failed: %s (input of %zu bytes)\n", what, input.size());
  std::abort();
}

}  // namespace callsim::fuzz
