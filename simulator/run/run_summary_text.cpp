// The human summary printed at the end of a run (format_run_summary, run/run_report.h): what
// the JSON report says, in the lines a person reads first.
#include <fmt/format.h>

#include "run/audio_report.h"
#include "run/call_recorder.h"
#include "run/run_figures.h"
#include "run/run_report.h"

namespace callsim {

namespace {

std::string unauthorized_hint(const std::vector<CallRecord>& calls) {
  int64_t at_upgrade = 0, at_webhook = 0;
  for (const auto& c : calls) {
    if (c.http_status != 401 && c.http_status != 403) continue;
    // A refused upgrade is a rejection; a refused webhook ends the call as a protocol error.
    const bool webhook = c.error.rfind("webhook", 0) == 0;
    ++(webhook ? at_webhook : at_upgrade);
  }
  if (at_upgrade + at_webhook == 0) return "";
  return fmt::format(
      "  hint: {} calls refused with HTTP 401/403 ({} at the upgrade, {} at the webhook): a "
      "server that validates X-Twilio-Signature needs the same auth token (--auth-token-env) "
      "and signs over the URL it sees (scheme, host, port, path)\n",
      at_upgrade + at_webhook, at_upgrade, at_webhook);
}

// A server that stopped reading or never answered our close does not look healthy.
std::string reading_lines(const RunStats& s) {
  const ReadingTotals t = reading_totals(s.calls);
  std::string out;
  if (uint64_t n = s.count(Outcome::kStoppedReading)) {
    out += fmt::format(
        "  server stopped reading on {} calls (or sent faster than callsim could answer): {} "
        "pongs and {} mark echoes not sent, {} audio frames dropped\n",
        n, t.pongs_unsent, t.mark_echoes_unsent, s.frames_congested);
  }
  if (t.close_timed_out_calls) {
    out += fmt::format("  close handshake timed out on {} calls (the server never answered)\n",
                       t.close_timed_out_calls);
  }
  if (t.unread_calls) {
    out += fmt::format(
        "  left unread at hang-up on {} calls: {} bytes ({} in socket send queues, {} queued in "
        "callsim), {} frames not fully written\n",
        t.unread_calls, t.unread_socket_bytes + t.unread_queued_bytes, t.unread_socket_bytes,
        t.unread_queued_bytes, t.unread_frames);
  }
  return out;
}

}  // namespace

std::string format_run_summary(const RunSummary& run) {
  const RunStats& s = *run.stats;
  std::string out;
  out += fmt::format("callsim: {} calls in {:.1f} s{}\n", s.calls.size(),
                     ms_since(run.started, run.finished) / 1000.0,
                     run.interrupted ? " (interrupted)"
                     : run.timed_out ? " (--duration reached)"
                                     : "");
  out += fmt::format("  seed {}{}\n", run.seed,
                     run.options && run.options->seed_given ? "" : " (random)");
  if (const RecordingSummary* r = run.recordings) {
    out += fmt::format("  recorded {} calls to {}{}\n", r->written, r->dir,
                       r->failed ? fmt::format(" ({} could not be written)", r->failed) : "");
  }
  if (!run.rerun_command.empty()) out += fmt::format("  rerun with: {}\n", run.rerun_command);
  out += "  outcomes:";
  for (size_t i = 1; i < s.outcomes.size(); ++i) {
    if (s.outcomes[i])
      out += fmt::format(" {} {}", to_string(static_cast<Outcome>(i)), s.outcomes[i]);
  }
  out += "\n";
  if (s.arrivals_scheduled) {
    out += fmt::format("  arrivals: {} scheduled, {} started, {} dropped", s.arrivals_scheduled,
                       s.arrivals_started, s.arrivals_dropped);
    if (run.options) out += fmt::format(" (--concurrent {} in flight)", run.options->concurrent);
    const uint64_t reached = s.arrivals_started + s.arrivals_dropped;
    if (reached < s.arrivals_scheduled) {
      out += fmt::format(", {} not reached (run stopped)", s.arrivals_scheduled - reached);
    }
    out += "\n";
  }
  out += fmt::format(
      "  frames sent {} (skipped {}, congested {}); send lateness p50 {:.2f} ms, p99 {:.2f} ms, "
      "max "
      "{:.2f} ms\n",
      s.frames_sent, s.frames_skipped, s.frames_congested, s.lateness.percentile(50).count() / 1e6,
      s.lateness.percentile(99).count() / 1e6, s.lateness.max().count() / 1e6);
  out += fmt::format(
      "  handshake p50 {:.1f} ms, p99 {:.1f} ms; first server message p50 {:.1f} ms\n",
      s.handshake.percentile(50).count() / 1e6, s.handshake.percentile(99).count() / 1e6,
      s.first_message.percentile(50).count() / 1e6);
  if (run.conversation) out += format_audio_summary(s);
  const GeneratorMemory memory = generator_memory(run);
  out += fmt::format(
      "  generator: CPU {:.2f} s ({:.2f} us per frame), peak RSS {:.1f} MB{}, {:.0f} upgrades/s\n",
      run.cpu_seconds, s.frames_sent ? run.cpu_seconds * 1e6 / s.frames_sent : 0.0,
      run.max_rss_kb / 1024.0,
      memory.kb_per_call ? fmt::format(" ({:.1f} KB per call at {} live)", *memory.kb_per_call,
                                       memory.peak_live_calls)
                         : std::string(),
      setup_rate(s));
  if (s.webhooks_posted) {
    out += fmt::format(
        "  webhooks {} posted; status callbacks {} posted ({} failed); stream status callbacks "
        "{} posted ({} failed)\n",
        s.webhooks_posted, s.status_callbacks_posted, s.status_callbacks_failed,
        s.stream_callbacks_posted, s.stream_callbacks_failed);
    if (!s.first_callback_failure.empty()) {
      out += fmt::format("  first failed callback: {}\n", s.first_callback_failure);
    }
  }
  if (!s.ws_violations.empty()) {
    std::string kinds;
    for (const auto& [kind, count] : s.ws_violations) {
      kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
    }
    out += fmt::format("  WebSocket violations by the server: {}\n", kinds);
  }
  out += reading_lines(s);
  out += unauthorized_hint(s.calls);
  if (uint64_t bad = s.invalid_total()) {
    out += fmt::format("  invalid server messages: {}", bad);
    for (size_t i = 0; i < s.invalid.size(); ++i) {
      if (s.invalid[i]) {
        out += fmt::format(" {} {}", to_string(static_cast<InvalidMessage>(i)), s.invalid[i]);
      }
    }
    out += "\n";
  }
  if (run.invalid) out += fmt::format("  RUN INVALID: {}\n", run.invalid_reason);
  return out;
}

}  // namespace callsim
