#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "duration.h"
#include "threshold.h"

namespace callsim {

// One run setting as it was finally given, for the report: `source` is flag, env, file or
// default, and secrets in `value` are masked.
struct SettingEcho {
  std::string key;  // the flag's long name without the dashes (also its --config key)
  std::string value;
  std::string source;
};

// Everything a run is configured with. Filled by the command line, checked by validate(), echoed
// into the report. Durations are nanoseconds; 0 where a duration means "not set" says so.
struct Options {
  // --- target ---
  std::string url = "ws://127.0.0.1:5050/ws/twilio-media";
  std::vector<std::pair<std::string, std::string>> headers;  // extra upgrade headers (--header)
  std::string auth_token_env;  // name of the env var holding the Twilio auth token
  Nanos handshake_timeout = std::chrono::seconds(10);
  std::string ca_file;    // CA certificates for wss:// (default: the system's)
  bool insecure = false;  // do not verify the server's certificate

  // --- the voice webhook (the whole Twilio call flow) ---
  std::string webhook_url;                    // empty: dial --url directly, as after TwiML
  std::string from_numbers = "+1415555####";  // caller numbers: list or '#' pattern
  std::string to_numbers = "+18005550100";    // numbers dialled
  std::string status_callback_url;            // empty: the <Connect action> URL, if any
  bool no_status_callback = false;
  double skip_stream_ratio = 0;  // admitted at the webhook, but never open the WebSocket

  // --- call content ---
  std::string fixture;  // audio file; empty = bundled default
  Nanos hold{0};        // per-call length; 0 = fixture length, at least 5 s
  uint64_t seed = 0;    // SIDs and start offsets derive from it
  bool seed_given = false;
  std::vector<std::pair<std::string, std::string>> params;  // start.customParameters (--param)

  // --- the caller's side of the conversation ---
  enum class Caller { kConversation, kLoop, kScript } caller = Caller::kConversation;
  std::string think = "600ms+-200ms";             // pause before speaking again (core/think_time.h)
  Nanos reply_timeout = std::chrono::seconds(5);  // how long the caller waits for the bot
  int turns = 0;                                  // conversation: 0 = each utterance once
  std::string script_path;                   // --caller script: the steps (core/caller_script.h)
  std::vector<std::string> utterance_files;  // what the caller says instead of the fixture's

  // --- load shape ---
  int concurrent = 60;  // calls kept live at once (closed model)
  int64_t calls = 0;    // total calls to place; 0 = same as concurrent
  Nanos ramp{0};        // spread of the first `concurrent` starts; 0 = one burst
  double rate = 0;      // calls per second (open model); 0 = closed model
  Nanos duration{0};    // bound on the whole run; 0 = none
  std::string stages;   // --stages: the load shape over time (core/load_stages.h); empty = none
  int threads = 0;      // worker threads; 0 = number of cores
  Nanos lateness_budget = std::chrono::milliseconds(5);  // p99 send lateness before INVALID
  Nanos reject_window = std::chrono::seconds(2);  // server close this soon after start = rejection
  std::vector<int> reject_statuses = {503, 429};  // upgrade answers that mean "at capacity"
  std::vector<int> reject_close_codes = {1013};   // close codes that mean "at capacity"

  // --- verdict: the server's cap and its gauge ---
  int cap = 50;
  // --- thresholds (core/threshold.h): each is a check of its own ---
  std::vector<std::string> thresholds;  // --threshold, as given
  std::string slo;                      // --slo preset, whose thresholds join --threshold's
  std::string redis_url = "redis://127.0.0.1:6379/0";
  std::string gauge = "calls:active_count";  // see --help for the forms; "none" = no Redis
  Nanos gauge_interval{0};                   // 0: 1 ms for Redis gauges, 50 ms for HTTP ones
  std::string gauge_trace = "monitor";       // monitor (falls back to sampling) or sample
  Nanos reject_timeout = std::chrono::seconds(5);
  Nanos settle = std::chrono::seconds(10);
  Nanos gauge_lag = std::chrono::seconds(1);  // the most the gauge may trail the calls
  int bursts = 1;
  double drop_ratio = 0;     // admitted calls that vanish mid-call with a TCP reset
  double no_stop_ratio = 0;  // admitted calls closed 1000 without sending stop

  // --- output ---
  std::string report_path;  // JSON report; empty = none
  std::string html_path;    // HTML report (--html); empty = none
  std::string csv_path;     // time series as CSV (--csv); empty = none
  Nanos interval{0};        // the time series' row width; 0 = chosen from the run's length
  enum class Progress { kAuto, kTty, kPlain, kOff } progress = Progress::kAuto;
  Nanos progress_interval = std::chrono::seconds(2);
  std::string junit_path;      // JUnit XML of the checks; empty = none
  std::string csv_calls_path;  // one CSV row per call; empty = none
  std::string record_dir;      // --record: stereo WAVs of the first calls; empty = none
  int record_calls = 5;        // --record-calls: how many calls --record keeps
  enum class Color { kAuto, kNever, kAlways } color = Color::kAuto;
  bool quiet = false;    // print the verdict line only
  bool silent = false;   // print nothing (no flag: `capacity` prints its own table per step)
  bool verbose = false;  // every section of the summary, even the ones with nothing to say
  std::vector<std::string> command_line;  // argv as typed, for the summary's rerun line

  // Every run flag's final value and where it came from (run/settings_sources.cpp).
  std::vector<SettingEcho> settings;

  // Closed model: --calls, else --concurrent. Open model: --calls, else rate x --duration.
  int64_t total_calls() const;  // closed-model --stages: 0, the stages bound time, not calls
  // The most calls live at once: closed-model --stages' peak, else --concurrent.
  int peak_calls() const;
};

// --record-calls' bound: a recorded call of 10 minutes holds 9.6 MB until it is written.
constexpr int kMaxRecordedCalls = 100;

// Throws InputError naming the flag when a value or a combination cannot work.
void validate(const Options& options);

// --threshold's and --slo's thresholds, parsed (InputError names the bad one). A --threshold on
// the same metric and statistic as one of the preset's replaces it: the preset is a default.
std::vector<Threshold> thresholds_of(const Options& options);

}  // namespace callsim
