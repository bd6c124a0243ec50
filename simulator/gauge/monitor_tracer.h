#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "gauge/gauge_trace.h"
#include "gauge/key_replay.h"

namespace callsim {

// What one checkpoint read of the key returned.
struct KeySnapshot {
  bool full = false;             // `state` holds the whole key; otherwise only `count` was read
  KeyState state;                // type kOther when the key holds something the gauge cannot read
  int64_t pttl_ms = -1;          // full reads: PTTL (-1 persistent, -2 missing)
  std::optional<int64_t> count;  // the gauge's reading; nullopt when unreadable
  std::string error;             // why it was unreadable
};

// Reconstructs every value the gauge's key took from a MONITOR stream. No I/O: the watcher feeds
// it the stream's lines and the results of its checkpoint transactions.
//
// A checkpoint is MULTI, ECHO <prefix><seq>, <read the key>, EXEC, sent by the sampler. Its ECHO
// line marks the exact place in the stream where the read happened, so:
//  - the replay starts from the first full checkpoint (nothing before it is known);
//  - every later checkpoint is compared with the replay: a disagreement makes the trace inexact
//    and the replay takes Redis's value (a full read, requested if needed);
//  - each checkpoint anchors Redis's wall clock to steady_clock (see GaugeTrace).
// The sampler completes the checkpoint's round trip before the watcher reads further MONITOR
// output, so add_checkpoint() always precedes the matching ECHO line.
class MonitorTracer {
 public:
  MonitorTracer(const GaugeSpec& spec, int db, std::string nonce_prefix);

  const std::string& nonce_prefix() const { return nonce_prefix_; }
  void add_checkpoint(uint64_t seq, TimePoint sent, TimePoint received, KeySnapshot snapshot);
  void on_line(std::string_view line);

  // The sampler should read the whole key at the next checkpoint.
  bool wants_full_state() const { return !started_ || uncertain_; }
  // The highest checkpoint sequence number seen in the stream (0 before any).
  uint64_t last_checkpoint_seen() const { return last_seen_seq_; }

  // The trace cannot be exact any more (MONITOR connection lost, a checkpoint missing, ...).
  void mark_inexact(const std::string& reason);
  // Maps the events after the last checkpoint and moves the results into `trace`.
  void finish(GaugeTrace& trace);

 private:
  struct Checkpoint {
    TimePoint sent;
    TimePoint received;
    KeySnapshot snapshot;
  };
  struct Anchor {
    int64_t redis_us = 0;
    TimePoint sent;
    TimePoint received;
    TimePoint mid() const { return sent + (received - sent) / 2; }
  };

  // Atomic steps. A script's commands are the run of "lua" lines after its EVAL/EVALSHA/FCALL
  // line. A transaction's are printed together when EXEC runs them, just before the EXEC line;
  // clients on one unix socket share a name, so the block is found as the run of consecutive
  // lines from the EXEC's client name. No client can read the values inside either, so only the
  // value after the step is an event.
  struct ScriptStep {
    std::optional<int64_t> before;
    std::optional<GaugeEvent> event;
  };
  enum class Route { kPending, kClientRun, kScript };
  void route_line(std::string_view line);
  void flush_script_step();
  void end_client_run(bool atomic);

  bool line_may_matter(std::string_view line) const;
  void on_checkpoint(uint64_t seq, int64_t redis_us);
  bool agrees(const KeySnapshot& snapshot) const;
  void restart_from(const KeySnapshot& snapshot, int64_t redis_us, EventOrigin origin);
  void emit(int64_t redis_us, EventOrigin origin, std::string command);
  void check_expiry(int64_t now_us);
  void anchor(const Anchor& next);
  TimePoint map_after_last_anchor(int64_t redis_us) const;

  GaugeKind kind_;
  std::string nonce_prefix_;
  std::string quoted_key_;  // the key as MONITOR quotes it, to skip unrelated lines cheaply
  KeyReplay replay_;

  bool started_ = false;
  bool uncertain_ = false;
  bool exact_ = true;
  std::string not_exact_reason_;
  uint64_t last_seen_seq_ = 0;
  std::map<uint64_t, Checkpoint> checkpoints_;  // read, ECHO not yet seen in the stream
  std::optional<Anchor> last_anchor_;
  Nanos clock_uncertainty_{0};

  std::map<std::string, int> multi_open_;  // MULTIs not yet closed by EXEC/DISCARD, by client
  std::optional<ScriptStep> script_step_;
  std::string run_client_;  // the client name of the current run of lines, empty: none
  std::optional<int64_t> run_before_;
  std::vector<GaugeEvent> run_events_;  // held until the run ends: one step or several
  Route route_ = Route::kPending;       // where emit() puts the current line's event

  std::vector<GaugeEvent> pending_;  // events after the last anchor, `at` not yet known
  std::vector<GaugeEvent> events_;
  int64_t last_event_redis_us_ = 0;

  uint64_t monitor_lines_ = 0;
  uint64_t unparsed_lines_ = 0;
  uint64_t commands_on_key_ = 0;
  uint64_t checkpoints_seen_ = 0;
  uint64_t divergences_ = 0;
  uint64_t resyncs_ = 0;
};

// The key as Redis's sdscatrepr prints it inside MONITOR lines, quotes included.
std::string redis_repr(std::string_view raw);

}  // namespace callsim
