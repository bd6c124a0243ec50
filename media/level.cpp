#include "media/level.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "media/mulaw.h"

namespace callsim::media {

namespace {

// Integer squares: a sum of doubles is one long chain of 4-cycle additions, and every bot frame
// of every call is measured. Each square is below 2^30, so the sum fits an int64 for any clip
// under 8 GB, and it is what the sum of doubles was (exactly, below 2^53) or more precise.
std::array<int64_t, 256> make_square_table() {
  std::array<int64_t, 256> table{};
  for (int code = 0; code < 256; ++code) {
    const int64_t value = ulaw_to_linear(static_cast<uint8_t>(code));
    table[static_cast<size_t>(code)] = value * value;
  }
  return table;
}

}  // namespace

double to_dbfs(double amplitude) {
  if (amplitude <= 0.0) return -std::numeric_limits<double>::infinity();
  return 20.0 * std::log10(amplitude / 32768.0);
}

double ulaw_mean_square(const uint8_t* ulaw, size_t bytes) {
  static const std::array<int64_t, 256> kSquares = make_square_table();
  if (bytes == 0) return 0.0;
  int64_t sum = 0;
  for (size_t i = 0; i < bytes; ++i) sum += kSquares[ulaw[i]];
  return static_cast<double>(sum) / static_cast<double>(bytes);
}

}  // namespace callsim::media
