#include "run/audio_report.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace callsim {

namespace {

double ms(Nanos d) {
  return d.count() / 1e6;
}

void count_field(JsonWriter& w, const char* name, uint64_t value) {
  w.Key(name);
  w.Uint64(value);
}

void ms_field(JsonWriter& w, const char* name, Nanos value) {
  w.Key(name);
  w.Double(ms(value));
}

// p50, p95 and p99 of a histogram, "p50 312.8 ms, p95 400.1 ms, p99 410.0 ms".
std::string percentiles(const LatencyHistogram& h) {
  return fmt::format("p50 {:.1f} ms, p95 {:.1f} ms, p99 {:.1f} ms", ms(h.percentile(50)),
                     ms(h.percentile(95)), ms(h.percentile(99)));
}

double percent(uint64_t part, uint64_t whole) {
  return whole ? 100.0 * part / whole : 0.0;
}

}  // namespace

namespace {

AudioTotals audio_totals_of(const std::vector<CallRecord>& calls, std::optional<int> burst) {
  AudioTotals t;
  for (const CallRecord& c : calls) {
    if (c.start_sent == TimePoint{} || (burst && c.burst != *burst)) continue;
    const CallAudioResult& a = c.audio;
    ++t.conversing_calls;
    t.greeted_calls += a.greeted;
    t.turns += a.turns_total;
    t.replies += a.replies;
    t.no_reply_turns += a.no_reply_turns;
    t.overlapped_turns += a.overlapped_turns;
    t.dead_air_count += a.dead_air_count;
    t.calls_with_dead_air += a.dead_air_count > 0;
    t.dead_air_total += a.dead_air_total;
    t.dead_air_longest = std::max(t.dead_air_longest, a.dead_air_longest);
    t.bot_speech_total += a.bot_speech_total;
    if (c.admitted()) {
      ++t.admitted_streamed_calls;
      t.admitted_greeted_calls += a.greeted;
    }
    t.barge_ins += a.barge_ins;
    t.barge_ins_cleared += a.barge_ins_cleared;
    t.marks_never_echoed += a.marks_never_echoed;
  }
  return t;
}

// One burst's line: what changed between bursts shows here (a server that degrades after its
// first wave, or leaks a slot per burst, answers later and later).
std::string format_burst_line(int burst, const AudioTotals& t, const AudioHistograms& h) {
  std::string out = fmt::format("    burst {}: {} streamed, {} greeted", burst + 1,
                                t.conversing_calls, t.greeted_calls);
  if (t.greeted_calls) {
    out += fmt::format(", time to first audio p95 {:.1f} ms",
                       ms(h.time_to_first_audio.percentile(95)));
  }
  out += fmt::format("; {} of {} turns answered", t.replies, t.turns);
  if (t.replies)
    out += fmt::format(", reply latency p95 {:.1f} ms", ms(h.reply_latency.percentile(95)));
  out += fmt::format("; {} no-reply turns; {} dead-air gaps\n", t.no_reply_turns, t.dead_air_count);
  return out;
}

void write_audio_fields(JsonWriter& w, const AudioTotals& t, const AudioHistograms& h) {
  count_field(w, "streamed_calls", t.conversing_calls);
  count_field(w, "greeted_calls", t.greeted_calls);
  count_field(w, "turns", t.turns);
  count_field(w, "replies", t.replies);
  count_field(w, "no_reply_turns", t.no_reply_turns);
  count_field(w, "overlapped_turns", t.overlapped_turns);
  count_field(w, "dead_air_count", t.dead_air_count);
  count_field(w, "calls_with_dead_air", t.calls_with_dead_air);
  ms_field(w, "dead_air_total_ms", t.dead_air_total);
  ms_field(w, "dead_air_longest_ms", t.dead_air_longest);
  count_field(w, "barge_ins", t.barge_ins);
  count_field(w, "barge_ins_cleared", t.barge_ins_cleared);
  count_field(w, "marks_never_echoed", t.marks_never_echoed);
  w.Key("histograms");
  w.StartObject();
  for (auto [name, histogram] :
       {std::pair{"time_to_first_audio", &h.time_to_first_audio},
        std::pair{"reply_latency", &h.reply_latency}, std::pair{"dead_air", &h.dead_air},
        std::pair{"clear_latency", &h.clear_latency}, std::pair{"talk_over", &h.talk_over},
        std::pair{"mark_round_trip", &h.mark_round_trip}}) {
    w.Key(name);
    write_histogram(w, *histogram);
  }
  w.EndObject();
}

}  // namespace

AudioTotals audio_totals(const std::vector<CallRecord>& calls) {
  return audio_totals_of(calls, std::nullopt);
}

AudioTotals audio_totals(const std::vector<CallRecord>& calls, int burst) {
  return audio_totals_of(calls, burst);
}

std::string format_audio_summary(const RunStats& s) {
  const AudioTotals t = audio_totals(s.calls);
  if (t.conversing_calls == 0) return "";
  const AudioHistograms& h = s.audio;
  std::string out = fmt::format(
      "  what the callers heard (at playout time), over {} streamed calls:\n", t.conversing_calls);
  out += fmt::format("    time to first audio: {} calls greeted", t.greeted_calls);
  if (t.greeted_calls) out += "; " + percentiles(h.time_to_first_audio);
  if (t.greeted_calls < t.conversing_calls) {
    out += fmt::format("; {} never heard the bot", t.conversing_calls - t.greeted_calls);
  }
  out += "\n";
  out += fmt::format("    reply latency: {} of {} turns answered", t.replies, t.turns);
  if (t.replies) out += "; " + percentiles(h.reply_latency);
  out += "\n";
  out += fmt::format("    no-reply turns: {} ({:.1f}%)", t.no_reply_turns,
                     percent(t.no_reply_turns, t.turns));
  if (t.overlapped_turns) {
    out += fmt::format("; {} turns the bot talked over", t.overlapped_turns);
  }
  out += "\n";
  if (t.dead_air_count) {
    out += fmt::format(
        "    dead air inside bot utterances: {} gaps on {} calls, {:.0f} ms in all, longest "
        "{:.0f} ms, p95 {:.0f} ms\n",
        t.dead_air_count, t.calls_with_dead_air, ms(t.dead_air_total), ms(t.dead_air_longest),
        ms(h.dead_air.percentile(95)));
  } else {
    out += "    dead air inside bot utterances: none\n";
  }
  if (t.barge_ins) {
    out +=
        fmt::format("    barge-ins: {}, {} cleared by the bot", t.barge_ins, t.barge_ins_cleared);
    if (h.clear_latency.count()) out += "; clear latency " + percentiles(h.clear_latency);
    if (h.talk_over.count()) out += "; talk-over " + percentiles(h.talk_over);
    out += "\n";
  }
  if (t.marks_never_echoed) {
    out += fmt::format("    marks never played out before hang-up: {}\n", t.marks_never_echoed);
  }
  if (s.audio_by_burst.size() > 1) {
    for (size_t b = 0; b < s.audio_by_burst.size(); ++b) {
      const int burst = static_cast<int>(b);
      out += format_burst_line(burst, audio_totals(s.calls, burst), s.audio_by_burst[b]);
    }
  }
  return out;
}

void write_audio_json(JsonWriter& w, const RunStats& s) {
  w.StartObject();
  write_audio_fields(w, audio_totals(s.calls), s.audio);
  if (s.audio_by_burst.size() > 1) {
    w.Key("by_burst");
    w.StartArray();
    for (size_t b = 0; b < s.audio_by_burst.size(); ++b) {
      w.StartObject();
      w.Key("burst");
      w.Uint64(b + 1);
      write_audio_fields(w, audio_totals(s.calls, static_cast<int>(b)), s.audio_by_burst[b]);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void write_call_audio_json(JsonWriter& w, TimePoint origin, const CallAudioResult& a) {
  w.StartObject();
  w.Key("greeted");
  w.Bool(a.greeted);
  w.Key("time_to_first_audio_ms");
  if (a.greeted) {
    w.Double(ms(a.time_to_first_audio));
  } else {
    w.Null();
  }
  count_field(w, "turns", a.turns_total);
  count_field(w, "replies", a.replies);
  count_field(w, "no_reply_turns", a.no_reply_turns);
  count_field(w, "overlapped_turns", a.overlapped_turns);
  count_field(w, "dead_air_count", a.dead_air_count);
  ms_field(w, "dead_air_total_ms", a.dead_air_total);
  ms_field(w, "dead_air_longest_ms", a.dead_air_longest);
  count_field(w, "barge_ins", a.barge_ins);
  count_field(w, "barge_ins_cleared", a.barge_ins_cleared);
  ms_field(w, "talk_over_total_ms", a.talk_over_total);
  count_field(w, "marks_received", a.marks_received);
  count_field(w, "marks_echoed", a.marks_echoed);
  count_field(w, "marks_never_echoed", a.marks_never_echoed);
  // The first turns (the counts above cover all): when the caller finished, when it heard the
  // bot, and the latency between; null where the bot never answered.
  w.Key("turn_records");
  w.StartArray();
  for (const TurnRecord& turn : a.turns) {
    w.StartObject();
    ms_field(w, "caller_end_ms", turn.caller_end - origin);
    w.Key("bot_start_ms");
    if (turn.bot_start != TimePoint{}) {
      w.Double(ms(turn.bot_start - origin));
    } else {
      w.Null();
    }
    w.Key("latency_ms");
    if (turn.replied) {
      w.Double(ms(turn.latency));
    } else {
      w.Null();
    }
    w.Key("replied");
    w.Bool(turn.replied);
    w.Key("overlapped");
    w.Bool(turn.overlapped);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace callsim
