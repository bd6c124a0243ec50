#include "stage_summary.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace callsim {

namespace {

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
  const size_t count = stages.stages().size();
  std::vector<TimeSeriesRow> rows(count);
  for (size_t i = 0; i < count; ++i) {
    rows[i].from = stages.stage_start(i);
    rows[i].to = stages.stage_start(i + 1);
  }
  // The last stage takes in what happens after the stages' end, then says its own end again.
  rows.back().to = std::max(rows.back().to, in.end - in.epoch + Nanos(1));
  count_calls_by_row(*in.calls, in.epoch, in.reply_timeout, rows);
  rows.back().to = stages.length();

  std::vector<StageRow> out(count);
  for (size_t i = 0; i < count; ++i) {
    StageRow& row = out[i];
    row.number = i + 1;
    row.target_from = i == 0 ? 0 : stages.stages()[i - 1].target;
    row.target_to = stages.stages()[i].target;
    row.counts = rows[i];
    if (in.lateness) {
      const Nanos offset = in.epoch - in.run_started;
      const Nanos width = in.lateness->width();
      // The lateness slots are fixed-width: those starting within the stage count for it.
      auto slot_floor = [width](Nanos t) { return t.count() <= 0 ? Nanos(0) : t / width * width; };
      const Nanos to = i + 1 == count ? in.lateness->recorded_until() : rows[i].to + offset;
      const LatenessSeries::Summary lateness =
          in.lateness->summarize(slot_floor(rows[i].from + offset), slot_floor(to));
      row.counts.frames_sent = lateness.frames;
      if (lateness.frames > 0) row.counts.lateness_p99 = lateness.p99;
    }
  }
  return out;
}

std::string format_stages_text(const std::vector<StageRow>& rows, bool open_model) {
  std::string out = fmt::format("  stages ({}):\n", open_model ? "open model, arrivals per second"
                                                               : "closed model, calls live");
  for (const StageRow& stage : rows) {
    const TimeSeriesRow& row = stage.counts;
    out += fmt::format(
        "    {}. {:.1f}-{:.1f}s {}->{}: started {}, admitted {} (peak {} live), rejected {}, "
        "failed "
        "{}, completed {}; ttfa p95 {}, reply p95 {} ({} replied, {} unanswered); lateness p99 "
        "{:.2f} ms\n",
        stage.number, ms(row.from) / 1000, ms(row.to) / 1000,
        target_text(stage.target_from, open_model), target_text(stage.target_to, open_model),
        row.started, row.admitted, row.admitted_live_max, row.rejected, row.failed, row.completed,
        ms_text(row.ttfa_p95), ms_text(row.reply_latency_p95), row.turns_replied,
        row.no_reply_turns, ms(row.lateness_p99.value_or(Nanos(0))));
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
  for (const StageRow& stage : rows) {
    const TimeSeriesRow& row = stage.counts;
    w.StartObject();
    w.Key("number");
    w.Uint64(stage.number);
    w.Key("from_ms");
    w.Double(ms(row.from));
    w.Key("to_ms");
    w.Double(ms(row.to));
    w.Key("target_from");
    w.Double(stage.target_from);
    w.Key("target_to");
    w.Double(stage.target_to);
    for (const auto& [key, value] :
         {std::pair<const char*, int64_t>{"started", row.started},
          {"admitted", row.admitted},
          {"rejected", row.rejected},
          {"failed", row.failed},
          {"completed", row.completed},
          {"admitted_live_peak", row.admitted_live_max},
          {"turns_replied", static_cast<int64_t>(row.turns_replied)},
          {"no_reply_turns", static_cast<int64_t>(row.no_reply_turns)}}) {
      w.Key(key);
      w.Int64(value);
    }
    w.Key("ttfa_p95_ms");
    optional_ms(row.ttfa_p95);
    w.Key("reply_latency_p95_ms");
    optional_ms(row.reply_latency_p95);
    w.Key("frames_sent");
    w.Uint64(row.frames_sent);
    w.Key("lateness_p99_ms");
    optional_ms(row.lateness_p99);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace callsim
