#include "check_result.h"

#include <cmath>

#include <fmt/format.h>

namespace callsim {

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kSkip:
      return "SKIP";
  }
  return "?";
}

const Metric* CheckResult::metric(const std::string& name) const {
  for (const auto& m : metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

int64_t CheckResult::value(const std::string& name, int64_t fallback) const {
  const Metric* m = metric(name);
  return m ? m->value : fallback;
}

void CheckResult::set(const std::string& name, int64_t value, Metric::Fold fold) {
  for (auto& m : metrics) {
    if (m.name == name) {
      m.value = value;
      m.fold = fold;
      return;
    }
  }
  metrics.push_back({name, value, fold});
}

std::string format_offset(TimePoint origin, TimePoint t) {
  double seconds = std::chrono::duration<double>(t - origin).count();
  return fmt::format("{}{:.6f}s", seconds < 0 ? "-" : "+", std::fabs(seconds));
}

std::string human_duration(Nanos d) {
  double ns = static_cast<double>(d.count());
  const char* sign = ns < 0 ? "-" : "";
  ns = std::fabs(ns);
  if (ns < 1e3) return fmt::format("{}{:.0f}ns", sign, ns);
  if (ns < 1e6) return fmt::format("{}{:.3g}us", sign, ns / 1e3);
  if (ns < 1e9) return fmt::format("{}{:.3g}ms", sign, ns / 1e6);
  if (ns < 1e12) return fmt::format("{}{:.3g}s", sign, ns / 1e9);
  return fmt::format("{}{:.0f}s", sign, ns / 1e9);
}

int64_t to_us(Nanos d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace callsim
