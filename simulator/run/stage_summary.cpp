#include "stage_summary.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace callsim {

namespace {

// Nearest rank, as the run's histograms define their percentiles.
std::optional<Nanos> p95(std::vector<Nanos>& values) {
  if (values.empty()) return std::nullopt;
  const size_t rank = (values.size() * 95 + 99) / 100;
  auto at = values.begin() + static_cast<std::ptrdiff_t>(std::max<size_t>(rank, 1) - 1);
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

double ms(Nanos d) {
  return static_cast<double>(d.count()) / 1e6;
}

std::string ms_text(const std::optional<Nanos>& d) {
  return d ? fmt::format("{:.1f} ms", ms(*d)) : std::string("-");
}

std::string target_text(double target, bool open_model) {
  return open_model ? fmt::format("{:g}/s", target) : fmt::format("{:g}", target);
}

}  // namespace

std::vector<StageRow> summarize_stages(const StageInput& in) {
  const LoadStages& stages = *in.stages;
  std::vector<StageRow> rows(stages.stages().size());
  std::vector<std::vector<Nanos>> ttfa(rows.size()), replies(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].number = i + 1;
    rows[i].from = stages.stage_start(i);
    rows[i].to = stages.stage_start(i + 1);
    rows[i].target_from = i == 0 ? 0 : stages.stages()[i - 1].target;
    rows[i].target_to = stages.stages()[i].target;
  }
  // Events after the stages' end (the last calls closing) belong to the last stage.
  auto row_at = [&](TimePoint t) -> StageRow* {
    if (t == TimePoint{}) return nullptr;
    return &rows[stages.stage_at(t - in.epoch)];
  };
  std::vector<std::pair<TimePoint, int>> admissions;
  for (const CallRecord& call : *in.calls) {
    if (StageRow* row =
            row_at(call.connect_started != TimePoint{} ? call.connect_started : call.scheduled)) {
      ++row->started;
    }
    if (call.admitted()) {
      if (StageRow* row = row_at(call.admitted_at())) ++row->admitted;
      admissions.emplace_back(call.admitted_at(), +1);
      admissions.emplace_back(call.released_at(), -1);
    }
    if (StageRow* row = row_at(call.ended)) {
      if (call.outcome == Outcome::kRejected) ++row->rejected;
      if (is_failed_outcome(call.outcome)) ++row->failed;
      if (call.outcome == Outcome::kCompleted) ++row->completed;
    }
    const CallAudioResult& audio = call.audio;
    if (audio.greeted) {
      const TimePoint heard = call.start_sent + audio.time_to_first_audio;
      ttfa[stages.stage_at(heard - in.epoch)].push_back(audio.time_to_first_audio);
    }
    for (const TurnRecord& turn : audio.turns) {
      if (turn.overlapped) continue;
      if (turn.replied) {
        const size_t stage = stages.stage_at(turn.bot_start - in.epoch);
        replies[stage].push_back(turn.latency);
        ++rows[stage].turns_replied;
      } else {
        ++rows[stages.stage_at(turn.caller_end + in.reply_timeout - in.epoch)].no_reply_turns;
      }
    }
  }
  // Releases sort before admissions at the same instant, as the cap checks count them.
  std::sort(admissions.begin(), admissions.end());
  // A stage starts with the calls carried into it live, even if none is admitted or ends in it.
  int64_t live = 0;
  size_t reached = 0;
  for (const auto& [at, change] : admissions) {
    const size_t stage = stages.stage_at(at - in.epoch);
    for (; reached < stage; ++reached) {
      rows[reached + 1].admitted_live_peak = std::max(rows[reached + 1].admitted_live_peak, live);
    }
    live += change;
    rows[stage].admitted_live_peak = std::max(rows[stage].admitted_live_peak, live);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].ttfa_p95 = p95(ttfa[i]);
    rows[i].reply_latency_p95 = p95(replies[i]);
    if (in.lateness) {
      const Nanos offset = in.epoch - in.run_started;
      const Nanos width = in.lateness->width();
      // The lateness slots are fixed-width: those starting within the stage count for it.
      auto slot_floor = [width](Nanos t) { return t.count() <= 0 ? Nanos(0) : t / width * width; };
      const Nanos to = i + 1 == rows.size() ? in.lateness->recorded_until() : rows[i].to + offset;
      rows[i].lateness = in.lateness->summarize(slot_floor(rows[i].from + offset), slot_floor(to));
    }
  }
  return rows;
}

std::string format_stages_text(const std::vector<StageRow>& rows, bool open_model) {
  std::string out = fmt::format("  stages ({}):\n", open_model ? "open model, arrivals per second"
                                                               : "closed model, calls live");
  for (const StageRow& row : rows) {
    out += fmt::format(
        "    {}. {:.1f}-{:.1f}s {}->{}: started {}, admitted {} (peak {} live), rejected {}, "
        "failed "
        "{}, completed {}; ttfa p95 {}, reply p95 {} ({} replied, {} unanswered); lateness p99 "
        "{:.2f} ms\n",
        row.number, ms(row.from) / 1000, ms(row.to) / 1000,
        target_text(row.target_from, open_model), target_text(row.target_to, open_model),
        row.started, row.admitted, row.admitted_live_peak, row.rejected, row.failed, row.completed,
        ms_text(row.ttfa_p95), ms_text(row.reply_latency_p95), row.turns_replied,
        row.no_reply_turns, ms(row.lateness.p99));
  }
  return out;
}

void write_stages_json(JsonWriter& w, const std::vector<StageRow>& rows, bool open_model) {
  auto optional_ms = [&w](const std::optional<Nanos>& d) {
    if (d) {
      w.Double(ms(*d));
    } else {
      w.Null();
    }
  };
  w.StartObject();
  w.Key("model");
  w.String(open_model ? "open" : "closed");
  w.Key("target_unit");
  w.String(open_model ? "arrivals_per_second" : "calls_live");
  w.Key("stages");
  w.StartArray();
  for (const StageRow& row : rows) {
    w.StartObject();
    w.Key("number");
    w.Uint64(row.number);
    w.Key("from_ms");
    w.Double(ms(row.from));
    w.Key("to_ms");
    w.Double(ms(row.to));
    w.Key("target_from");
    w.Double(row.target_from);
    w.Key("target_to");
    w.Double(row.target_to);
    for (const auto& [key, value] : {std::pair<const char*, int64_t>{"started", row.started},
                                     {"admitted", row.admitted},
                                     {"rejected", row.rejected},
                                     {"failed", row.failed},
                                     {"completed", row.completed},
                                     {"admitted_live_peak", row.admitted_live_peak},
                                     {"turns_replied", row.turns_replied},
                                     {"no_reply_turns", row.no_reply_turns}}) {
      w.Key(key);
      w.Int64(value);
    }
    w.Key("ttfa_p95_ms");
    optional_ms(row.ttfa_p95);
    w.Key("reply_latency_p95_ms");
    optional_ms(row.reply_latency_p95);
    w.Key("frames_sent");
    w.Uint64(row.lateness.frames);
    w.Key("lateness_p99_ms");
    if (row.lateness.frames > 0) {
      w.Double(ms(row.lateness.p99));
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace callsim
