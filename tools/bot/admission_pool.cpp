#include "bot/admission_pool.h"

#include <algorithm>

#include "core/errors.h"

namespace callsim::bot {

namespace {
// A worker that lost its connection tries again this long before giving up on one job.
constexpr std::chrono::milliseconds kReconnectTimeout{500};
}  // namespace

AdmissionPool::AdmissionPool(const BotConfig& config, Counters& counters)
    : config_(config), counters_(counters), admission_(config, counters) {
  std::vector<RedisContext> connections;
  for (int i = 0; i < config.admission_threads; ++i) {
    connections.push_back(connect_redis(config.redis));
  }
  admission_.prepare(connections.front().get());
  for (auto& ctx : connections) {
    threads_.emplace_back([this, c = std::move(ctx)]() mutable { run_worker(std::move(c)); });
  }
}

AdmissionPool::~AdmissionPool() {
  stop();
}

void AdmissionPool::admit(std::string member, Done done) {
  push(Job{Clock::now(), 0, Kind::kAdmit, std::move(member), std::move(done)});
}

void AdmissionPool::release(std::string member, Nanos delay) {
  push(Job{Clock::now() + delay, 0, Kind::kRelease, std::move(member), nullptr});
}

void AdmissionPool::copy_to_gauge_later(int delta) {
  if (config_.faults.gauge_lag.count() <= 0) return;
  push(Job{Clock::now() + config_.faults.gauge_lag, 0, Kind::kGaugeCopy, {}, nullptr, delta});
}

void AdmissionPool::push(Job job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job.order = next_order_++;
    heap_.push_back(std::move(job));
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  wake_.notify_one();
}

void AdmissionPool::flush_delays() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    flushing_ = true;
  }
  wake_.notify_all();
}

bool AdmissionPool::idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  return heap_.empty() && running_ == 0;
}

void AdmissionPool::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    flushing_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void AdmissionPool::run_worker(RedisContext ctx) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (heap_.empty()) {
      if (stopping_) return;
      wake_.wait(lock);
      continue;
    }
    auto due = heap_.front().due;
    if (!flushing_ && due > Clock::now()) {
      wake_.wait_until(lock, due);
      continue;
    }
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Job job = std::move(heap_.back());
    heap_.pop_back();
    ++running_;
    lock.unlock();
    run_job(job, ctx);
    lock.lock();
    --running_;
  }
}

void AdmissionPool::run_job(Job& job, RedisContext& ctx) {
  // A lost connection is re-established once per job; an admission is never retried because
  // its first attempt may have taken the slot already (failing closed can leak, failing open
  // could overflow: the former is the safer bug and it is counted).
  auto reconnect = [&]() -> bool {
    counters_.redis_errors++;
    try {
      ctx = connect_redis(config_.redis, kReconnectTimeout);
      return true;
    } catch (const UnreachableError&) {
      ctx.reset();
      return false;
    }
  };
  if (job.kind == Kind::kAdmit) {
    Verdict verdict = Verdict::kError;
    if (ctx || reconnect()) {
      try {
        verdict = admission_.admit(ctx.get(), job.member);
      } catch (const UnreachableError&) {
        reconnect();
      }
    }
    if (verdict == Verdict::kAdmitted) {
      counters_.admitted++;
      copy_to_gauge_later(+1);
    } else {
      counters_.rejected++;
    }
    job.done(verdict);
    return;
  }
  if (job.kind == Kind::kGaugeCopy) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!ctx && !reconnect()) continue;
      try {
        admission_.copy_to_gauge(ctx.get(), job.delta);
        return;
      } catch (const UnreachableError&) {
        reconnect();
      }
    }
    return;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!ctx && !reconnect()) continue;
    try {
      if (admission_.release(ctx.get(), job.member)) {
        counters_.releases++;
        copy_to_gauge_later(-1);
        return;
      }
      break;
    } catch (const UnreachableError&) {
      reconnect();
    }
  }
  counters_.release_failures++;
}

}  // namespace callsim::bot
