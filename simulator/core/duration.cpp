#include "duration.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace callsim {

Nanos parse_duration(std::string_view text) {
  std::string s(text);
  if (s.empty()) throw InputError("empty duration (expected e.g. 500ms, 20s, 2m)");
  const char* begin = s.c_str();
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(value) || value < 0 || *begin == '-' || *begin == '+' ||
      *begin == ' ') {
    throw InputError(fmt::format("invalid duration '{}' (expected e.g. 500ms, 20s, 2m)", s));
  }
  std::string_view unit(end);
  double scale = 0;
  if (unit == "ns")
    scale = 1;
  else if (unit == "us")
    scale = 1e3;
  else if (unit == "ms")
    scale = 1e6;
  else if (unit == "s")
    scale = 1e9;
  else if (unit == "m")
    scale = 60e9;
  else if (unit == "h")
    scale = 3600e9;
  else if (unit.empty() && value == 0)
    scale = 1;
  else
    throw InputError(
        fmt::format("invalid duration '{}' (expected a unit: ns, us, ms, s, m, h)", s));
  double ns = value * scale;
  if (ns > 1e18) throw InputError(fmt::format("duration '{}' is too long", s));
  return Nanos(static_cast<long long>(std::llround(ns)));
}

std::string format_duration(Nanos d) {
  long long ns = d.count();
  if (ns == 0) return "0s";
  if (ns % 3'600'000'000'000LL == 0) return fmt::format("{}h", ns / 3'600'000'000'000LL);
  if (ns % 60'000'000'000LL == 0) return fmt::format("{}m", ns / 60'000'000'000LL);
  if (ns >= 1'000'000'000LL) return fmt::format("{:g}s", ns / 1e9);
  if (ns >= 1'000'000LL) return fmt::format("{:g}ms", ns / 1e6);
  if (ns >= 1'000LL) return fmt::format("{:g}us", ns / 1e3);
  return fmt::format("{}ns", ns);
}

}  // namespace callsim
