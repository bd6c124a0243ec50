// callsim-bot: parse the flags, run the bot until SIGINT/SIGTERM, pick the exit code.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <mutex>

#include <fmt/format.h>

#include "bot/bot.h"
#include "bot/command_line.h"
#include "core/errors.h"
#include "core/exit_codes.h"

namespace {

// Written under a temporary name and renamed, so a reader never sees a partial number.
void write_port_file(const std::string& path, uint16_t port) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) {
      throw callsim::InputError(fmt::format("--port-file: cannot write {}", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw callsim::InputError(fmt::format("--port-file: cannot write {}", path));
  }
}

// Every call is a socket: allow as many as the hard limit does.
void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace callsim;
  bot::BotCommand command = bot::parse_bot_command_line(argc, argv);
  if (!command.config) return command.exit_code;

  // Every thread the bot starts inherits this mask; only sigwait below sees the signals.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A caller that vanishes mid-write must not kill the process.
  signal(SIGPIPE, SIG_IGN);
  raise_file_limit();

  static std::mutex log_mutex;
  auto log = [](std::string_view line) {
    std::lock_guard<std::mutex> lock(log_mutex);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  if (!command.quiet) command.config->log = log;

  try {
    bot::Bot server(*command.config);
    const auto& config = server.config();
    log(fmt::format("listening on {}:{}", config.listen_host, server.port()));
    log(fmt::format("admission {} at {}, cap {}, redis {}", to_string(config.strategy),
                    to_string(config.admit_at), config.cap, config.redis.display()));
    if (bot::serves_tls(config)) log(fmt::format("TLS with certificate {}", config.tls_cert_file));
    if (!config.auth_token.empty()) log("X-Twilio-Signature required on webhooks and upgrades");
    if (!command.port_file.empty()) write_port_file(command.port_file, server.port());
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    log(fmt::format("stopping ({})", signal_number == SIGINT ? "SIGINT" : "SIGTERM"));
    server.stop();
    return kExitPass;
  } catch (const InputError& e) {
    std::fprintf(stderr, "callsim-bot: %s\n", e.what());
    return kExitUsage;
  } catch (const UnreachableError& e) {
    std::fprintf(stderr, "callsim-bot: %s\n", e.what());
    return kExitUnreachable;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "callsim-bot: internal error: %s\n", e.what());
    return 1;
  }
}
