#include "gauge_watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

namespace {

// How long stop() waits for the MONITOR stream to catch up with the final checkpoint.
constexpr auto kFinalCheckpointWait = std::chrono::seconds(2);
// How often a lost sampling connection is retried.
constexpr auto kReconnectEvery = std::chrono::milliseconds(100);
// No sample succeeding for this long (or 20 intervals, whichever is larger) is a lost gauge: a
// frozen or dead Redis, not one slow read.
constexpr auto kStallAtLeast = std::chrono::seconds(1);
constexpr int kStallIntervals = 20;

std::string random_nonce_prefix() {
  std::random_device rd;
  uint64_t token = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("callsim-gauge-{:016x}:", token);
}

timespec to_timespec(Nanos d) {
  if (d.count() < 0) d = Nanos(0);
  return timespec{static_cast<time_t>(d.count() / 1'000'000'000),
                  static_cast<long>(d.count() % 1'000'000'000)};
}

}  // namespace

GaugeWatcher::GaugeWatcher(GaugeOptions options) : options_(std::move(options)) {
  validate(options_);
  trace_.source = options_.spec.display();
  trace_.kind = options_.spec.kind;
  trace_.requested = options_.trace;
  trace_.interval = options_.interval;
}

GaugeWatcher::~GaugeWatcher() {
  if (started_ && !stopped_) stop();
}

void GaugeWatcher::connect() {
  if (!enabled() || redis_ || http_) return;
  // Readers are kept only once verified, so a failed connect() can be retried in full.
  if (options_.spec.kind == GaugeKind::kHttpJson) {
    auto http = std::make_unique<HttpGaugeReader>(options_.spec, options_.connect_timeout);
    http->verify();
    http_ = std::move(http);
    return;
  }
  auto redis = std::make_unique<RedisGaugeReader>(
      options_.spec, parse_redis_url(options_.redis_url), options_.connect_timeout);
  redis->verify();
  redis_ = std::move(redis);
  if (options_.trace == TraceMode::kMonitor) setup_monitor();
}

void GaugeWatcher::setup_monitor() {
  const RedisUrl& url = redis_->url();
  try {
    monitor_ = connect_redis(
        url, std::chrono::duration_cast<std::chrono::milliseconds>(options_.connect_timeout));
    RedisReply reply = redis_command(monitor_.get(), {"MONITOR"});
    if (reply->type == REDIS_REPLY_ERROR) {
      monitor_refusal_ = fmt::format("Redis {} refused MONITOR ({}); sampling instead",
                                     url.display(), std::string(reply->str, reply->len));
      monitor_.reset();
      return;
    }
  } catch (const UnreachableError& e) {
    monitor_refusal_ = fmt::format("no MONITOR connection ({}); sampling instead", e.what());
    monitor_.reset();
    return;
  }
  // Checkpoints need MULTI/EXEC; an ACL may allow MONITOR but not transactions.
  std::string prefix = random_nonce_prefix();
  RedisGaugeReader::Checkpoint probe = redis_->checkpoint(prefix + "0", true);
  if (!probe.error.empty()) {
    monitor_refusal_ = fmt::format(
        "Redis {} refused the MULTI/EXEC checkpoints a MONITOR trace needs ({}); sampling instead",
        url.display(), probe.error);
    monitor_.reset();
    return;
  }
  tracer_ = std::make_unique<MonitorTracer>(options_.spec, url.db, prefix);
}

int64_t GaugeWatcher::read_now() {
  if (!enabled()) throw UnreachableError("--gauge none: there is no gauge to read");
  connect();
  std::lock_guard<std::mutex> lock(reader_mutex_);
  GaugeReading reading = http_ ? http_->read() : redis_->read();
  if (!reading.value) {
    throw UnreachableError(
        fmt::format("cannot read the gauge {}: {}", options_.spec.display(), reading.error));
  }
  return *reading.value;
}

void GaugeWatcher::start() {
  if (!enabled() || started_) return;
  connect();
  if (pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw UnreachableError(fmt::format("gauge watcher: pipe2 failed: {}", std::strerror(errno)));
  }
  started_ = true;
  last_success_ = std::chrono::steady_clock::now();
  thread_ = std::thread(&GaugeWatcher::run, this);
}

std::optional<GaugeSample> GaugeWatcher::latest() const {
  std::lock_guard<std::mutex> lock(latest_mutex_);
  return latest_;
}

GaugeTrace GaugeWatcher::stop() {
  if (stopped_) return GaugeTrace{};
  stopped_ = true;
  if (started_) {
    stop_requested_ = true;
    char byte = 1;
    ssize_t ignored = write(wake_pipe_[1], &byte, 1);
    (void)ignored;  // the pipe only wakes the thread; a full pipe already does
    thread_.join();
    close(wake_pipe_[0]);
    close(wake_pipe_[1]);
  }
  GaugeTrace out = std::move(trace_);
  if (tracer_) {
    tracer_->finish(out);
  } else if (enabled()) {
    out.not_exact_reason = !monitor_refusal_.empty() ? monitor_refusal_
                           : http_                   ? "HTTP gauges are sampled"
                           : options_.trace == TraceMode::kSample
                               ? "sampling only (--gauge-trace sample)"
                               : "sampling only";
  }
  return out;
}

void GaugeWatcher::run() {
  try {
    run_sampling();
  } catch (const std::exception& e) {
    // An exception leaving a thread would terminate the process, calls live and no report.
    // Sampling ends here instead; the checks see a trace that stops early, and why.
    record_sample_error(fmt::format("the gauge thread stopped: {}", e.what()));
    if (tracer_) tracer_->mark_inexact(fmt::format("the gauge thread stopped: {}", e.what()));
  }
}

void GaugeWatcher::run_sampling() {
  TimePoint next = std::chrono::steady_clock::now();
  while (!stop_requested_) {
    if (std::chrono::steady_clock::now() >= next) {
      sample_once();
      check_sampling_stall(std::chrono::steady_clock::now());
      next = std::max(next + options_.interval, std::chrono::steady_clock::now());
    }
    wait_until(next);
  }
  if (!tracer_) return;
  // A final checkpoint, and the stream read up to it, so the trace covers the whole run.
  sample_once();
  const uint64_t last_checkpoint = last_checkpoint_added_;
  TimePoint deadline = std::chrono::steady_clock::now() + kFinalCheckpointWait;
  while (monitor_ && tracer_->last_checkpoint_seen() < last_checkpoint &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd fd{monitor_->fd, POLLIN, 0};
    timespec slice = to_timespec(std::chrono::milliseconds(50));
    if (ppoll(&fd, 1, &slice, nullptr) > 0) read_monitor();
  }
}

void GaugeWatcher::wait_until(TimePoint deadline) {
  while (!stop_requested_) {
    TimePoint now = std::chrono::steady_clock::now();
    if (now >= deadline) return;
    timespec timeout = to_timespec(deadline - now);
    pollfd fds[2] = {{wake_pipe_[0], POLLIN, 0}, {monitor_ ? monitor_->fd : -1, POLLIN, 0}};
    int n = ppoll(fds, monitor_ ? 2 : 1, &timeout, nullptr);
    if (n < 0 && errno != EINTR) return;
    if (n > 0 && fds[0].revents) return;
    if (n > 0 && monitor_ && fds[1].revents) read_monitor();
  }
}

void GaugeWatcher::read_monitor() {
  auto lost = [&](const std::string& why) {
    tracer_->mark_inexact(fmt::format("MONITOR connection lost: {}", why));
    monitor_.reset();
    GaugeLoss loss;
    loss.what = "MONITOR trace";
    loss.at = std::chrono::steady_clock::now();
    loss.how = why.empty() ? "connection closed" : why;
    trace_.losses.push_back(loss);
  };
  if (redisBufferRead(monitor_.get()) != REDIS_OK) return lost(monitor_->errstr);
  for (;;) {
    void* raw = nullptr;
    if (redisGetReplyFromReader(monitor_.get(), &raw) != REDIS_OK) return lost(monitor_->errstr);
    if (!raw) return;
    RedisReply reply(static_cast<redisReply*>(raw));
    if (reply->type == REDIS_REPLY_STATUS || reply->type == REDIS_REPLY_STRING) {
      tracer_->on_line(std::string_view(reply->str, reply->len));
    } else if (reply->type == REDIS_REPLY_ERROR) {
      return lost(std::string(reply->str, reply->len));
    }
  }
}

void GaugeWatcher::record_sample_error(const std::string& error) {
  if (trace_.sample_errors++ == 0) trace_.first_sample_error = error;
  if (error_since_success_.empty()) error_since_success_ = error;
}

void GaugeWatcher::note_sample_success(TimePoint at) {
  last_success_ = at;
  error_since_success_.clear();
  if (sampling_lost_) {
    trace_.losses[sampling_loss_index_].back_at = at;
    sampling_lost_ = false;
  }
}

void GaugeWatcher::check_sampling_stall(TimePoint now) {
  if (sampling_lost_) return;
  const Nanos stall = std::max<Nanos>(kStallAtLeast, options_.interval * kStallIntervals);
  if (now - last_success_ < stall) return;
  GaugeLoss loss;
  loss.what = "sampling";
  loss.at = last_success_;
  loss.how = error_since_success_.empty()
                 ? fmt::format("no sample succeeded for {:.1f}s",
                               std::chrono::duration<double>(now - last_success_).count())
                 : error_since_success_;
  sampling_loss_index_ = trace_.losses.size();
  trace_.losses.push_back(loss);
  sampling_lost_ = true;
}

void GaugeWatcher::sample_once() {
  std::lock_guard<std::mutex> lock(reader_mutex_);
  GaugeSample sample;
  GaugeReading reading;
  TimePoint sent{}, received{};
  try {
    if (http_) {
      sent = std::chrono::steady_clock::now();
      reading = http_->read();
      received = std::chrono::steady_clock::now();
    } else {
      if (!redis_->connected()) {
        TimePoint now = std::chrono::steady_clock::now();
        if (now < next_reconnect_) return;
        next_reconnect_ = now + kReconnectEvery;
        redis_->connect();
      }
      if (tracer_) {
        uint64_t seq = next_seq_++;
        bool full = tracer_->wants_full_state() || options_.spec.kind == GaugeKind::kRedisGet;
        auto cp = redis_->checkpoint(tracer_->nonce_prefix() + std::to_string(seq), full);
        if (!cp.error.empty()) return record_sample_error(cp.error);
        sent = cp.sent;
        received = cp.received;
        reading.value = cp.snapshot.count;
        reading.error = cp.snapshot.error;
        tracer_->add_checkpoint(seq, cp.sent, cp.received, std::move(cp.snapshot));
        last_checkpoint_added_ = seq;
      } else {
        sent = std::chrono::steady_clock::now();
        reading = redis_->read();
        received = std::chrono::steady_clock::now();
      }
    }
  } catch (const std::exception& e) {
    // This thread must never end the process: whatever the reader throws (a lost connection,
    // bad_alloc on a huge answer) is a failed sample, counted like any other.
    return record_sample_error(e.what());
  }
  if (!reading.value) return record_sample_error(reading.error);
  sample.at = sent + (received - sent) / 2;
  sample.round_trip = received - sent;
  sample.value = *reading.value;
  trace_.samples.push_back(sample);
  note_sample_success(sample.at);
  std::lock_guard<std::mutex> latest_lock(latest_mutex_);
  latest_ = sample;
}

}  // namespace callsim
