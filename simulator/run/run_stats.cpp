#include "run_stats.h"

#include <iterator>
#include <numeric>

namespace callsim {

uint64_t RunStats::invalid_total() const {
  return std::accumulate(invalid.begin(), invalid.end(), uint64_t{0});
}

void RunStats::merge(RunStats&& other) {
  lateness.merge(other.lateness);
  handshake.merge(other.handshake);
  first_message.merge(other.first_message);
  audio.merge(other.audio);
  lateness_over_time.merge(other.lateness_over_time);
  for (size_t i = 0; i < outcomes.size(); ++i) outcomes[i] += other.outcomes[i];
  for (size_t i = 0; i < invalid.size(); ++i) invalid[i] += other.invalid[i];
  frames_sent += other.frames_sent;
  frames_skipped += other.frames_skipped;
  frames_congested += other.frames_congested;
  messages_received += other.messages_received;
  marks_echoed += other.marks_echoed;
  bytes_sent += other.bytes_sent;
  webhooks_posted += other.webhooks_posted;
  status_callbacks_posted += other.status_callbacks_posted;
  status_callbacks_failed += other.status_callbacks_failed;
  stream_callbacks_posted += other.stream_callbacks_posted;
  stream_callbacks_failed += other.stream_callbacks_failed;
  arrivals_scheduled += other.arrivals_scheduled;
  arrivals_started += other.arrivals_started;
  arrivals_dropped += other.arrivals_dropped;
  for (const auto& [kind, count] : other.ws_violations) ws_violations[kind] += count;
  if (first_callback_failure.empty())
    first_callback_failure = std::move(other.first_callback_failure);
  calls.insert(calls.end(), std::make_move_iterator(other.calls.begin()),
               std::make_move_iterator(other.calls.end()));
  other.calls.clear();
}

}  // namespace callsim
