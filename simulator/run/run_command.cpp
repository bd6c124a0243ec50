#include "run_command.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "core/exit_codes.h"
#include "core/twilio_signature.h"
#include "media/frame_source.h"
#include "media/media_error.h"
#include "net/preflight.h"
#include "run/burst_runner.h"
#include "run/interrupt.h"
#include "run/run_report.h"

namespace callsim {

namespace {

constexpr Nanos kMinimumHold = std::chrono::seconds(5);
constexpr std::chrono::milliseconds kReachTimeout{3000};

std::string default_fixture() {
  return std::string(CALLSIM_DEFAULT_FIXTURES_DIR) + "/audio/caller-question.opus";
}

std::shared_ptr<const media::FrameSource> load_fixture(const std::string& path) {
  try {
    return media::FrameSource::from_file(path);
  } catch (const media::MediaError& e) {
    throw InputError(fmt::format("--fixture {}", e.what()));
  }
}

// Twilio strips the query string before connecting (fact sheet §2.1); so do we, but the
// signature still covers the URL exactly as configured.
std::string strip_query(const std::string& url) {
  auto q = url.find('?');
  if (q == std::string::npos) return url;
  std::fprintf(stderr,
               "callsim: warning: --url has a query string; Twilio strips it before connecting, "
               "so callsim connects to %s\n",
               url.substr(0, q).c_str());
  return url.substr(0, q);
}

}  // namespace

int run_command(const Options& options) {
  validate(options);
  TargetAddress target = parse_target_url(options.url);
  if (target.secure) {
    throw InputError(fmt::format("--url {}: wss:// is not supported yet; use ws://", options.url));
  }

  CallSettings settings;
  std::string fixture = options.fixture.empty() ? default_fixture() : options.fixture;
  settings.audio = load_fixture(fixture);
  settings.hold = options.hold.count() > 0
                      ? options.hold
                      : std::max<Nanos>(settings.audio->duration(), kMinimumHold);
  settings.seed = options.seed_given
                      ? options.seed
                      : (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
  settings.connect_url = strip_query(options.url);
  settings.headers = options.headers;
  if (!options.auth_token_env.empty()) {
    const char* token = std::getenv(options.auth_token_env.c_str());
    if (!token || !*token) {
      throw InputError(fmt::format("--auth-token-env {}: that environment variable is not set",
                                   options.auth_token_env));
    }
    settings.headers.emplace_back("x-twilio-signature", twilio_signature(token, options.url));
  }
  settings.handshake_timeout = options.handshake_timeout;
  settings.reject_window = options.reject_window;
  settings.custom_parameters = options.params;

  ensure_capacity_for(options.concurrent);
  check_reachable(target, kReachTimeout);

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::min<int64_t>(threads, options.concurrent));
  LoadPlan plan(options.concurrent, options.total_calls(), options.ramp, options.rate, threads);

  install_interrupt_handler();
  SteadyClock clock;
  ProgressPrinter progress(options.progress, options.progress_interval);
  TimePoint run_started = clock.now();
  TimePoint deadline =
      options.duration.count() > 0 ? run_started + options.duration : TimePoint::max();
  BurstOutcome burst = run_burst(settings, plan, clock, progress, deadline, run_started, {});
  progress.finish();

  RunSummary summary;
  summary.options = &options;
  summary.fixture = fixture;
  summary.hold = settings.hold;
  summary.seed = settings.seed;
  summary.threads = threads;
  summary.started = run_started;
  summary.finished = burst.finished;
  summary.interrupted = burst.interrupted;
  summary.timed_out = burst.timed_out;
  summary.stats = &burst.stats;
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  summary.cpu_seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                        (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  summary.max_rss_kb = usage.ru_maxrss;
  Nanos p99 = burst.stats.lateness.percentile(99);
  if (p99 > options.lateness_budget) {
    summary.invalid = true;
    summary.invalid_reason = fmt::format(
        "p99 frame send lateness {:.2f} ms exceeds --lateness-budget {:.2f} ms: the generator, not "
        "the server, fell behind (fewer calls per thread, more --threads, or a quieter machine)",
        p99.count() / 1e6, options.lateness_budget.count() / 1e6);
  }
  std::fputs(format_run_summary(summary).c_str(), stdout);
  if (!options.report_path.empty()) write_json_report(options.report_path, summary, {});
  if (summary.invalid) return kExitInvalidRun;
  if (burst.interrupted) return kExitInterrupted;
  return kExitPass;
}

}  // namespace callsim
