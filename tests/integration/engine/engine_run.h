#pragma once

// What the engine tests share: a second of flat audio and a burst run start to finish with no
// progress output.

#include <cstdint>
#include <memory>
#include <vector>

#include "run/burst_runner.h"

namespace callsim::test {

inline std::shared_ptr<const media::FrameSource> flat_audio() {
  return media::FrameSource::from_pcm(std::vector<int16_t>(8000, 1000), "flat");
}

// `calls` calls placed at once over `threads` workers; returns when every call has ended.
inline BurstOutcome run_calls(const CallSettings& settings, int calls, int threads = 1) {
  LoadPlan plan(calls, calls, std::chrono::seconds(0), 0, threads);
  SteadyClock clock;
  ProgressPrinter quiet(Options::Progress::kOff, std::chrono::seconds(1));
  return run_burst(settings, plan, clock, quiet, TimePoint::max(), clock.now(), {});
}

// Calls that start at `webhook_url`, from a pool of numbers to one number.
inline void use_webhook(CallSettings& settings, const std::string& webhook_url) {
  settings.webhook_url = webhook_url;
  settings.from_numbers = NumberPool::parse("+1415555####", "--from");
  settings.to_numbers = NumberPool::parse("+18005550100", "--to");
}

}  // namespace callsim::test
