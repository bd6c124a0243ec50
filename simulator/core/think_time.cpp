#include "think_time.h"

#include <fmt/format.h>

#include "duration.h"
#include "errors.h"

namespace callsim {

CallRng::CallRng(uint64_t seed, uint64_t call_index)
    : state_(seed * 0x9E3779B97F4A7C15ull ^ (call_index + 0x632BE59BD9B4E019ull)) {
  next();  // so that neighbouring seeds do not start on neighbouring states
}

uint64_t CallRng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t CallRng::below_or_equal(uint64_t bound) {
  if (bound == UINT64_MAX) return next();
  // Rejection keeps it exactly uniform; at most one retry in two even for the worst bound.
  const uint64_t range = bound + 1;
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t x = next();
  while (x >= limit) x = next();
  return x % range;
}

ThinkTime ThinkTime::parse(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    return InputError(
        fmt::format("invalid think time '{}': {} (expected e.g. 600ms±200ms)", text, why));
  };
  size_t split = text.find("\xC2\xB1");  // ±
  size_t split_len = 2;
  if (split == std::string_view::npos) {
    split = text.find("+-");
    split_len = 2;
  }
  ThinkTime t;
  try {
    if (split == std::string_view::npos) {
      t.mean = parse_duration(text);
    } else {
      t.mean = parse_duration(text.substr(0, split));
      t.spread = parse_duration(text.substr(split + split_len));
    }
  } catch (const InputError& e) {
    throw fail(e.what());
  }
  if (t.spread > t.mean) throw fail("the spread is larger than the mean");
  return t;
}

Nanos ThinkTime::draw(CallRng& rng) const {
  if (spread.count() == 0) return mean;
  const uint64_t width = static_cast<uint64_t>(spread.count()) * 2;
  return mean - spread + Nanos(static_cast<Nanos::rep>(rng.below_or_equal(width)));
}

std::string ThinkTime::to_string() const {
  if (spread.count() == 0) return format_duration(mean);
  return format_duration(mean) + "\xC2\xB1" + format_duration(spread);
}

}  // namespace callsim
