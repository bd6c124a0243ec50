#pragma once

#include <chrono>

namespace callsim {

// Every timestamp in callsim (call events, frame deadlines, gauge samples) is on this one
// monotonic clock, so events from different threads can be ordered against each other.
using TimePoint = std::chrono::steady_clock::time_point;
using Nanos = std::chrono::nanoseconds;

// Time comes through this interface so pacing and playback logic are tested without sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when a test says so.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint(std::chrono::seconds(1000))) : now_(start) {}
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }
  void advance(Nanos d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace callsim
