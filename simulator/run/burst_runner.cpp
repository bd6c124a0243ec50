#include "burst_runner.h"

#include <atomic>
#include <memory>
#include <thread>

#include "run/interrupt.h"
#include "run/worker.h"

namespace callsim {

namespace {
// Workers are created before the epoch so that every one starts placing calls at the same time.
constexpr Nanos kStartDelay = std::chrono::milliseconds(20);
constexpr Nanos kPollPeriod = std::chrono::milliseconds(50);
}  // namespace

BurstOutcome run_burst(const CallSettings& settings, const LoadPlan& plan, const Clock& clock,
                       ProgressPrinter& progress, TimePoint deadline, TimePoint run_started,
                       const std::function<std::optional<int64_t>()>& gauge_now) {
  BurstOutcome outcome;
  outcome.started = clock.now() + kStartDelay;
  std::vector<std::unique_ptr<Worker>> workers;
  for (int w = 0; w < plan.workers(); ++w) {
    workers.push_back(make_worker(w, settings, plan, outcome.started, clock));
  }
  std::atomic<int> running{plan.workers()};
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&running, w = worker.get()] {
      w->run();
      running.fetch_sub(1);
    });
  }

  bool stop_sent = false;
  while (running.load() > 0) {
    std::this_thread::sleep_for(kPollPeriod);
    TimePoint now = clock.now();
    if (!stop_sent && (interrupt_requested() || now >= deadline)) {
      outcome.interrupted = interrupt_requested();
      outcome.timed_out = !outcome.interrupted;
      for (auto& worker : workers) worker->request_stop(Outcome::kInterrupted);
      stop_sent = true;
    }
    WorkerProgress totals;
    for (auto& worker : workers) {
      WorkerProgress p = worker->progress();
      totals.live += p.live;
      totals.admitted += p.admitted;
      totals.ended += p.ended;
      totals.rejected += p.rejected;
      totals.failed += p.failed;
      totals.frames_sent += p.frames_sent;
      totals.lateness_p99 = std::max(totals.lateness_p99, p.lateness_p99);
    }
    progress.update(totals, now - run_started, gauge_now ? gauge_now() : std::nullopt);
  }
  for (auto& thread : threads) thread.join();
  outcome.finished = clock.now();
  for (auto& worker : workers) outcome.stats.merge(std::move(worker->stats()));
  return outcome;
}

}  // namespace callsim
