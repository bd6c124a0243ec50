#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "gauge/gauge_reader.h"
#include "gauge/gauge_spec.h"
#include "gauge/gauge_trace.h"
#include "gauge/monitor_tracer.h"

namespace callsim {

// Watches the server's active-call gauge on its own thread with its own connections, so Redis
// never sits on the call engine's hot path.
//
//   GaugeWatcher watcher(options);
//   watcher.connect();                 // before any call: UnreachableError on any problem
//   int64_t baseline = watcher.read_now();
//   watcher.start();
//   ... run the calls; wait_for_settle(watcher, ...) ...
//   GaugeTrace trace = watcher.stop();
//
// Sampling reads the gauge every `interval` (pipelined: one write, one round trip), each sample
// stamped with steady_clock. In monitor mode a second connection runs MONITOR and every sample
// is a checkpoint transaction (see MonitorTracer), so the trace also holds every value the key
// took. When MONITOR or MULTI is refused the watcher samples only and the trace says why.
class GaugeWatcher {
 public:
  explicit GaugeWatcher(GaugeOptions options);
  ~GaugeWatcher();
  GaugeWatcher(const GaugeWatcher&) = delete;
  GaugeWatcher& operator=(const GaugeWatcher&) = delete;

  // Connects and checks that the gauge can be read (unreachable, wrong password, key of the
  // wrong type, HTTP error: UnreachableError naming the problem), then sets up MONITOR when
  // asked for. Does nothing for --gauge none.
  void connect();
  bool enabled() const { return options_.spec.kind != GaugeKind::kNone; }
  // True once connect() set up a MONITOR trace; false for sampling only.
  bool monitoring() const { return tracer_ != nullptr; }
  // Why the watcher samples only although monitor mode was asked for (empty otherwise).
  const std::string& monitor_refusal() const { return monitor_refusal_; }

  // Reads the gauge now on the sampling connection; the runner's baseline. Safe while running.
  // Throws UnreachableError when it cannot.
  int64_t read_now();

  void start();
  // The most recent successful sample (nullopt before the first one or for --gauge none).
  std::optional<GaugeSample> latest() const;
  // Stops sampling (after a final checkpoint that the MONITOR stream is read up to) and returns
  // everything seen. Safe to call once; later calls return an empty trace.
  GaugeTrace stop();

  const GaugeOptions& options() const { return options_; }

 private:
  void run();
  void run_sampling();
  void sample_once();
  void read_monitor();
  void wait_until(TimePoint deadline);  // reads MONITOR output meanwhile; returns early on stop
  void record_sample_error(const std::string& error);
  void note_sample_success(TimePoint at);
  void check_sampling_stall(TimePoint now);
  void setup_monitor();

  GaugeOptions options_;
  std::unique_ptr<RedisGaugeReader> redis_;
  std::unique_ptr<HttpGaugeReader> http_;
  RedisContext monitor_;
  std::unique_ptr<MonitorTracer> tracer_;
  std::string monitor_refusal_;
  uint64_t next_seq_ = 1;
  uint64_t last_checkpoint_added_ = 0;

  mutable std::mutex reader_mutex_;  // the sampling connection, shared with read_now()
  mutable std::mutex latest_mutex_;
  std::optional<GaugeSample> latest_;

  std::thread thread_;
  std::atomic<bool> stop_requested_{false};
  int wake_pipe_[2] = {-1, -1};
  bool started_ = false;
  bool stopped_ = false;
  TimePoint next_reconnect_{};
  // Loss detection: the last successful sample, the first error since, and whether a sampling
  // loss is open in trace_.losses.
  TimePoint last_success_{};
  std::string error_since_success_;
  bool sampling_lost_ = false;
  size_t sampling_loss_index_ = 0;

  GaugeTrace trace_;  // samples and error counts; owned by the thread while it runs
};

}  // namespace callsim
