#pragma once

#include <chrono>

#include "core/clock.h"
#include "core/options.h"
#include "gauge/gauge_spec.h"

namespace callsim {

// What the checks are judged against. The CLI flags map onto it one to one; steady_grace and
// excursion_limit have no flags (they encode how real servers behave, see verify/checks.h).
struct VerifyOptions {
  int cap = 50;                                    // --cap
  Nanos reject_timeout = std::chrono::seconds(5);  // --reject-timeout
  Nanos settle = std::chrono::seconds(10);         // --settle
  // The most a correct server's gauge step may come before the caller sees the change it
  // belongs to (it counts before its 101 or first message arrives): how far gauge_consistent
  // looks ahead when matching steps to changes. What it leaves unjudged is measured, not this.
  Nanos steady_grace = std::chrono::milliseconds(200);
  // --gauge-lag: the most the gauge may trail the calls. gauge_consistent measures the lag and
  // judges after it; a lag beyond this bound is a failure of its own.
  Nanos gauge_lag = std::chrono::seconds(1);
  // A gauge excursion above the cap this short, while admissions stayed within the cap, is a
  // warning (an INCR-then-DECR back-off), not a failure.
  Nanos excursion_limit = std::chrono::seconds(1);
};

// Everything the cap verification is configured with: the checks' options and the gauge's.
struct CapOptions {
  VerifyOptions verify;
  GaugeOptions gauge;
};

// Throws InputError naming the flag when a value cannot work.
void validate(const VerifyOptions& options);

// Maps the run's options (--cap, --reject-timeout, --settle, --gauge, --redis, --gauge-interval,
// --gauge-trace) onto CapOptions, validated; InputError names the bad flag.
CapOptions cap_options_from(const Options& options);

}  // namespace callsim
