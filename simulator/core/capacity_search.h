#pragma once

#include <optional>
#include <string>
#include <vector>

namespace callsim {

// One load step of `callsim capacity`: a whole run at `concurrent` calls, and how it ended.
struct CapacityStep {
  enum class Result {
    kMet,             // every threshold and cap check passed
    kBreached,        // a threshold failed
    kRejected,        // the server turned calls away: its cap was reached
    kFailed,          // a cap check failed, or a check could not be judged (INCOMPLETE)
    kGeneratorLimit,  // the run was INVALID: callsim itself fell behind
    kInterrupted,     // Ctrl-C, SIGTERM
  };
  int concurrent = 0;
  Result result = Result::kMet;
  std::string reason;  // one line: what broke and by how much; "" when met
};
const char* to_string(CapacityStep::Result result);  // "met", "breached", ...

// Which concurrency to run next, and what the steps add up to. Steps up from `from` by `step`
// to `max`, and stops at the first step that is not met. With `refine`, a breach or failure is
// bisected between the last met step and it, to one call. A step stopped by the server's cap,
// the generator or an interruption is not bisected: below it there is nothing more to learn,
// and above it nothing callsim could trust. Pure: the caller runs the steps.
class CapacitySearch {
 public:
  struct Config {
    int from = 10;
    int step = 10;
    int max = 500;
    bool refine = false;
    // The server's cap (--cap): a step that is turned away above it is followed by one at the
    // cap itself, so a cap-limited answer is the cap and not the step below it. 0: unknown.
    int cap = 0;
  };
  explicit CapacitySearch(Config config);

  std::optional<int> next() const;  // nullopt: done
  void record(const CapacityStep& step);

  const std::vector<CapacityStep>& steps() const { return steps_; }  // in the order run
  // The highest concurrency met with every step below it met too; nullopt when the first was not.
  std::optional<int> capacity() const { return good_; }
  // The lowest step not met (what stopped the search); nullptr when every step up to max was met.
  const CapacityStep* first_unmet() const;

 private:
  Config config_;
  std::vector<CapacityStep> steps_;
  std::optional<int> good_;
  std::optional<size_t> bad_;  // index into steps_
  std::optional<int> next_;
};

}  // namespace callsim
