#pragma once

#include <cstdint>
#include <limits>

namespace callsim {

// Gauge values are whatever the server stored (a Redis string, a JSON number): any int64 is
// possible, and the checks' arithmetic on them must not wrap around into nonsense such as
// "expected -9223372036854775806". These saturate at the int64 limits instead.

inline int64_t saturating_add(int64_t a, int64_t b) {
  int64_t sum;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

inline int64_t saturating_sub(int64_t a, int64_t b) {
  int64_t difference;
  if (!__builtin_sub_overflow(a, b, &difference)) return difference;
  return b < 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

// |a|, with |INT64_MIN| (one more than INT64_MAX) saturating to INT64_MAX.
inline int64_t saturating_abs(int64_t a) {
  if (a == std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::max();
  return a < 0 ? -a : a;
}

}  // namespace callsim
