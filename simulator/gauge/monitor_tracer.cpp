#include "monitor_tracer.h"

#include <algorithm>

#include <fmt/format.h>

namespace callsim {

namespace {

constexpr int64_t kExpirySlackMs = 2;

KeyState::Type expected_type(GaugeKind kind) {
  switch (kind) {
    case GaugeKind::kRedisScard:
      return KeyState::Type::kSet;
    case GaugeKind::kRedisHlen:
      return KeyState::Type::kHash;
    case GaugeKind::kRedisZcard:
      return KeyState::Type::kZset;
    default:
      return KeyState::Type::kString;
  }
}

// The client and the command name of a MONITOR line, without parsing its arguments:
// `1700000000.123456 [0 unix:/r.sock] "EXEC"` -> {"unix:/r.sock", "EXEC"}.
std::pair<std::string_view, std::string> peek_client_and_command(std::string_view line) {
  size_t open = line.find('[');
  size_t close = line.find("] \"");
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return {};
  }
  size_t space = line.find(' ', open);
  if (space == std::string_view::npos || space > close) return {};
  std::string_view client = line.substr(space + 1, close - space - 1);
  std::string_view rest = line.substr(close + 3);
  std::string_view name = rest.substr(0, std::min<size_t>(rest.find('"'), 8));
  return {client, upper_command(std::string(name))};
}

std::string describe(std::optional<int64_t> value) {
  return value ? std::to_string(*value) : std::string("unreadable");
}

}  // namespace

std::string redis_repr(std::string_view raw) {
  std::string out = "\"";
  for (char c : raw) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (c >= 0x20 && c < 0x7f)
          out += c;
        else
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  out += '"';
  return out;
}

MonitorTracer::MonitorTracer(const GaugeSpec& spec, int db, std::string nonce_prefix)
    : kind_(spec.kind),
      nonce_prefix_(std::move(nonce_prefix)),
      quoted_key_(redis_repr(spec.key)),
      replay_(spec.kind, spec.key, db) {}

void MonitorTracer::add_checkpoint(uint64_t seq, TimePoint sent, TimePoint received,
                                   KeySnapshot snapshot) {
  checkpoints_[seq] = Checkpoint{sent, received, std::move(snapshot)};
}

void MonitorTracer::mark_inexact(const std::string& reason) {
  if (exact_) not_exact_reason_ = reason;
  exact_ = false;
}

bool MonitorTracer::line_may_matter(std::string_view line) const {
  if (line.find(quoted_key_) != std::string_view::npos) return true;
  if (line.find(nonce_prefix_) != std::string_view::npos) return true;
  // Commands that change the key without naming it.
  auto start = line.find("] \"");
  if (start == std::string_view::npos) return false;
  std::string_view name = line.substr(start + 3, 9);
  auto quote = name.find('"');
  std::string command = upper_command(std::string(name.substr(0, quote)));
  return command == "FLUSHALL" || command == "FLUSHDB" || command == "SWAPDB";
}

void MonitorTracer::route_line(std::string_view line) {
  route_ = Route::kPending;
  auto [client, command] = peek_client_and_command(line);
  if (client.empty()) return;
  if (client == "lua") {
    end_client_run(false);
    if (!script_step_) script_step_ = ScriptStep{replay_.value(), std::nullopt};
    route_ = Route::kScript;
    return;
  }
  flush_script_step();
  const std::string name(client);
  if (line.find(nonce_prefix_) != std::string_view::npos) {
    end_client_run(false);  // a checkpoint anchors what came before it
    return;
  }
  if (command == "MULTI" || command == "EXEC" || command == "DISCARD") {
    int& open = multi_open_[name];
    const bool executed = command == "EXEC" && open > 0;
    if (command != "MULTI" && open > 0) --open;
    if (command == "MULTI") ++open;
    end_client_run(executed && run_client_ == name);
    return;
  }
  if (run_client_ != name) {
    end_client_run(false);
    run_client_ = name;
    run_before_ = replay_.value();
  }
  route_ = Route::kClientRun;
}

void MonitorTracer::flush_script_step() {
  if (script_step_ && script_step_->event && script_step_->event->value != script_step_->before) {
    pending_.push_back(std::move(*script_step_->event));
  }
  script_step_.reset();
}

void MonitorTracer::end_client_run(bool atomic) {
  if (atomic) {
    if (!run_events_.empty() && run_events_.back().value != run_before_) {
      GaugeEvent e = std::move(run_events_.back());
      e.command = "EXEC";
      pending_.push_back(std::move(e));
    }
  } else {
    for (auto& e : run_events_) pending_.push_back(std::move(e));
  }
  run_events_.clear();
  run_client_.clear();
  run_before_.reset();
}

void MonitorTracer::on_line(std::string_view text) {
  ++monitor_lines_;
  route_line(text);
  struct RouteReset {
    Route& route;
    ~RouteReset() { route = Route::kPending; }
  } route_reset{route_};
  if (!line_may_matter(text)) return;
  auto line = parse_monitor_line(text);
  if (!line) {
    ++unparsed_lines_;
    if (started_ && !uncertain_) {
      uncertain_ = true;
      mark_inexact(fmt::format("unparsable MONITOR line naming the key: {:.120}", text));
    }
    return;
  }
  const auto& args = line->args;
  if (args.size() == 2 && upper_command(args[0]) == "ECHO" &&
      args[1].compare(0, nonce_prefix_.size(), nonce_prefix_) == 0) {
    auto seq = parse_redis_integer(std::string_view(args[1]).substr(nonce_prefix_.size()));
    if (seq && *seq > 0) on_checkpoint(static_cast<uint64_t>(*seq), line->time_us);
    return;
  }
  if (!started_) return;
  if (!uncertain_) check_expiry(line->time_us);
  KeyReplay::Effect effect = replay_.apply(*line);
  if (!effect.touched) return;
  ++commands_on_key_;
  if (uncertain_) return;
  if (!effect.uncertain.empty()) {
    uncertain_ = true;
    mark_inexact(effect.uncertain);
    return;
  }
  emit(line->time_us, line->from_script() ? EventOrigin::kScript : EventOrigin::kClient,
       upper_command(args[0]));
}

void MonitorTracer::on_checkpoint(uint64_t seq, int64_t redis_us) {
  auto it = checkpoints_.find(seq);
  if (it == checkpoints_.end()) return;  // its read failed: nothing to compare with
  if (it != checkpoints_.begin()) {
    mark_inexact(fmt::format("checkpoint {} never appeared in the MONITOR stream",
                             checkpoints_.begin()->first));
    checkpoints_.erase(checkpoints_.begin(), it);
  }
  Checkpoint cp = std::move(it->second);
  checkpoints_.erase(it);
  last_seen_seq_ = seq;
  ++checkpoints_seen_;
  anchor(Anchor{redis_us, cp.sent, cp.received});

  if (!started_ || uncertain_) {
    if (cp.snapshot.full) {
      if (started_) ++resyncs_;
      restart_from(cp.snapshot, redis_us, started_ ? EventOrigin::kResync : EventOrigin::kSnapshot);
    }
    return;
  }
  // Redis decides expiry by the time its command (here EXEC) started, MONITOR stamps the line
  // after it ran: right at the boundary, let the checkpoint's own read decide.
  const KeyState& state = replay_.state();
  const int64_t now_ms = redis_us / 1000;
  const bool due = state.exists() && state.expire_at_ms >= 0 && now_ms > state.expire_at_ms;
  if (due && !(now_ms - state.expire_at_ms <= kExpirySlackMs && agrees(cp.snapshot))) {
    check_expiry(redis_us);
  }
  if (agrees(cp.snapshot)) return;
  ++divergences_;
  mark_inexact(fmt::format("checkpoint {}: the replay had {} but Redis had {}", seq,
                           describe(replay_.value()), describe(cp.snapshot.count)));
  if (cp.snapshot.full) {
    ++resyncs_;
    restart_from(cp.snapshot, redis_us, EventOrigin::kResync);
  } else {
    uncertain_ = true;
  }
}

bool MonitorTracer::agrees(const KeySnapshot& snapshot) const {
  const KeyState& replayed = replay_.state();
  if (!snapshot.full) return replay_.value() == snapshot.count;
  if (snapshot.state.type == KeyState::Type::kOther) {
    return replayed.exists() && replayed.type != expected_type(kind_);
  }
  return replayed == snapshot.state;
}

void MonitorTracer::restart_from(const KeySnapshot& snapshot, int64_t redis_us,
                                 EventOrigin origin) {
  KeyState state = snapshot.state;
  state.expire_at_ms = snapshot.pttl_ms >= 0 ? redis_us / 1000 + snapshot.pttl_ms : -1;
  replay_.reset(std::move(state));
  started_ = true;
  uncertain_ = false;
  emit(redis_us, origin, "");
}

void MonitorTracer::check_expiry(int64_t now_us) {
  int64_t expire_at_ms = replay_.state().expire_at_ms;
  if (replay_.expire_until(now_us / 1000)) emit(expire_at_ms * 1000, EventOrigin::kExpiry, "");
}

void MonitorTracer::emit(int64_t redis_us, EventOrigin origin, std::string command) {
  GaugeEvent e;
  e.redis_time_us = redis_us;
  e.value = replay_.value();
  e.origin = origin;
  e.command = std::move(command);
  if (route_ == Route::kScript && script_step_) {
    e.command = "EVAL";
    script_step_->event = std::move(e);
    return;
  }
  if (route_ == Route::kClientRun) {
    run_events_.push_back(std::move(e));
    return;
  }
  pending_.push_back(std::move(e));
}

void MonitorTracer::anchor(const Anchor& next) {
  for (auto& e : pending_) {
    if (!last_anchor_) {
      e.at = next.mid();
    } else {
      // Everything between two checkpoints in the stream happened between them in time.
      const Anchor& a = *last_anchor_;
      TimePoint ta = a.mid();
      TimePoint tb = std::max(next.mid(), ta);
      double f = 0;
      if (next.redis_us > a.redis_us) {
        f = static_cast<double>(e.redis_time_us - a.redis_us) /
            static_cast<double>(next.redis_us - a.redis_us);
        f = std::clamp(f, 0.0, 1.0);
      }
      e.at = ta + std::chrono::duration_cast<Nanos>((tb - ta) * f);
    }
    if (!events_.empty()) e.at = std::max(e.at, events_.back().at);
    events_.push_back(std::move(e));
  }
  pending_.clear();
  last_anchor_ = next;
  clock_uncertainty_ = std::max(clock_uncertainty_, (next.received - next.sent) / 2);
}

TimePoint MonitorTracer::map_after_last_anchor(int64_t redis_us) const {
  const Anchor& a = *last_anchor_;
  // A stamp centuries past the anchor (a broken or hostile server's clock) would overflow the
  // nanosecond TimePoint (found by fuzzing); a day past it is already beyond any run.
  constexpr int64_t kMaxGapUs = 86'400'000'000;
  return a.mid() +
         std::chrono::microseconds(std::clamp<int64_t>(redis_us - a.redis_us, 0, kMaxGapUs));
}

void MonitorTracer::finish(GaugeTrace& trace) {
  flush_script_step();
  end_client_run(false);
  for (auto& e : pending_) {
    e.at = map_after_last_anchor(e.redis_time_us);
    if (!events_.empty()) e.at = std::max(e.at, events_.back().at);
    events_.push_back(std::move(e));
  }
  pending_.clear();
  if (!started_) mark_inexact("no checkpoint appeared in the MONITOR stream");
  if (!checkpoints_.empty()) {
    mark_inexact(
        fmt::format("the MONITOR stream ended before checkpoint {}", checkpoints_.begin()->first));
  }
  trace.monitored = true;
  trace.exact = exact_;
  if (!exact_) trace.not_exact_reason = not_exact_reason_;
  trace.clock_uncertainty = clock_uncertainty_;
  trace.events = std::move(events_);
  trace.monitor_lines = monitor_lines_;
  trace.unparsed_lines = unparsed_lines_;
  trace.commands_on_key = commands_on_key_;
  trace.checkpoints = checkpoints_seen_;
  trace.divergences = divergences_;
  trace.resyncs = resyncs_;
}

}  // namespace callsim
