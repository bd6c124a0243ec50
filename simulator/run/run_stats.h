#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/call_audio_metrics.h"
#include "core/call_record.h"
#include "core/histogram.h"
#include "core/lateness_series.h"

namespace callsim {

// What one worker (and, after merging, the whole run) measured. Plain data, merged field by
// field after the workers are joined.
struct RunStats {
  LatencyHistogram lateness;       // frame send time minus its deadline
  LatencyHistogram handshake;      // TCP connect start to 101
  LatencyHistogram first_message;  // `start` sent to the server's first message
  AudioHistograms audio;           // what the callers heard, at playout time
  // The same, one per --bursts repetition in order: kept by the run as each burst ends (merge()
  // leaves it alone), so that a run can show whether the callers heard the same in each.
  std::vector<AudioHistograms> audio_by_burst;

  // The same as `lateness`, per stretch of the run (the time series).
  LatenessSeries lateness_over_time;

  std::array<uint64_t, static_cast<size_t>(Outcome::kCount)> outcomes{};
  std::array<uint64_t, static_cast<size_t>(InvalidMessage::kCount)> invalid{};
  uint64_t frames_sent = 0;
  uint64_t frames_skipped = 0;    // overdue beyond the catch-up burst after a stall
  uint64_t frames_congested = 0;  // not sent because the server stopped reading (Twilio: 31930)
  uint64_t messages_received = 0;
  uint64_t marks_echoed = 0;
  uint64_t bytes_sent = 0;
  uint64_t webhooks_posted = 0;  // voice webhook requests, redirects included
  uint64_t status_callbacks_posted = 0;
  uint64_t status_callbacks_failed = 0;  // no answer, or an HTTP error status
  uint64_t stream_callbacks_posted = 0;  // <Stream statusCallback> events
  uint64_t stream_callbacks_failed = 0;
  // Open model only: arrivals due, started as calls, and dropped because --concurrent were in
  // flight on their worker. A dropped arrival is not a call: no CallRecord, nothing to judge.
  uint64_t arrivals_scheduled = 0;
  uint64_t arrivals_started = 0;
  uint64_t arrivals_dropped = 0;
  std::map<std::string, uint64_t> ws_violations;  // by kind (net/ws_violation.h)
  std::string first_callback_failure;  // why the first failed callback failed; "" when none did

  std::vector<CallRecord> calls;

  uint64_t count(Outcome o) const { return outcomes[static_cast<size_t>(o)]; }
  uint64_t invalid_total() const;
  void merge(RunStats&& other);
};

}  // namespace callsim
