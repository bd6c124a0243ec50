#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clock.h"

namespace callsim {

// A small, fast generator with a 64-bit state (splitmix64), one per call: seeded from the run's
// seed and the call's index, so a call thinks the same in every run whatever the other calls do,
// and the numbers are the same on every platform (std:: distributions are not).
class CallRng {
 public:
  CallRng(uint64_t seed, uint64_t call_index);
  uint64_t next();
  // Uniform in [0, bound] (bound inclusive).
  uint64_t below_or_equal(uint64_t bound);

 private:
  uint64_t state_;
};

// How long a caller waits between hearing the bot finish and speaking: "600ms±200ms" (uniform in
// [400ms, 800ms]; "+-" may stand for "±"), or a fixed "600ms".
struct ThinkTime {
  Nanos mean{0};
  Nanos spread{0};

  // Throws InputError naming the text: a bad duration, or a spread larger than the mean.
  static ThinkTime parse(std::string_view text);
  Nanos draw(CallRng& rng) const;
  std::string to_string() const;  // "600ms±200ms", "600ms"
};

}  // namespace callsim
