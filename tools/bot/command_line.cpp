#include "bot/command_line.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bot/bot.h"
#include "core/errors.h"
#include "core/exit_codes.h"

namespace callsim::bot {

namespace {

// "127.0.0.1:5050", "[::1]:0".
void parse_listen(const std::string& text, BotConfig& config) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw CLI::ValidationError("--listen", fmt::format("'{}' is not HOST:PORT", text));
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string port_text = text.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    throw CLI::ValidationError("--listen", fmt::format("'{}' is not a port number", port_text));
  }
  config.listen_host = host;
  config.listen_port = static_cast<uint16_t>(std::stoi(port_text));
}

// One of a fixed set of names; the error lists them (CLI11's own transformer message shows the
// enum's numbers instead).
template <typename T>
CLI::Option* add_choice(CLI::App& app, const std::string& name, T& target,
                        const std::vector<std::pair<std::string, T>>& choices,
                        const std::string& description, const std::string& default_name) {
  std::string names;
  for (const auto& [choice, value] : choices) names += (names.empty() ? "" : "|") + choice;
  return app
      .add_option_function<std::string>(
          name,
          [name, names, choices, &target](const std::string& text) {
            for (const auto& [choice, value] : choices) {
              if (text == choice) {
                target = value;
                return;
              }
            }
            throw CLI::ValidationError(name, fmt::format("'{}' is not one of {}", text, names));
          },
          description)
      ->type_name(names)
      ->default_str(default_name);
}

CLI::Option* add_duration(CLI::App& app, const std::string& name, Nanos& target,
                          const std::string& description) {
  return app
      .add_option_function<std::string>(
          name,
          [name, &target](const std::string& text) {
            try {
              target = parse_duration(text);
            } catch (const InputError& e) {
              throw CLI::ValidationError(name, e.what());
            }
          },
          description)
      ->type_name("DURATION")
      ->default_str(format_duration(target));
}

// A value parsed by `parse`, which throws InputError with a message naming the flag.
template <typename T, typename Parse>
CLI::Option* add_parsed(CLI::App& app, const std::string& name, T& target, Parse parse,
                        const std::string& description) {
  return app.add_option_function<std::string>(
      name,
      [&target, parse](const std::string& text) {
        try {
          target = parse(text);
        } catch (const InputError& e) {
          throw CLI::ValidationError(e.what());
        }
      },
      description);
}

// The token itself never appears on the command line, where `ps` would show it.
std::string auth_token_from(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    throw InputError(fmt::format("--auth-token-env {}: the environment variable is {}", variable,
                                 value == nullptr ? "not set" : "empty"));
  }
  return value;
}

}  // namespace

BotCommand parse_bot_command_line(int argc, const char* const* argv) {
  CLI::App app{
      "callsim-bot: a reference Twilio Media Streams server with a concurrent-call cap in "
      "Redis, switchable admission strategies and injectable faults.\n\n"
      "Example:\n"
      "  callsim-bot --listen 127.0.0.1:5050 --redis redis://127.0.0.1:6379/0 --cap 50\n",
      "callsim-bot"};
  app.get_formatter()->column_width(36);

  BotCommand command;
  BotConfig config;
  std::string redis_url;
  std::string listen = "127.0.0.1:5050";
  long long race_window_us = 0;
  SpeechSettings& speech_settings = config.speech;
  bool no_greeting = false;
  std::vector<std::string> faults;
  std::string auth_token_env;

  const std::string server = "Server";
  app.add_option("--listen", listen, "Address for WebSocket and HTTP; port 0 picks a free one")
      ->type_name("HOST:PORT")
      ->capture_default_str()
      ->group(server);
  app.add_option("--port-file", command.port_file, "Write the port number here once listening")
      ->type_name("FILE")
      ->group(server);
  app.add_option("--io-threads", config.io_threads, "Network threads sharing the port")
      ->capture_default_str()
      ->check(CLI::Range(1, 64).description(""))
      ->group(server);
  app.add_flag("--quiet", command.quiet, "No per-call log lines")->group(server);

  const std::string security = "TLS and signatures";
  app.add_option("--tls-cert", config.tls_cert_file,
                 "PEM certificate chain: serve https:// and wss:// (TLS 1.2+) on the port; "
                 "needs --tls-key")
      ->type_name("FILE")
      ->group(security);
  app.add_option("--tls-key", config.tls_key_file, "PEM private key of --tls-cert")
      ->type_name("FILE")
      ->group(security);
  app.add_option("--auth-token-env", auth_token_env,
                 "Environment variable holding the Twilio auth token: webhooks and upgrades "
                 "without a valid X-Twilio-Signature get 403")
      ->type_name("NAME")
      ->group(security);

  const std::string admission = "Admission";
  app.add_option("--redis", redis_url,
                 "Redis holding the gauge: redis://[:password@]host:port/db "
                 "or unix:///path.sock")
      ->type_name("URL")
      ->required()
      ->group(admission);
  app.add_option("--cap", config.cap, "Concurrent-call cap")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000).description(""))
      ->group(admission);
  add_choice(
      app, "--admit-at", config.admit_at,
      {{"webhook", AdmitAt::kWebhook}, {"upgrade", AdmitAt::kUpgrade}, {"start", AdmitAt::kStart}},
      "Where the cap is enforced: webhook (TwiML rejection), upgrade (HTTP 503), "
      "start (close 1013 after `start`)",
      "start")
      ->group(admission);
  add_choice(app, "--admission", config.strategy,
             {{"lua", Strategy::kLua},
              {"set-lua", Strategy::kSetLua},
              {"watch", Strategy::kWatch},
              {"get-incr", Strategy::kGetIncr},
              {"scard-sadd", Strategy::kScardSadd}},
             "Admission code: lua and set-lua are correct; watch, get-incr and scard-sadd "
             "reproduce real bugs",
             "lua")
      ->group(admission);
  app.add_option("--watch-retries", config.watch_retries,
                 "watch: attempts after the first before rejecting (no backoff)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000).description(""))
      ->group(admission);
  app.add_option("--admission-threads", config.admission_threads,
                 "Threads running admissions, each with its own Redis connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 256).description(""))
      ->group(admission);
  app.add_option("--race-window-us", race_window_us,
                 "Delay between check and act in the racy strategies (and clamp-reset)")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 10'000'000LL).description(""))
      ->group(admission);
  add_duration(app, "--slot-ttl", config.slot_ttl,
               "TTL of calls:active:<CallSid> in the set strategies")
      ->group(admission);
  add_choice(app, "--reject-with", config.reject_with,
             {{"close", RejectWith::kClose}, {"busy-prompt", RejectWith::kBusyPrompt}},
             "How --admit-at start refuses a call over the cap: close (1013 at once) or "
             "busy-prompt (0.8 s of audio, a `busy` mark, close 1013 once it is echoed)",
             "close")
      ->group(admission);
  add_choice(app, "--reject-twiml", config.reject_twiml,
             {{"say", RejectTwiml::kSay}, {"reject", RejectTwiml::kReject}},
             "TwiML of a webhook rejection: <Say>…</Say><Hangup/> or <Reject reason=\"busy\"/>",
             "say")
      ->group(admission);
  app.add_option("--fault", faults,
                 "Misbehave (repeatable): leak-on-abrupt-close, double-release, clamp-reset, "
                 "release-on-completed, release-delay=DURATION, idle-release=DURATION, "
                 "early-release=DURATION, gauge-lag=DURATION, no-start-timeout=DURATION "
                 "(default 3s)")
      ->type_name("FAULT")
      ->allow_extra_args(false)
      ->group(admission);

  const std::string speech = "Speech";
  app.add_flag("--silent", config.silent, "Never send audio, marks or clear (a pure sink)")
      ->group(speech);
  app.add_option("--greeting", config.greeting_path, "Audio spoken after `start`")
      ->type_name("FILE")
      ->default_str("fixtures/audio/bot-greeting.opus")
      ->group(speech);
  app.add_option("--answer", config.answer_path, "Audio spoken after each caller utterance")
      ->type_name("FILE")
      ->default_str("fixtures/audio/bot-answer.opus")
      ->group(speech);
  app.add_flag("--no-greeting", no_greeting, "Do not greet: wait for the caller to speak first")
      ->group(speech);
  auto* think =
      add_parsed(app, "--think", speech_settings.think, parse_think,
                 "Pause from the end of the caller's turn to the answer: a duration, or "
                 "MEAN±SPREAD (also MEAN+-SPREAD) drawn uniformly per answer, the same in every "
                 "run for the same streamSid")
          ->type_name("DURATION[±DURATION]")
          ->default_str(speech_settings.think.to_string())
          ->group(speech);
  app.add_option_function<int>(
         "--think-ms",
         [&speech_settings](int ms) {
           speech_settings.think = ThinkTime{std::chrono::milliseconds(ms), Nanos(0)};
         },
         "The same as --think Nms")
      ->check(CLI::Range(0, 600'000).description(""))
      ->excludes(think)
      ->group(speech);
  add_duration(app, "--think-per-call", speech_settings.think_per_call,
               "Load: each answer's pause grows by this for every call served beyond "
               "--think-knee when it is scheduled")
      ->group(speech);
  app.add_option("--think-knee", speech_settings.think_knee,
                 "Calls served before --think-per-call starts adding")
      ->capture_default_str()
      ->check(CLI::Range(0, kMaxThinkKnee).description(""))
      ->group(speech);
  auto* speed =
      add_parsed(app, "--tts-speed", speech_settings.tts_speed, parse_tts_speed,
                 "How much faster than real time utterances are streamed: 1 = a 20 ms frame per "
                 "20 ms, 4 = four times faster, 0.8 = slower than real time (dead air)")
          ->type_name("X")
          ->default_str("1")
          ->group(speech);
  app.add_flag("--tts-burst", speech_settings.tts_burst,
               "Send each utterance at once, as many TTS bots do")
      ->excludes(speed)
      ->group(speech);
  app.add_option_function<std::string>(
         "--stall",
         [&speech_settings](const std::string& text) {
           try {
             parse_stall(text, speech_settings);
           } catch (const InputError& e) {
             throw CLI::ValidationError(e.what());
           }
         },
         "While speaking, after every EVERY of audio sent, send nothing for FOR (dead air)")
      ->type_name("EVERY:FOR")
      ->group(speech);
  add_parsed(app, "--clear-delay", speech_settings.clear_delay, parse_clear_delay,
             "From the caller's barge-in to the bot stopping and sending clear; never: talk on "
             "and never clear")
      ->type_name("DURATION|never")
      ->default_str(format_clear_delay(speech_settings.clear_delay))
      ->group(speech);
  add_duration(app, "--heartbeat", speech_settings.heartbeat_interval,
               "Interval of heartbeat_<n> marks")
      ->group(speech);

  // Every flag is also read from CALLSIM_BOT_<FLAG> (a flag given beats it), as callsim's are
  // from CALLSIM_<FLAG>: the Redis URL and its password need not be on argv, where ps shows them.
  for (CLI::Option* option : app.get_options()) {
    if (option->get_lnames().empty() || option->get_lnames()[0] == "help") continue;
    std::string variable = "CALLSIM_BOT_";
    for (const char c : option->get_lnames()[0]) {
      variable += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    option->envname(variable);
  }

  try {
    app.parse(argc, argv);
    parse_listen(listen, config);
    try {
      config.redis = parse_redis_url(redis_url);
      for (const auto& fault : faults) apply_fault(config, fault);
      config.race_window = std::chrono::microseconds(race_window_us);
      speech_settings.greet = !no_greeting;
      if (!auth_token_env.empty()) config.auth_token = auth_token_from(auth_token_env);
      validate(config);
    } catch (const InputError& e) {
      throw CLI::ValidationError(e.what());
    }
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    command.exit_code = kExitPass;
    return command;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "callsim-bot: %s\n", e.what());
    command.exit_code = kExitUsage;
    return command;
  }
  command.config = std::move(config);
  return command;
}

}  // namespace callsim::bot
