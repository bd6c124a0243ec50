#include "load_stages.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "duration.h"
#include "errors.h"

namespace callsim {

namespace {

constexpr int kMostCalls = 1'000'000;  // --concurrent's own bound
constexpr double kMostRate = 100'000;  // arrivals per second
constexpr size_t kMostStages = 1000;

std::string trim(std::string_view text) {
  size_t from = text.find_first_not_of(" \t");
  if (from == std::string_view::npos) return {};
  size_t to = text.find_last_not_of(" \t");
  return std::string(text.substr(from, to - from + 1));
}

double seconds(Nanos d) {
  return static_cast<double>(d.count()) / 1e9;
}

// Rounded up: a step is never taken before the target has reached it.
Nanos at_fraction(Nanos start, Nanos duration, double fraction) {
  return start +
         Nanos(static_cast<int64_t>(std::ceil(fraction * static_cast<double>(duration.count()))));
}

LoadStage parse_stage(const std::string& text, size_t number, bool& open, bool& kind_known) {
  const std::string where = fmt::format("--stages: stage {} '{}'", number, text);
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    throw InputError(where + " is not DURATION:TARGET (e.g. 30s:50, or 30s:5/s for arrivals)");
  }
  LoadStage stage;
  try {
    stage.duration = parse_duration(trim(std::string_view(text).substr(0, colon)));
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: {}", where, e.what()));
  }
  if (stage.duration.count() < 0) throw InputError(where + ": the duration is negative");
  std::string target = trim(std::string_view(text).substr(colon + 1));
  const bool rate = target.size() > 2 && target.compare(target.size() - 2, 2, "/s") == 0;
  if (rate) target = trim(std::string_view(target).substr(0, target.size() - 2));
  if (kind_known && rate != open) {
    throw InputError(where +
                     ": every target must be calls (30s:50) or every one arrivals per "
                     "second (30s:5/s), not a mix");
  }
  open = rate;
  kind_known = true;
  size_t used = 0;
  try {
    stage.target = std::stod(target, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (target.empty() || used != target.size() || !std::isfinite(stage.target) || stage.target < 0) {
    throw InputError(where + ": the target is not a number of " +
                     (rate ? "arrivals per second" : "calls") + " at least 0");
  }
  if (!rate && stage.target != std::floor(stage.target)) {
    throw InputError(where + ": a closed-model target is a whole number of calls");
  }
  if (!rate && stage.target > kMostCalls) {
    throw InputError(fmt::format("{}: more than {} calls", where, kMostCalls));
  }
  if (rate && stage.target > kMostRate) {
    throw InputError(fmt::format("{}: more than {} arrivals per second", where, kMostRate));
  }
  return stage;
}

}  // namespace

LoadStages LoadStages::parse(const std::string& text) {
  LoadStages out;
  bool kind_known = false;
  size_t from = 0;
  for (size_t number = 1;; ++number) {
    const size_t comma = text.find(',', from);
    const std::string part = trim(std::string_view(text).substr(
        from, comma == std::string::npos ? std::string::npos : comma - from));
    if (part.empty()) throw InputError(fmt::format("--stages: stage {} is empty", number));
    out.stages_.push_back(parse_stage(part, number, out.open_, kind_known));
    if (out.stages_.size() > kMostStages) {
      throw InputError(fmt::format("--stages: more than {} stages", kMostStages));
    }
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  for (const LoadStage& stage : out.stages_) {
    out.starts_.push_back(out.length_);
    out.length_ += stage.duration;
  }
  if (out.length_.count() <= 0) throw InputError("--stages: the stages last no time at all");
  double peak = 0;
  for (const LoadStage& stage : out.stages_) peak = std::max(peak, stage.target);
  if (peak <= 0) {
    throw InputError(std::string("--stages: every target is 0, so no call would be ") +
                     (out.open_ ? "placed" : "live"));
  }
  // An open model's first arrival comes at its first moment of a positive rate, as --rate's
  // call 0 comes at 0: a target above 0 always places a call.
  if (out.open_) {
    out.build_arrivals();
  } else {
    out.build_steps();
  }
  return out;
}

Nanos LoadStages::stage_start(size_t stage) const {
  return stage < starts_.size() ? starts_[stage] : length_;
}

size_t LoadStages::stage_at(Nanos since_start) const {
  size_t stage = 0;
  while (stage + 1 < stages_.size() && since_start >= starts_[stage + 1]) ++stage;
  return stage;
}

double LoadStages::target_at(Nanos since_start) const {
  if (since_start >= length_) return stages_.back().target;
  if (since_start.count() < 0) return 0;
  const size_t stage = stage_at(since_start);
  const double before = stage == 0 ? 0 : stages_[stage - 1].target;
  const LoadStage& s = stages_[stage];
  if (s.duration.count() == 0) return s.target;
  const double fraction = seconds(since_start - starts_[stage]) / seconds(s.duration);
  return before + (s.target - before) * fraction;
}

void LoadStages::build_steps() {
  int calls = 0;
  for (size_t i = 0; i < stages_.size(); ++i) {
    const LoadStage& s = stages_[i];
    const int from = calls, to = static_cast<int>(s.target);
    const int direction = to > from ? 1 : -1;
    for (int next = from + direction; from != to; next += direction) {
      // The target reaches `next` this far into the stage.
      const double fraction = static_cast<double>(next - from) / static_cast<double>(to - from);
      steps_.push_back(Step{at_fraction(starts_[i], s.duration, fraction), next});
      if (next == to) break;
    }
    calls = to;
    peak_calls_ = std::max(peak_calls_, to);
  }
  if (calls != 0) steps_.push_back(Step{length_, 0});
}

int LoadStages::calls_wanted(Nanos since_start) const {
  auto after = std::upper_bound(steps_.begin(), steps_.end(), since_start,
                                [](Nanos t, const Step& step) { return t < step.at; });
  return after == steps_.begin() ? 0 : std::prev(after)->calls;
}

std::optional<Nanos> LoadStages::next_step_after(Nanos since_start) const {
  auto after = std::upper_bound(steps_.begin(), steps_.end(), since_start,
                                [](Nanos t, const Step& step) { return t < step.at; });
  if (after == steps_.end()) return std::nullopt;
  return after->at;
}

void LoadStages::build_arrivals() {
  double total = 0, rate = 0;
  for (const LoadStage& s : stages_) {
    cumulative_.push_back(total);
    total += (rate + s.target) / 2 * seconds(s.duration);
    rate = s.target;
  }
  cumulative_.push_back(total);
  // As LoadPlan::arrivals_within: every g whose arrival falls before the end, with slack so that
  // an exact product does not gain one at the boundary.
  arrivals_ = static_cast<int64_t>(std::ceil(total - 1e-9));
}

Nanos LoadStages::arrival_offset(int64_t arrival) const {
  const double due = static_cast<double>(arrival);
  size_t stage = 0;
  while (stage + 1 < stages_.size() && cumulative_[stage + 1] <= due) ++stage;
  const double before_rate = stage == 0 ? 0 : stages_[stage - 1].target;
  const LoadStage& s = stages_[stage];
  const double left = due - arrivals_before(stage);
  if (left <= 0) return starts_[stage];
  // Arrivals within the stage grow as a·τ + k·τ²/2 (rate a, slope k): τ is the quadratic's root,
  // in the form that stays exact when k is 0 or negative.
  const double a = before_rate;
  const double k = s.duration.count() == 0 ? 0 : (s.target - a) / seconds(s.duration);
  const double root = std::sqrt(std::max(0.0, a * a + 2 * k * left));
  const double tau = a + root > 0 ? 2 * left / (a + root) : seconds(s.duration);
  return starts_[stage] +
         std::min(s.duration, Nanos(static_cast<int64_t>(std::llround(tau * 1e9))));
}

}  // namespace callsim
