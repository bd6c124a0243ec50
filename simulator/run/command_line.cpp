#include "command_line.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <thread>

#include <fmt/format.h>

#include "core/errors.h"
#include "core/exit_codes.h"
#include "core/threshold.h"
#include "run/audio_command.h"
#include "run/capacity_command.h"
#include "run/cli_words.h"
#include "run/run_command.h"
#include "run/settings_sources.h"

namespace callsim {

namespace {

std::string threshold_metric_list() {
  std::string out;
  for (const auto& m : threshold_metrics()) {
    out += (out.empty() ? "" : ", ") + std::string(m.name);
    out += m.latency && m.counted ? " (pN/max/min/mean, rate/count)"
           : m.latency            ? " (pN/max/min/mean)"
                                  : " (rate/count)";
  }
  return out;
}

std::string join_presets(const char* name) {
  std::string out;
  for (const auto& t : slo_preset(name)) out += (out.empty() ? "" : ", ") + t;
  return out;
}

CLI::Option* add_duration(CLI::App& app, const std::string& name, Nanos& target,
                          const std::string& description) {
  auto* opt = app.add_option_function<std::string>(
      name,
      [name, &target](const std::string& text) {
        try {
          target = parse_duration(text);
        } catch (const InputError& e) {
          throw CLI::ValidationError(name, e.what());
        }
      },
      description);
  opt->type_name("DURATION")->default_str(format_duration(target));
  return opt;
}

// CLI11 clamps an out-of-range integer to the type's limits (and wraps "-1"): a seed that is
// not the one typed would silently give different calls, so the text is checked here.
uint64_t parse_seed(const std::string& text) {
  uint64_t seed = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, seed);
  if (text.empty() || error != std::errc() || stop != end) {
    throw CLI::ValidationError(
        "--seed", fmt::format("'{}' is not a whole number from 0 to {}", text, UINT64_MAX));
  }
  return seed;
}

// A share from 0 to 1; a percentage is refused with a hint (cli_words.h).
CLI::Option* add_share(CLI::App& app, const std::string& name, double& target,
                       const std::string& description) {
  auto* opt = app.add_option_function<std::string>(
      name,
      [name, &target](const std::string& text) {
        try {
          target = parse_share(name, text);
        } catch (const InputError& e) {
          throw CLI::ValidationError(e.what());
        }
      },
      description);
  opt->type_name("SHARE");
  return opt;
}

// One of `choices`, case-insensitive; an error lists the allowed words.
template <typename Enum>
CLI::Option* add_choice(CLI::App& app, const std::string& name, Enum& target,
                        const std::vector<std::pair<std::string, Enum>>& choices,
                        const std::string& description) {
  return app.add_option_function<std::string>(
      name,
      [name, &target, choices](const std::string& text) {
        std::vector<std::string> words;
        for (const auto& choice : choices) words.push_back(choice.first);
        try {
          target = choices[parse_choice(name, text, words)].second;
        } catch (const InputError& e) {
          throw CLI::ValidationError(e.what());
        }
      },
      description);
}

// K:V or k=v pairs for repeatable flags.
CLI::Option* add_pairs(CLI::App& app, const std::string& name, char separator,
                       std::vector<std::pair<std::string, std::string>>& target,
                       const std::string& description) {
  auto* opt = app.add_option_function<std::vector<std::string>>(
      name,
      [name, separator, &target](const std::vector<std::string>& items) {
        for (const auto& item : items) {
          auto at = item.find(separator);
          if (at == std::string::npos || at == 0) {
            throw CLI::ValidationError(
                name, fmt::format("'{}' is not of the form name{}value", item, separator));
          }
          std::string key = item.substr(0, at);
          std::string value = item.substr(at + 1);
          if (separator == ':') {
            auto first = value.find_first_not_of(' ');
            value = first == std::string::npos ? "" : value.substr(first);
          }
          target.emplace_back(std::move(key), std::move(value));
        }
      },
      description);
  opt->type_name(separator == ':' ? "NAME:VALUE" : "NAME=VALUE")->allow_extra_args(false);
  return opt;
}

void add_run_options(CLI::App& app, Options& o) {
  const std::string target = "Target";
  app.add_option("--url", o.url,
                 "WebSocket URL (ws:// or wss://) of the server's Media Streams endpoint")
      ->type_name("URL")
      ->capture_default_str()
      ->group(target);
  add_pairs(app, "--header", ':', o.headers, "Extra header on the upgrade request (repeatable)")
      ->group(target);
  app.add_option("--auth-token-env", o.auth_token_env,
                 "Environment variable holding the Twilio auth token; signs the upgrade with "
                 "x-twilio-signature")
      ->type_name("NAME")
      ->group(target);
  app.add_option("--ca-file", o.ca_file,
                 "CA certificates (PEM) to verify a wss:// server with (default: the system's)")
      ->type_name("FILE")
      ->group(target);
  app.add_flag("--insecure", o.insecure,
               "Do not verify the wss:// server's certificate (Twilio always does)")
      ->group(target);
  add_duration(app, "--handshake-timeout", o.handshake_timeout,
               "Give up on a stream's dial (TCP connect, TLS, upgrade) after this long")
      ->group(target);

  const std::string flow = "Voice webhook (the whole Twilio call flow)";
  app.add_option("--webhook", o.webhook_url,
                 "POST Twilio's voice webhook here for each call and follow its TwiML "
                 "(<Connect><Stream>, <Reject>, <Hangup>, <Redirect>); --url is then unused")
      ->type_name("URL")
      ->group(flow);
  app.add_option("--from", o.from_numbers,
                 "Caller numbers: a comma-separated list, '#' stands for a digit")
      ->type_name("NUMBERS")
      ->capture_default_str()
      ->group(flow);
  app.add_option("--to", o.to_numbers, "Numbers dialled, in the same form")
      ->type_name("NUMBERS")
      ->capture_default_str()
      ->group(flow);
  app.add_option("--status-callback", o.status_callback_url,
                 "Where to POST the call's status at hang-up (default: the <Connect action> URL)")
      ->type_name("URL")
      ->group(flow);
  app.add_flag("--no-status-callback", o.no_status_callback,
               "Never POST the status callback (exposes servers that release only there)")
      ->group(flow);
  add_share(app, "--skip-stream-ratio", o.skip_stream_ratio,
            "Share of calls admitted at the webhook that never open the WebSocket")
      ->group(flow);

  const std::string content = "Call content";
  app.add_option(
         "--fixture", o.fixture,
         "Caller audio: WAV, FLAC, Ogg Opus/Vorbis, MP3, AIFF or raw 8 kHz mu-law (.ulaw/.raw)")
      ->type_name("FILE")
      ->default_str("share/callsim/fixtures/audio/caller-question.opus beside bin/")
      ->group(content);
  add_duration(app, "--hold", o.hold,
               "How long each call lasts at most (default: conversation: the time its turns can "
               "take; loop: the fixture's length, at least 5s)")
      ->default_str("fixture")
      ->group(content);
  app.add_option_function<std::string>(
         "--seed",
         [&o](const std::string& text) {
           o.seed = parse_seed(text);
           o.seed_given = true;
         },
         "Seed for SIDs and audio offsets; the same seed gives the same calls (default: random)")
      ->type_name("UINT")
      ->group(content);
  add_pairs(app, "--param", '=', o.params, "start.customParameters entry (repeatable)")
      ->group(content);

  const std::string caller = "Caller (what each call says and when)";
  add_choice<Options::Caller>(app, "--caller", o.caller,
                              {{"conversation", Options::Caller::kConversation},
                               {"loop", Options::Caller::kLoop},
                               {"script", Options::Caller::kScript}},
                              "conversation: wait for the greeting, speak an utterance, listen "
                              "until the bot's reply has played, think, speak the next; loop: "
                              "stream the fixture round and round (plain load); script: --script")
      ->type_name("MODE")
      ->default_str("conversation")
      ->group(caller);
  app.add_option("--think", o.think,
                 "Pause between hearing the bot finish and speaking: 600ms+-200ms (uniform in "
                 "400ms..800ms, drawn per turn from the seed) or a fixed 600ms")
      ->type_name("DURATION[+-DURATION]")
      ->capture_default_str()
      ->group(caller);
  add_duration(app, "--reply-timeout", o.reply_timeout,
               "How long the caller waits for the bot to start speaking (greeting, reply, "
               "listen); a turn without a reply by then is a no-reply turn")
      ->group(caller);
  app.add_option("--turns", o.turns,
                 "Utterances the caller speaks per call, cycling through them (default: each "
                 "once)")
      ->check(CLI::Range(0, 100'000).description(""))
      ->group(caller);
  app.add_option("--script", o.script_path,
                 "YAML caller script (listen, say, pause, dtmf, barge_in, hangup); implies "
                 "--caller script")
      ->type_name("FILE")
      ->group(caller);
  app.add_option("--utterances", o.utterance_files,
                 "Audio files the caller says, one utterance each, instead of the fixture split "
                 "by the speech detector")
      ->type_name("FILE")
      ->delimiter(',')
      ->group(caller);

  const std::string load = "Load";
  app.add_option("--concurrent,-c", o.concurrent,
                 "Calls kept live at once; with --rate: the most calls in flight (an arrival that "
                 "finds this many live is dropped and counted)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000).description(""))
      ->group(load);
  app.add_option("--calls,-n", o.calls,
                 "Total calls to place; finished calls are replaced until this many were placed "
                 "(default: --concurrent; with --rate: rate x --duration)")
      ->check(CLI::Range(int64_t{1}, int64_t{1'000'000'000}).description(""))
      ->group(load);
  add_duration(app, "--ramp", o.ramp, "Spread the first --concurrent starts over this long")
      ->group(load);
  app.add_option("--rate", o.rate,
                 "Open model: call g arrives at g / rate seconds whatever happened to earlier "
                 "calls; needs --calls or --duration")
      ->type_name("PER_SECOND")
      ->check(CLI::PositiveNumber.description(""))
      ->group(load);
  add_duration(app, "--duration", o.duration, "Stop the whole run after this long (0 = no bound)")
      ->group(load);
  app.add_option("--stages", o.stages,
                 "Load over time: DURATION:TARGET,... ramps linearly to each TARGET over its "
                 "DURATION, calls live (closed model, e.g. 30s:10,2m:50,30s:0) or arrivals per "
                 "second with /s (open model, e.g. 1m:5/s,2m:20/s); --concurrent bounds the calls "
                 "in flight of an open model")
      ->type_name("STAGES")
      ->group(load);
  app.add_option("--threads", o.threads, "Worker threads (default: number of cores)")
      ->check(CLI::Range(1, 1024).description(""))
      ->default_str(std::to_string(std::thread::hardware_concurrency()))
      ->group(load);
  add_duration(app, "--lateness-budget", o.lateness_budget,
               "If p99 frame send lateness exceeds this, the run is INVALID (exit 4)")
      ->group(load);
  add_duration(app, "--reject-window", o.reject_window,
               "A server close this soon after start, with no audio sent, counts as a rejection")
      ->group(load);
  app.add_option("--reject-status", o.reject_statuses,
                 "Upgrade answers that mean 'at capacity' (a rejection); any other non-101 "
                 "answer is a protocol error")
      ->delimiter(',')
      ->default_str("503,429")
      ->group(load);
  app.add_option("--reject-close-codes", o.reject_close_codes,
                 "Close codes that mean 'at capacity': a close with one within --reject-window "
                 "of start is a rejection even after the server spoke (a busy prompt)")
      ->delimiter(',')
      ->default_str("1013")
      ->group(load);

  const std::string verdict = "Verdict (the concurrent-call cap)";
  app.add_option("--cap", o.cap, "The server's concurrent-call cap")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000).description(""))
      ->group(verdict);
  app.add_option("--threshold", o.thresholds,
                 "Judge the run against METRIC.STATISTIC<LIMIT (repeatable; also <=, >, >=), e.g. "
                 "reply_latency.p95<1200ms, ttfa.p99<2s, no_reply_turns.rate<1%, "
                 "failed_calls.count<1; a breach fails the run (exit 1). Metrics: " +
                     threshold_metric_list())
      ->type_name("EXPR")
      ->group(verdict);
  app.add_option("--slo", o.slo,
                 "Apply a preset of thresholds: voice (" + join_presets("voice") +
                     "); a --threshold on the same metric and statistic replaces the preset's")
      ->type_name("PRESET")
      ->group(verdict);
  app.add_option("--redis", o.redis_url,
                 "Redis holding the gauge: redis://[:password@]host:port/db or unix:///path.sock")
      ->type_name("URL")
      ->capture_default_str()
      ->group(verdict);
  app.add_option("--gauge", o.gauge,
                 "Active-call gauge: KEY or get:KEY (counter), scard:KEY, hlen:KEY, zcard:KEY, "
                 "http://host:port/path#/json/pointer, or none (no Redis, caller-side checks only)")
      ->type_name("SPEC")
      ->capture_default_str()
      ->group(verdict);
  add_duration(app, "--gauge-interval", o.gauge_interval, "Gauge sampling period")
      ->default_str("1ms, 50ms for http")
      ->group(verdict);
  app.add_option("--gauge-trace", o.gauge_trace,
                 "monitor: replay every command on the key via MONITOR (falls back to sampling "
                 "when refused); sample: sampling only")
      ->type_name("MODE")
      ->capture_default_str()
      ->group(verdict);
  add_duration(app, "--reject-timeout", o.reject_timeout,
               "A call not admitted must be explicitly rejected within this long")
      ->group(verdict);
  add_duration(app, "--settle", o.settle,
               "After the last call ends, the gauge must return to its baseline within this long")
      ->group(verdict);
  add_duration(app, "--gauge-lag", o.gauge_lag,
               "The gauge may trail admissions and releases by at most this long (measured, "
               "then judged after the lag)")
      ->group(verdict);
  app.add_option(
         "--bursts", o.bursts,
         "Repeat the burst this many times, settling in between (races show only sometimes)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000).description(""))
      ->group(verdict);
  add_share(app, "--drop-ratio", o.drop_ratio,
            "Share of admitted calls that vanish mid-call with a TCP reset (no stop)")
      ->group(verdict);
  add_share(app, "--no-stop-ratio", o.no_stop_ratio,
            "Share of admitted calls closed with 1000 but without sending stop")
      ->group(verdict);

  const std::string output = "Output";
  app.add_option("--report", o.report_path,
                 "Write the whole run as JSON to FILE (- for stdout: the summary then goes to "
                 "stderr)")
      ->type_name("FILE")
      ->group(output);
  app.add_option("--html", o.html_path,
                 "Write a self-contained HTML report (verdict, checks, plots) to FILE")
      ->type_name("FILE")
      ->group(output);
  app.add_option("--csv", o.csv_path, "Write the run's time series (one row per interval) to FILE")
      ->type_name("FILE")
      ->group(output);
  add_duration(app, "--interval", o.interval,
               "Row width of the time series in the JSON, CSV and HTML reports, a multiple of "
               "250ms (default: 250ms for runs up to 20s, else 1s; widened, with a warning, to "
               "keep at most 1024 rows)")
      ->group(output);
  app.add_option("--junit", o.junit_path,
                 "Write the checks as JUnit XML to FILE, for CI test reports")
      ->type_name("FILE")
      ->group(output);
  app.add_option("--csv-calls", o.csv_calls_path, "Write one CSV row per call to FILE")
      ->type_name("FILE")
      ->group(output);
  app.add_option("--record", o.record_dir,
                 "Record the first admitted calls as stereo WAVs in DIR (caller left, bot right, "
                 "as heard), made if missing")
      ->type_name("DIR")
      ->group(output);
  app.add_option("--record-calls", o.record_calls, "How many calls --record keeps")
      ->type_name("N")
      ->capture_default_str()
      ->group(output);
  add_choice<Options::Color>(app, "--color", o.color,
                             {{"auto", Options::Color::kAuto},
                              {"never", Options::Color::kNever},
                              {"always", Options::Color::kAlways}},
                             "Colour the verdicts: auto (on a terminal, unless NO_COLOR is set), "
                             "never, always")
      ->type_name("WHEN")
      ->default_str("auto")
      ->group(output);
  app.add_flag("--quiet,-q", o.quiet, "Print only the verdict line (reports are still written)")
      ->group(output);
  app.add_flag("--verbose,-v", o.verbose,
               "Print every section of the summary, also those with nothing to say")
      ->group(output);
  add_choice<Options::Progress>(app, "--progress", o.progress,
                                {{"auto", Options::Progress::kAuto},
                                 {"tty", Options::Progress::kTty},
                                 {"plain", Options::Progress::kPlain},
                                 {"off", Options::Progress::kOff}},
                                "Live status: auto, tty (one updating line), plain, off")
      ->type_name("MODE")
      ->default_str("auto")
      ->group(output);
  add_duration(app, "--progress-interval", o.progress_interval, "Time between plain progress lines")
      ->group(output);
}

// "--concurent: unknown option; did you mean --concurrent?" for the first unexpected word that
// looks like a flag, else CLI11's message.
std::string unknown_argument_message(const CLI::App& app, const CLI::App& audio,
                                     const CLI::ExtrasError& e) {
  const CLI::App& where = audio.parsed() ? audio : app;
  std::vector<std::string> flags;
  for (const CLI::Option* opt : where.get_options()) {
    for (const auto& name : opt->get_lnames()) flags.push_back("--" + name);
  }
  const std::string text = e.what();
  const auto colon = text.find(": ");
  const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 2);
  size_t at = 0;
  while (at < rest.size()) {
    size_t end = rest.find(' ', at);
    if (end == std::string::npos) end = rest.size();
    std::string word = rest.substr(at, end - at);
    at = end + 1;
    if (word.rfind("--", 0) != 0) continue;
    word = word.substr(0, word.find('='));
    const std::string nearest = nearest_word(word, flags);
    return nearest.empty() ? fmt::format("{}: unknown option (callsim --help lists them)", word)
                           : fmt::format("{}: unknown option; did you mean {}?", word, nearest);
  }
  return text;
}

}  // namespace

std::string version_string() {
  return fmt::format("callsim {}", CALLSIM_VERSION);
}

ParsedCommand parse_command_line(int argc, char** argv) {
  CLI::App app{
      "callsim plays Twilio's side of many concurrent Media Streams calls against a voice-bot "
      "server and checks its concurrent-call cap.\n\n"
      "Example:\n"
      "  callsim --url ws://127.0.0.1:5050/ws/twilio-media --concurrent 60 --hold 20s\n",
      "callsim"};
  app.set_version_flag("--version", version_string());
  app.footer(
      "\nExit codes: 0 pass, 1 a check failed, 2 usage or configuration error (also: --report or "
      "stdout could not be written), 3 target or Redis unreachable before the run, 4 run invalid "
      "(the generator fell behind), 5 incomplete (nothing failed but a check could not be judged, "
      "or no call was decided), 130 interrupted (SIGINT, SIGTERM or SIGHUP).");
  app.get_formatter()->column_width(34);
  app.require_subcommand(0, 1);

  auto options = std::make_shared<Options>();
  options->command_line.assign(argv, argv + argc);
  add_settings_sources(app, *options);  // first: its callback fills in unset flags before theirs
  add_run_options(app, *options);
  // `callsim run ...` is the explicit spelling of the default action; its flags are the top's.
  app.add_subcommand("run", "Place calls and judge the server (the default)")->fallthrough();
  auto audio_args = std::make_shared<AudioCommandArgs>();
  CLI::App* audio = add_audio_subcommand(app, *audio_args);
  auto capacity_args = std::make_shared<CapacityArgs>();
  CLI::App* capacity = add_capacity_subcommand(app, *capacity_args);

  ParsedCommand parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    // `callsim run --help` is the run's options (the top level's), `callsim audio --help` only
    // the audio command's.
    const std::string help =
        audio->parsed() ? audio->help()
        : capacity->parsed()
            ? capacity->help()
            : app.get_formatter()->make_help(&app, "callsim", CLI::AppFormatMode::Normal);
    std::fputs(help.c_str(), stdout);
    parsed.exit_code = kExitPass;
    return parsed;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    parsed.exit_code = kExitPass;
    return parsed;
  } catch (const CLI::CallForVersion&) {
    std::puts(version_string().c_str());
    parsed.exit_code = kExitPass;
    return parsed;
  } catch (const CLI::ExtrasError& e) {
    std::fprintf(stderr, "callsim: %s\n", unknown_argument_message(app, *audio, e).c_str());
    parsed.exit_code = kExitUsage;
    return parsed;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "callsim: %s\n", e.what());
    parsed.exit_code = kExitUsage;
    return parsed;
  }

  if (audio->parsed()) {
    parsed.action = [audio_args] { return audio_command(*audio_args); };
  } else if (capacity->parsed()) {
    parsed.action = [options, capacity_args] { return capacity_command(*options, *capacity_args); };
  } else {
    parsed.action = [options] { return run_command(*options); };
  }
  return parsed;
}

}  // namespace callsim
