#include "run_report.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/errors.h"
#include "run/audio_report.h"
#include "run/call_recorder.h"
#include "run/run_figures.h"
#include "run/settings_sources.h"

namespace callsim {

namespace {

void key(JsonWriter& w, const char* name) {
  w.Key(name);
}

void write_string(JsonWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void field(JsonWriter& w, const char* name, uint64_t value) {
  w.Key(name);
  w.Uint64(value);
}
void field(JsonWriter& w, const char* name, int64_t value) {
  w.Key(name);
  w.Int64(value);
}
void field(JsonWriter& w, const char* name, int value) {
  w.Key(name);
  w.Int(value);
}
void field(JsonWriter& w, const char* name, double value) {
  w.Key(name);
  w.Double(value);
}
void field(JsonWriter& w, const char* name, bool value) {
  w.Key(name);
  w.Bool(value);
}

void write_time(JsonWriter& w, const char* name, TimePoint origin, TimePoint t) {
  w.Key(name);
  if (t == TimePoint{}) {
    w.Null();
  } else {
    w.Double(ms_since(origin, t));
  }
}

void write_generator(JsonWriter& w, const RunSummary& run) {
  const RunStats& s = *run.stats;
  w.StartObject();
  field(w, "cpu_seconds", run.cpu_seconds);
  field(w, "cpu_us_per_frame", s.frames_sent ? run.cpu_seconds * 1e6 / s.frames_sent : 0.0);
  field(w, "max_rss_kb", run.max_rss_kb);
  key(w, "rss_kb_per_call");
  if (const auto per_call = generator_memory(run).kb_per_call) {
    w.Double(*per_call);
  } else {
    w.Null();
  }
  field(w, "connection_setup_per_second", setup_rate(s));
  w.EndObject();
}

void write_string_or_null(JsonWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  if (value.empty()) {
    w.Null();
  } else {
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
}

// 0 means "not set" for these durations: null says so without a sentinel.
void duration_or_null(JsonWriter& w, const char* name, Nanos d) {
  w.Key(name);
  if (d.count() <= 0) {
    w.Null();
  } else {
    w.Double(d.count() / 1e6);
  }
}

const char* progress_word(Options::Progress p) {
  switch (p) {
    case Options::Progress::kAuto:
      return "auto";
    case Options::Progress::kTty:
      return "tty";
    case Options::Progress::kPlain:
      return "plain";
    case Options::Progress::kOff:
      return "off";
  }
  return "auto";
}

const char* color_word(Options::Color c) {
  return c == Options::Color::kNever ? "never" : c == Options::Color::kAlways ? "always" : "auto";
}

// The voice webhook's settings only when the run used it; the stream URL then comes from TwiML.
void write_webhook(JsonWriter& w, const Options& o) {
  w.Key("webhook");
  if (o.webhook_url.empty()) {
    w.Null();
    return;
  }
  w.StartObject();
  write_string(w, "url", o.webhook_url);
  write_string(w, "from", o.from_numbers);
  write_string(w, "to", o.to_numbers);
  write_string_or_null(w, "status_callback", o.status_callback_url);
  field(w, "no_status_callback", o.no_status_callback);
  field(w, "skip_stream_ratio", o.skip_stream_ratio);
  w.EndObject();
}

const char* caller_word(const Options& o) {
  if (!o.script_path.empty()) return "script";
  return o.caller == Options::Caller::kLoop ? "loop" : "conversation";
}

void write_options(JsonWriter& w, const RunSummary& run) {
  const Options& o = *run.options;
  w.StartObject();
  write_string_or_null(w, "url", o.webhook_url.empty() ? o.url : "");
  key(w, "headers");
  w.StartArray();
  for (const auto& [name, value] : o.headers) {
    w.String(mask_secrets(fmt::format("{}: {}", name, value)).c_str());
  }
  w.EndArray();
  write_string_or_null(w, "auth_token_env", o.auth_token_env);
  write_string(w, "fixture", run.fixture);
  field(w, "hold_ms", run.hold.count() / 1e6);
  write_string(w, "seed", std::to_string(run.seed));
  field(w, "concurrent", o.concurrent);
  // Closed-model --stages count no calls: their steps and the calls' length decide how many.
  if (const int64_t calls = o.total_calls(); calls > 0) {
    field(w, "calls", calls);
  } else {
    key(w, "calls");
    w.Null();
  }
  write_string_or_null(w, "stages", o.stages);
  field(w, "ramp_ms", o.ramp.count() / 1e6);
  field(w, "threads", run.threads);
  field(w, "lateness_budget_ms", o.lateness_budget.count() / 1e6);
  field(w, "handshake_timeout_ms", o.handshake_timeout.count() / 1e6);
  field(w, "reject_window_ms", o.reject_window.count() / 1e6);
  key(w, "reject_statuses");
  w.StartArray();
  for (int status : o.reject_statuses) w.Int(status);
  w.EndArray();
  field(w, "gauge_lag_ms", o.gauge_lag.count() / 1e6);
  key(w, "reject_close_codes");
  w.StartArray();
  for (int code : o.reject_close_codes) w.Int(code);
  w.EndArray();
  key(w, "params");
  w.StartObject();
  for (const auto& [name, value] : o.params) write_string(w, name.c_str(), value);
  w.EndObject();
  field(w, "seed_given", o.seed_given);
  w.Key("rate_per_second");
  if (o.rate > 0) {
    w.Double(o.rate);
  } else {
    w.Null();
  }
  duration_or_null(w, "duration_ms", o.duration);
  write_string_or_null(w, "ca_file", o.ca_file);
  field(w, "insecure", o.insecure);
  write_webhook(w, o);
  field(w, "cap", o.cap);
  write_string_or_null(w, "redis", run.redis);
  write_string(w, "gauge", o.gauge);
  field(w, "gauge_interval_ms", run.gauge_interval.count() / 1e6);
  write_string(w, "gauge_trace", o.gauge_trace);
  field(w, "reject_timeout_ms", o.reject_timeout.count() / 1e6);
  field(w, "settle_ms", o.settle.count() / 1e6);
  field(w, "bursts", o.bursts);
  key(w, "caller");
  w.StartObject();
  write_string(w, "mode", caller_word(o));
  write_string(w, "think", o.think);
  field(w, "reply_timeout_ms", o.reply_timeout.count() / 1e6);
  key(w, "turns");  // null: each utterance once
  if (o.turns > 0) {
    w.Uint64(static_cast<uint64_t>(o.turns));
  } else {
    w.Null();
  }
  write_string_or_null(w, "script", o.script_path);
  key(w, "utterances");
  w.StartArray();
  for (const auto& file : o.utterance_files) w.String(file.c_str());
  w.EndArray();
  w.EndObject();
  field(w, "drop_ratio", o.drop_ratio);
  field(w, "no_stop_ratio", o.no_stop_ratio);
  write_string_or_null(w, "report", o.report_path);
  write_string_or_null(w, "junit", o.junit_path);
  write_string_or_null(w, "csv_calls", o.csv_calls_path);
  write_string_or_null(w, "html", o.html_path);
  write_string_or_null(w, "csv", o.csv_path);
  write_string_or_null(w, "record", o.record_dir);
  field(w, "record_calls", o.record_calls);
  write_string(w, "progress", progress_word(o.progress));
  field(w, "progress_interval_ms", o.progress_interval.count() / 1e6);
  write_string(w, "color", color_word(o.color));
  field(w, "quiet", o.quiet);
  field(w, "verbose", o.verbose);
  // Every flag as finally set, and whether a flag, CALLSIM_* variable, --config file or the
  // default set it; secrets are masked.
  key(w, "settings");
  w.StartObject();
  for (const auto& setting : o.settings) {
    key(w, setting.key.c_str());
    w.StartObject();
    write_string(w, "value", setting.value);
    write_string(w, "source", setting.source);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

void write_call(JsonWriter& w, TimePoint origin, const CallRecord& c, bool conversation) {
  w.StartObject();
  field(w, "index", c.index);
  field(w, "burst", c.burst + 1);
  field(w, "worker", c.worker);
  write_string(w, "call_sid", c.ids.call_sid);
  write_string(w, "stream_sid", c.ids.stream_sid);
  write_string(w, "outcome", to_string(c.outcome));
  field(w, "admitted", c.admitted());
  if (c.reject_kind != RejectKind::kNone) write_string(w, "reject_kind", to_string(c.reject_kind));
  if (c.http_status) {
    field(w, "http_status", c.http_status);
  }
  if (c.closed_by_server) {
    field(w, "close_code", c.close_code);
    write_string(w, "close_reason", c.close_reason);
  }
  if (!c.error.empty()) write_string(w, "error", c.error);
  if (!c.reject_detail.empty()) write_string(w, "reject_detail", c.reject_detail);
  if (!c.ws_violation.empty()) write_string(w, "ws_violation", c.ws_violation);
  field(w, "close_timed_out", c.close_timed_out);
  for (auto [name, value] :
       {std::pair{"pings_received", c.pings_received}, std::pair{"pongs_unsent", c.pongs_unsent},
        std::pair{"mark_echoes_unsent", c.mark_echoes_unsent},
        std::pair{"frames_congested", c.frames_congested},
        std::pair{"send_queue_peak_bytes", c.send_queue_peak_bytes},
        std::pair{"send_queue_peak_frames", c.send_queue_peak_frames},
        std::pair{"messages_written_directly", c.messages_written_directly},
        std::pair{"messages_queued", c.messages_queued},
        std::pair{"unread_socket_bytes", c.unread_socket_bytes},
        std::pair{"unread_queued_bytes", c.unread_queued_bytes},
        std::pair{"unread_bytes", c.unread_bytes()}, std::pair{"unread_frames", c.unread_frames},
        std::pair{"dtmf_sent", c.dtmf_sent}}) {
    field(w, name, value);
  }
  write_time(w, "scheduled_ms", origin, c.scheduled);
  write_time(w, "connect_ms", origin, c.connect_started);
  write_time(w, "upgraded_ms", origin, c.upgraded);
  write_time(w, "start_sent_ms", origin, c.start_sent);
  write_time(w, "first_server_message_ms", origin, c.first_server_message);
  write_time(w, "admission_confirmed_ms", origin, c.admission_confirmed);
  write_time(w, "hung_up_ms", origin, c.hung_up);
  write_time(w, "ended_ms", origin, c.ended);
  field(w, "frames_sent", c.frames_sent);
  field(w, "frames_skipped", c.frames_skipped);
  field(w, "messages_received", c.messages_received);
  field(w, "server_media_bytes", c.server_media_bytes);
  field(w, "marks_received", c.marks_received);
  field(w, "marks_echoed", c.marks_echoed);
  field(w, "clears_received", c.clears_received);
  key(w, "invalid_messages");
  w.StartObject();
  for (size_t i = 0; i < c.invalid.size(); ++i) {
    if (c.invalid[i]) {
      field(w, to_string(static_cast<InvalidMessage>(i)), c.invalid[i]);
    }
  }
  w.EndObject();
  key(w, "audio");
  if (conversation && c.start_sent != TimePoint{}) {
    write_call_audio_json(w, origin, c.audio);
  } else {
    w.Null();
  }
  w.EndObject();
}

void write_recordings(JsonWriter& w, const RecordingSummary* r) {
  if (!r) {
    w.Null();
    return;
  }
  w.StartObject();
  write_string(w, "dir", r->dir);
  field(w, "wanted", r->wanted);
  field(w, "written", r->written);
  field(w, "failed", r->failed);
  field(w, "truncated", r->truncated);
  key(w, "files");
  w.StartArray();
  for (const std::string& file : r->files) w.String(file.c_str());
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms % 1000);
}

namespace {

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_./:=@%+,-") == std::string::npos;
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string rerun_command(const std::vector<std::string>& argv, uint64_t seed) {
  std::string out;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (i > 0 && word == "--seed") {
      ++i;  // and its value
      continue;
    }
    if (i > 0 && word.rfind("--seed=", 0) == 0) continue;
    out += (out.empty() ? "" : " ") + shell_quote(i == 0 && word.empty() ? "callsim" : word);
  }
  if (out.empty()) out = "callsim";
  return out + fmt::format(" --seed {}", seed);
}

double ms_since(TimePoint origin, TimePoint t) {
  return std::chrono::duration<double, std::milli>(t - origin).count();
}

void write_histogram(JsonWriter& w, const LatencyHistogram& h) {
  w.StartObject();
  field(w, "count", h.count());
  for (auto [name, value] :
       {std::pair{"min_ms", h.min()}, std::pair{"mean_ms", h.mean()},
        std::pair{"p50_ms", h.percentile(50)}, std::pair{"p90_ms", h.percentile(90)},
        std::pair{"p95_ms", h.percentile(95)}, std::pair{"p99_ms", h.percentile(99)},
        std::pair{"p999_ms", h.percentile(99.9)}, std::pair{"max_ms", h.max()}}) {
    field(w, name, value.count() / 1e6);
  }
  key(w, "buckets");
  w.StartArray();
  h.for_each_bucket([&](Nanos lower, Nanos upper, uint64_t count) {
    w.StartObject();
    field(w, "lower_ms", lower.count() / 1e6);
    // The topmost buckets have no upper edge.
    w.Key("upper_ms");
    if (upper == Nanos::max()) {
      w.Null();
    } else {
      w.Double(upper.count() / 1e6);
    }
    field(w, "count", count);
    w.EndObject();
  });
  w.EndArray();
  w.EndObject();
}

void write_json_report(ReportFile& file, const RunSummary& run,
                       const std::function<void(JsonWriter&)>& extra) {
  char buffer[65536];
  rapidjson::FileWriteStream stream(file.stream(), buffer, sizeof buffer);
  JsonWriter w(stream);
  const RunStats& s = *run.stats;
  const ReadingTotals reading = reading_totals(s.calls);
  w.StartObject();
  field(w, "schema_version", kReportSchemaVersion);
  write_string(w, "tool", "callsim");
  write_string(w, "callsim_version", CALLSIM_VERSION);
  write_string(w, "started_at", iso8601_utc(run.started_wall));
  write_string(w, "rerun_command", run.rerun_command);
  key(w, "config");
  write_options(w, run);
  field(w, "interrupted", run.interrupted);
  field(w, "timed_out", run.timed_out);
  field(w, "invalid", run.invalid);
  if (run.invalid) write_string(w, "invalid_reason", run.invalid_reason);
  field(w, "duration_ms", ms_since(run.started, run.finished));

  key(w, "outcomes");
  w.StartObject();
  for (size_t i = 1; i < s.outcomes.size(); ++i) {
    field(w, to_string(static_cast<Outcome>(i)), s.outcomes[i]);
  }
  w.EndObject();
  key(w, "invalid_server_messages");
  w.StartObject();
  for (size_t i = 0; i < s.invalid.size(); ++i) {
    field(w, to_string(static_cast<InvalidMessage>(i)), s.invalid[i]);
  }
  w.EndObject();
  for (auto [name, value] :
       {std::pair{"frames_sent", s.frames_sent},
        std::pair{"frames_skipped", s.frames_skipped},
        std::pair{"frames_congested", s.frames_congested},
        std::pair{"messages_received", s.messages_received},
        std::pair{"marks_echoed", s.marks_echoed},
        std::pair{"bytes_sent", s.bytes_sent},
        std::pair{"webhooks_posted", s.webhooks_posted},
        std::pair{"status_callbacks_posted", s.status_callbacks_posted},
        std::pair{"status_callbacks_failed", s.status_callbacks_failed},
        std::pair{"stream_callbacks_posted", s.stream_callbacks_posted},
        std::pair{"stream_callbacks_failed", s.stream_callbacks_failed},
        std::pair{"arrivals_scheduled", s.arrivals_scheduled},
        std::pair{"arrivals_started", s.arrivals_started},
        std::pair{"arrivals_dropped", s.arrivals_dropped},
        std::pair{"pings_received", reading.pings_received},
        std::pair{"pongs_unsent", reading.pongs_unsent},
        std::pair{"mark_echoes_unsent", reading.mark_echoes_unsent},
        std::pair{"close_timed_out_calls", reading.close_timed_out_calls},
        std::pair{"unread_calls", reading.unread_calls},
        std::pair{"unread_socket_bytes", reading.unread_socket_bytes},
        std::pair{"unread_queued_bytes", reading.unread_queued_bytes},
        std::pair{"unread_bytes", reading.unread_socket_bytes + reading.unread_queued_bytes},
        std::pair{"unread_frames", reading.unread_frames}}) {
    field(w, name, value);
  }
  if (!s.first_callback_failure.empty()) {
    write_string(w, "first_callback_failure", s.first_callback_failure);
  }
  key(w, "ws_violations");
  w.StartObject();
  for (const auto& [kind, count] : s.ws_violations) field(w, kind.c_str(), count);
  w.EndObject();
  key(w, "generator");
  write_generator(w, run);
  key(w, "histograms");
  w.StartObject();
  key(w, "send_lateness");
  write_histogram(w, s.lateness);
  key(w, "handshake");
  write_histogram(w, s.handshake);
  key(w, "time_to_first_server_message");
  write_histogram(w, s.first_message);
  w.EndObject();
  key(w, "audio");
  if (run.conversation) {
    write_audio_json(w, s);
  } else {
    w.Null();
  }
  key(w, "recordings");
  write_recordings(w, run.recordings);
  if (extra) extra(w);
  key(w, "calls");
  w.StartArray();
  for (const CallRecord& c : s.calls) write_call(w, run.started, c, run.conversation);
  w.EndArray();
  w.EndObject();
  stream.Flush();
  file.commit();
}

}  // namespace callsim
