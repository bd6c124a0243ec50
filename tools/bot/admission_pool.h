#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/admission.h"
#include "bot/bot_config.h"
#include "bot/counters.h"
#include "net/redis_connection.h"

namespace callsim::bot {

// The threads that talk to Redis: --admission-threads of them, each with its own connection,
// taking admissions and releases from one queue. Several admissions therefore run their
// check-then-act sequences at the same time, which is what lets the racy strategies race on
// a 2-core machine. Network threads never wait on Redis, except for an upgrade-time admission.
class AdmissionPool {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void(Verdict)>;

  // Connects every thread's connection now: throws UnreachableError when Redis is not there.
  AdmissionPool(const BotConfig& config, Counters& counters);
  ~AdmissionPool();
  AdmissionPool(const AdmissionPool&) = delete;
  AdmissionPool& operator=(const AdmissionPool&) = delete;

  // Runs the admission on a pool thread and calls `done` there with the verdict.
  void admit(std::string member, Done done);
  // Gives a slot back once `delay` has passed (0: as soon as a thread is free).
  void release(std::string member, Nanos delay = Nanos(0));

  // From now on delayed releases are due at once (shutting down must not lose them).
  void flush_delays();
  // True when nothing is queued or running.
  bool idle();
  // Runs whatever is still queued, then joins the threads. Idempotent.
  void stop();

 private:
  enum class Kind { kAdmit, kRelease, kGaugeCopy };
  struct Job {
    Clock::time_point due;
    uint64_t order;  // FIFO among jobs due at the same moment
    Kind kind;
    std::string member;
    Done done;
    int delta = 0;  // kGaugeCopy: +1 INCR, -1 DECR
  };
  struct Later {
    bool operator()(const Job& a, const Job& b) const {
      return a.due != b.due ? a.due > b.due : a.order > b.order;
    }
  };

  void push(Job job);
  void run_worker(RedisContext ctx);
  void run_job(Job& job, RedisContext& ctx);
  // --fault gauge-lag: the gauge key hears of a change of the live counter that much later.
  void copy_to_gauge_later(int delta);

  const BotConfig& config_;
  Counters& counters_;
  RedisAdmission admission_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Job> heap_;  // min-heap on (due, order)
  uint64_t next_order_ = 0;
  int running_ = 0;
  bool flushing_ = false;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace callsim::bot
