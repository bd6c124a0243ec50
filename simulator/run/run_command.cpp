#include "run_command.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "core/exit_codes.h"
#include "core/process_usage.h"
#include "core/redis_url.h"
#include "gauge/gauge_watcher.h"
#include "gauge/settle.h"
#include "net/preflight.h"
#include "run/burst_runner.h"
#include "run/call_recorder.h"
#include "run/call_setup.h"
#include "run/calls_csv.h"
#include "run/html_report.h"
#include "run/interrupt.h"
#include "run/junit_report.h"
#include "run/run_report.h"
#include "run/settings_sources.h"
#include "run/stage_summary.h"
#include "run/terminal.h"
#include "run/threshold_checks.h"
#include "verify/run_verdict.h"
#include "verify/time_series.h"
#include "verify/time_series_csv.h"
#include "verify/time_series_json.h"
#include "verify/verifier.h"
#include "verify/verify_options.h"
#include "verify/verify_report.h"

namespace callsim {

namespace {

constexpr std::chrono::milliseconds kReachTimeout{3000};

void measure_usage(RunSummary& summary) {
  const ProcessUsage usage = process_usage();
  summary.cpu_seconds = usage.cpu_seconds;
  summary.max_rss_kb = usage.max_rss_kb;
}

// The command line with the Redis password (in --redis) shown as ***: the rerun line goes to
// logs and reports.
std::vector<std::string> mask_redis_password(std::vector<std::string> argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string& word = argv[i];
    const bool joined = word.rfind("--redis=", 0) == 0;
    if (!joined && (word != "--redis" || i + 1 == argv.size())) continue;
    std::string& url = joined ? word : argv[++i];
    const std::string value = joined ? url.substr(8) : url;
    std::string password;
    try {
      password = parse_redis_url(value).password;
    } catch (const InputError&) {
      continue;
    }
    if (password.empty()) continue;
    for (size_t at = url.find(password); at != std::string::npos; at = url.find(password, at + 3)) {
      url.replace(at, password.size(), "***");
    }
  }
  // A --header "Authorization: Bearer ..." must not reach the summary or the report either.
  for (size_t i = 1; i < argv.size(); ++i) argv[i] = mask_secrets(argv[i]);
  return argv;
}

}  // namespace

int run_command(const Options& options) {
  validate(options);
  // Before any call: a report that cannot be written must not be found only after the run.
  std::optional<ReportFile> report;
  if (!options.report_path.empty()) report.emplace(options.report_path);
  std::optional<ReportFile> html, csv;
  if (!options.html_path.empty()) html.emplace(options.html_path, "--html");
  if (!options.csv_path.empty()) csv.emplace(options.csv_path, "--csv");
  std::optional<ReportFile> junit;
  if (!options.junit_path.empty()) junit.emplace(options.junit_path, "--junit");
  std::optional<ReportFile> calls_csv;
  if (!options.csv_calls_path.empty()) calls_csv.emplace(options.csv_calls_path, "--csv-calls");
  // A machine-readable file on stdout takes it over: the summary a person reads goes to stderr.
  const bool stdout_taken = options.report_path == "-" || options.junit_path == "-" ||
                            options.csv_calls_path == "-" || options.html_path == "-" ||
                            options.csv_path == "-";
  std::FILE* human = stdout_taken ? stderr : stdout;
  // With a webhook, the webhook is what must be reachable, and its scheme decides ws or wss.
  TargetAddress target = options.webhook_url.empty()
                             ? parse_target_url(options.url)
                             : parse_http_url(options.webhook_url, "--webhook");
  CallSettings settings = make_call_settings(options);
  settings.secure = target.secure;
  settings.tls_host = target.host;
  if (target.secure && options.insecure) {
    std::fprintf(stderr,
                 "callsim: warning: --insecure: the server's certificate is not verified\n");
  }
  CapOptions cap = cap_options_from(options);
  GaugeWatcher watcher(cap.gauge);

  ensure_capacity_for(options.peak_calls());
  check_reachable(target, kReachTimeout);
  watcher.connect();
  if (watcher.enabled() && options.gauge_trace == "monitor" && !watcher.monitoring()) {
    std::fprintf(stderr, "callsim: warning: MONITOR refused (%s); sampling the gauge instead\n",
                 watcher.monitor_refusal().c_str());
  }
  std::optional<int64_t> baseline;
  if (watcher.enabled()) baseline = watcher.read_now();

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(std::min<int64_t>(threads, options.peak_calls()));
  const LoadPlan plan =
      options.stages.empty()
          ? LoadPlan(options.concurrent, options.total_calls(), options.ramp, options.rate, threads)
          : LoadPlan(std::make_shared<const LoadStages>(LoadStages::parse(options.stages)),
                     options.concurrent, threads);

  // After the preflight: a run that cannot start leaves no directory behind.
  std::shared_ptr<CallRecorder> recorder;
  if (!options.record_dir.empty()) {
    recorder = std::make_shared<CallRecorder>(options.record_dir, options.record_calls);
    settings.recorder = recorder;
  }
  install_interrupt_handler();
  const auto started_wall = std::chrono::system_clock::now();
  SteadyClock clock;
  // --quiet: the verdict line and nothing else, progress included.
  ProgressPrinter progress(
      options.quiet || options.silent ? Options::Progress::kOff : options.progress,
      options.progress_interval);
  TimePoint run_started = clock.now();
  settings.run_started = run_started;
  TimePoint deadline =
      options.duration.count() > 0 ? run_started + options.duration : TimePoint::max();
  auto gauge_now = [&watcher]() -> std::optional<int64_t> {
    if (auto sample = watcher.latest()) return sample->value;
    return std::nullopt;
  };

  watcher.start();
  RunStats all;
  bool interrupted = false, timed_out = false;
  TimePoint finished = run_started;
  std::vector<SettleResult> settles;
  TimePoint stages_epoch = run_started;
  for (int burst = 0; burst < options.bursts; ++burst) {
    settings.burst = burst;
    settings.first_call_index = burst * plan.total_calls();
    BurstOutcome outcome =
        run_burst(settings, plan, clock, progress, deadline, run_started, gauge_now);
    if (burst == 0) stages_epoch = outcome.started;
    finished = outcome.finished;
    all.audio_by_burst.push_back(outcome.stats.audio);
    all.merge(std::move(outcome.stats));
    interrupted = outcome.interrupted;
    timed_out = outcome.timed_out;
    if (interrupted) break;
    if (baseline) {
      settles.push_back(wait_for_settle(watcher, *baseline, outcome.finished, options.settle,
                                        interrupt_requested));
      // Ctrl-C during the settle wait ends the run as it does during calls.
      if (settles.back().given_up) {
        interrupted = true;
        break;
      }
    }
    if (timed_out) break;
  }
  GaugeTrace trace = watcher.stop();
  progress.finish();
  // Every worker has ended its calls, so every recording is queued: the files are complete
  // before the report names them.
  std::optional<RecordingSummary> recordings;
  if (recorder) recordings = recorder->finish();

  RunSummary summary;
  summary.options = &options;
  summary.fixture = settings.audio->name();
  summary.hold = settings.hold;
  summary.conversation = settings.conversation != nullptr;
  summary.seed = settings.seed;
  summary.threads = threads;
  summary.started = run_started;
  summary.finished = finished;
  summary.interrupted = interrupted;
  summary.timed_out = timed_out;
  summary.stats = &all;
  summary.recordings = recordings ? &*recordings : nullptr;
  summary.started_wall = started_wall;
  summary.gauge_interval = cap.gauge.interval;
  if (watcher.enabled() && cap.gauge.spec.is_redis()) {
    try {
      summary.redis = parse_redis_url(options.redis_url).display();
    } catch (const InputError&) {
      summary.redis = "(unparseable)";
    }
  }
  summary.rerun_command = rerun_command(
      mask_redis_password(options.command_line.empty() ? std::vector<std::string>{"callsim"}
                                                       : options.command_line),
      settings.seed);
  measure_usage(summary);
  Nanos p99 = all.lateness.percentile(99);
  if (p99 > options.lateness_budget) {
    summary.invalid = true;
    summary.invalid_reason = fmt::format(
        "p99 frame send lateness {:.2f} ms exceeds --lateness-budget {:.2f} ms: the generator, not "
        "the server, fell behind (fewer calls per thread, more --threads, or a quieter machine)",
        p99.count() / 1e6, options.lateness_budget.count() / 1e6);
  }
  VerifyInput input;
  input.calls = &all.calls;
  input.trace = watcher.enabled() ? &trace : nullptr;
  input.baseline = baseline;
  input.options = cap.verify;
  input.origin = run_started;
  Verification verification = verify(input);
  if (const std::vector<Threshold> thresholds = thresholds_of(options); !thresholds.empty()) {
    ThresholdEvidence evidence;
    evidence.stats = &all;
    evidence.conversing = settings.conversation != nullptr;
    evidence.origin = run_started;
    evidence.end = finished;
    for (CheckResult& r : judge_thresholds(thresholds, evidence)) {
      verification.total.push_back(std::move(r));
    }
    conclude(verification, &all.calls);
  }
  RunVerdictInput verdict_input;
  verdict_input.invalid = summary.invalid;
  verdict_input.invalid_reason = summary.invalid_reason;
  verdict_input.interrupted = interrupted;
  verdict_input.verification = &verification;
  verdict_input.uniform_failure = diagnose_uniform_failure(all.calls);
  const RunDecision decision = decide_run_verdict(verdict_input);
  verification.verdict = to_string(decision.verdict);
  verification.verdict_line = decision.line();

  std::vector<StageRow> stage_rows;
  if (const LoadStages* stages = plan.stages()) {
    StageInput stage_input;
    stage_input.stages = stages;
    stage_input.calls = &all.calls;
    stage_input.lateness = &all.lateness_over_time;
    stage_input.epoch = stages_epoch;
    stage_input.run_started = run_started;
    stage_input.end = time_series_end(all.calls, nullptr, finished);
    stage_input.reply_timeout = options.reply_timeout;
    stage_rows = summarize_stages(stage_input);
  }
  std::string text = format_run_summary(summary);
  if (plan.stages()) text += format_stages_text(stage_rows, plan.stages()->open_model());
  // The timeline says something only when the gauge moved; --verbose shows it anyway.
  if (watcher.enabled() && (options.verbose || gauge_moved(trace))) {
    text += render_gauge_timeline_text(all.calls, &trace, run_started);
  }
  const std::string table = render_verification_text(verification);
  // What a person reads folds the rows --gauge none skipped into one line; JUnit keeps them.
  std::string shown = text + (options.verbose ? table : fold_load_only_skips(table));
  text += table;
  if (options.quiet) shown = verification.verdict_line + "\n";
  if (use_color(options.color, ::fileno(human))) shown = colorize_verdicts(shown);
  if (!options.silent) std::fputs(shown.c_str(), human);
  // One output that cannot be written must not cost the others: each is tried, and the first
  // failure is reported once all were.
  std::optional<InputError> output_error;
  auto attempt = [&output_error](const std::function<void()>& write) {
    try {
      write();
    } catch (const InputError& e) {
      if (!output_error) output_error = e;
    }
  };
  // The time series is in the JSON report too, so it is built for any of the three.
  std::optional<GaugeTimeline> gauge;
  if (watcher.enabled() && (report || html || csv)) gauge = GaugeTimeline::from_trace(trace);
  TimeSeriesInput series_input;
  series_input.calls = &all.calls;
  series_input.gauge = gauge ? &*gauge : nullptr;
  series_input.lateness = &all.lateness_over_time;
  series_input.cap = options.cap;
  series_input.origin = run_started;
  series_input.end = time_series_end(all.calls, series_input.gauge, finished);
  series_input.interval = options.interval;
  series_input.reply_timeout = options.reply_timeout;
  std::optional<TimeSeries> series;
  if (report || html || csv) {
    series = build_time_series(series_input);
    // validate() refused what --duration showed would not fit; what the run's tail (closing
    // calls, the settle wait) or an unbounded run needed is widened, and said.
    if (options.interval.count() > 0 && series->interval != options.interval && !options.silent) {
      std::fprintf(stderr,
                   "callsim: warning: --interval %s widened to %s: the time series spans %.1f s "
                   "(at most %zu rows)\n",
                   format_duration(options.interval).c_str(),
                   format_duration(series->interval).c_str(),
                   ms_since(run_started, series_input.end) / 1000.0, kMaxTimeSeriesRows);
    }
  }
  if (report) {
    attempt([&] {
      write_json_report(*report, summary, [&](JsonWriter& w) {
        w.Key("verdict");
        w.String(verification.verdict.c_str());
        w.Key("exit_code");
        w.Int(decision.exit_code);
        w.Key("verification");
        write_verification_json(w, verification);
        w.Key("admitted_live");
        write_admitted_live_json(w, all.calls, run_started);
        w.Key("gauge");
        write_gauge_trace_json(w, trace, run_started);
        w.Key("stages");
        if (plan.stages()) {
          write_stages_json(w, stage_rows, plan.stages()->open_model());
        } else {
          w.Null();
        }
        w.Key("time_series");
        write_time_series_json(w, *series);
      });
    });
  }
  if (csv) {
    attempt([&] {
      const std::string rows = format_time_series_csv(*series);
      std::fwrite(rows.data(), 1, rows.size(), csv->stream());
      csv->commit();
    });
  }
  if (html) {
    attempt([&] {
      HtmlReportInput page;
      page.run = &summary;
      page.verification = &verification;
      page.series = &*series;
      page.gauge = series_input.gauge;
      page.exit_code = decision.exit_code;
      write_html_report(*html, page);
    });
  }
  if (junit) {
    attempt([&] {
      JunitInput junit_input;
      junit_input.verification = &verification;
      junit_input.exit_code = decision.exit_code;
      junit_input.duration_seconds = ms_since(run_started, finished) / 1000.0;
      junit_input.timestamp = iso8601_utc(started_wall);
      junit_input.system_out = text;
      const std::string xml = render_junit_xml(junit_input);
      std::fwrite(xml.data(), 1, xml.size(), junit->stream());
      junit->commit();
    });
  }
  if (calls_csv) {
    attempt([&] {
      const std::string csv = render_calls_csv(all.calls, run_started);
      std::fwrite(csv.data(), 1, csv.size(), calls_csv->stream());
      calls_csv->commit();
    });
  }
  if (output_error) throw *output_error;
  // decide_run_verdict ranks INVALID > INTERRUPTED > FAIL > INCOMPLETE > PASS; the report's
  // last line and the JSON say the same word.
  return decision.exit_code;
}

}  // namespace callsim
