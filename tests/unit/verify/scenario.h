#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/call_record.h"
#include "gauge/gauge_trace.h"
#include "verify/verifier.h"

namespace callsim::test {

using ms = std::chrono::milliseconds;
using us = std::chrono::microseconds;

// Synthetic runs: calls as the caller saw them and the gauge as the watcher saw it, on one
// clock starting at t0. Times are offsets from t0.
struct Scenario {
  TimePoint t0 = TimePoint(std::chrono::seconds(1000));
  std::vector<CallRecord> calls;
  GaugeTrace trace;
  std::optional<int64_t> baseline = 0;
  VerifyOptions options;

  Scenario() {
    trace.kind = GaugeKind::kRedisGet;
    trace.source = "get:calls:active_count";
    trace.monitored = true;
    trace.exact = true;
    trace.interval = ms(1);
  }

  CallRecord& add(int burst, Nanos start) {
    CallRecord c;
    c.index = calls.size();
    c.burst = burst;
    c.ids.call_sid = fmt::format("CA{:032}", c.index);
    c.scheduled = t0 + start;
    c.connect_started = t0 + start;
    calls.push_back(c);
    return calls.back();
  }
  CallRecord& admit(int burst, Nanos start, Nanos upgraded, Nanos ended,
                    Outcome outcome = Outcome::kCompleted) {
    CallRecord& c = add(burst, start);
    c.upgraded = t0 + upgraded;
    c.ended = t0 + ended;
    c.outcome = outcome;
    return c;
  }
  CallRecord& reject(int burst, Nanos start, Nanos ended,
                     RejectKind kind = RejectKind::kHttpStatus) {
    CallRecord& c = add(burst, start);
    c.ended = t0 + ended;
    c.outcome = Outcome::kRejected;
    c.reject_kind = kind;
    c.http_status = kind == RejectKind::kHttpStatus ? 503 : 0;
    return c;
  }
  void event(Nanos at, int64_t value, EventOrigin origin = EventOrigin::kClient) {
    GaugeEvent e;
    e.at = t0 + at;
    e.value = value;
    e.origin = origin;
    trace.events.push_back(e);
  }
  void sample(Nanos at, int64_t value) { trace.samples.push_back({t0 + at, value, us(50)}); }

  // A healthy burst against a correct (Lua) server: `arrivals` calls start within 5 ms at
  // `offset`; the first cap - baseline are admitted (the gauge counts each 1 ms before the caller
  // sees the upgrade), the rest are rejected after a microseconds-long Lua excursion above the
  // cap; every call holds for `hold` and the server releases each slot `release_delay` after
  // the call ended. Returns the time the last release happened.
  Nanos healthy_burst(int burst, Nanos offset, int arrivals, Nanos hold, Nanos release_delay,
                      int64_t start_value = 0) {
    int64_t gauge = start_value;
    const int64_t free_slots = options.cap - start_value;
    event(offset, gauge, EventOrigin::kSnapshot);
    Nanos last = offset;
    for (int i = 0; i < arrivals; ++i) {
      Nanos start = offset + us(100 * i);
      Nanos decided = offset + ms(10) + us(100 * i);
      if (i < free_slots) {
        event(decided - ms(1), ++gauge, EventOrigin::kScript);
        admit(burst, start, decided, decided + hold);
        Nanos release = decided + hold + release_delay;
        releases.push_back(release);
        last = std::max(last, release);
      } else {
        event(decided - us(20), gauge + 1, EventOrigin::kScript);
        event(decided - us(19), gauge, EventOrigin::kScript);
        reject(burst, start, decided);
      }
    }
    std::sort(releases.begin(), releases.end());
    for (Nanos r : releases) event(r, --gauge, EventOrigin::kClient);
    releases.clear();
    sample(last + ms(30), gauge);  // the settle wait saw it back at its value
    return last + ms(30);
  }

  VerifyInput input() const {
    VerifyInput in;
    in.calls = &calls;
    in.trace = &trace;
    in.baseline = baseline;
    in.options = options;
    in.origin = t0;
    return in;
  }
  Verification run() {
    std::stable_sort(trace.events.begin(), trace.events.end(),
                     [](const GaugeEvent& a, const GaugeEvent& b) { return a.at < b.at; });
    return verify(input());
  }

 private:
  std::vector<Nanos> releases;
};

inline const CheckResult& check(const Verification& v, const std::string& name) {
  const CheckResult* r = v.find(name);
  if (!r) throw std::runtime_error("no check " + name);
  return *r;
}

}  // namespace callsim::test
