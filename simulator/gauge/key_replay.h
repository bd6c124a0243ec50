#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gauge/gauge_spec.h"
#include "gauge/key_state.h"
#include "gauge/monitor_line.h"

namespace callsim {

// Replays the commands MONITOR shows onto a model of the gauge's key, reproducing what Redis did
// to it, including the failures: MONITOR also lists commands that then failed at run time
// (INCR of a non-integer, SADD on a string, a syntax error in SET's options), and those must
// change nothing.
//
// MONITOR only lists commands that were executed: queued MULTI commands appear when EXEC runs
// them (just before the EXEC line), so an EXEC aborted by WATCH, an EXECABORT and a DISCARD
// show no inner commands at all and need no special handling. Commands run by Lua scripts and
// functions appear as separate lines from client "lua", after the EVAL/FCALL line itself, which
// is ignored here (its KEYS arguments name the key without touching it).
//
// A command whose effect depends on state the replay does not have (RENAME onto the key, SPOP,
// MSETNX, RESTORE, an unknown command naming the key, ...) makes the replay uncertain: the
// tracer then resynchronises from the next full read of the key.
class KeyReplay {
 public:
  struct Effect {
    bool touched = false;   // the command named the key or changed it (even if it then failed)
    std::string uncertain;  // set when the key's new state cannot be known; says why
    bool expired = false;   // not a command: the key's TTL ran out before this line
    int64_t expired_at_ms = 0;
  };

  KeyReplay(GaugeKind kind, std::string key, int db);

  const KeyState& state() const { return state_; }
  std::optional<int64_t> value() const { return gauge_value(kind_, state_); }
  void reset(KeyState state) { state_ = std::move(state); }

  // Redis treats a key as gone once its expiry time has passed, without any command showing it.
  // Returns true (and clears the key) when that happened by `now_ms`.
  bool expire_until(int64_t now_ms);

  // Applies one MONITOR line (after expire_until(line.time_us / 1000)).
  Effect apply(const MonitorLine& line);

 private:
  using Args = std::vector<std::string>;
  Effect apply_in_db(const std::string& command, const Args& args, int64_t now_ms);
  Effect apply_other_db(const std::string& command, const Args& args, int line_db);
  bool apply_keyspace(const std::string& command, const Args& args, int64_t now_ms, Effect& e);
  bool apply_string(const std::string& command, const Args& args, int64_t now_ms, Effect& e);
  bool apply_set_or_hash(const std::string& command, const Args& args, Effect& e);
  bool apply_zset(const std::string& command, const Args& args, Effect& e);

  void set_expiry(int64_t when_ms, int64_t now_ms);
  bool is_string_or_none() const;
  bool holds(KeyState::Type type) const;  // the key has this type or does not exist

  GaugeKind kind_;
  std::string key_;
  int db_;
  KeyState state_;
};

// The command name in upper case (MONITOR shows it as the client spelled it).
std::string upper_command(const std::string& name);

}  // namespace callsim
