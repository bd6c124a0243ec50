#include "media/level.h"

#include <array>
#include <cmath>
#include <limits>

#include "media/mulaw.h"

namespace callsim::media {

namespace {

std::array<double, 256> make_square_table() {
  std::array<double, 256> table{};
  for (int code = 0; code < 256; ++code) {
    double value = ulaw_to_linear(static_cast<uint8_t>(code));
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
  static const std::array<double, 256> kSquares = make_square_table();
  if (bytes == 0) return 0.0;
  double sum = 0.0;
  for (size_t i = 0; i < bytes; ++i) sum += kSquares[ulaw[i]];
  return sum / static_cast<double>(bytes);
}

}  // namespace callsim::media
