// ns per operation of what every call does per 20 ms frame: build the `media` envelope around a
// pre-encoded payload, parse a server `media` message of the same size, record a lateness.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/call_conversation.h"
#include "core/histogram.h"
#include "core/sids.h"
#include "core/twilio_messages.h"
#include "media/base64.h"

namespace callsim {
namespace {

std::string payload_of_one_frame() {
  return media::base64_encode(std::string(160, '\xff'));
}

void BM_BuildMedia(benchmark::State& state) {
  const std::string sid = SidGenerator(1).for_call(0).stream_sid;
  const std::string payload = payload_of_one_frame();
  std::string out;
  uint64_t frame = 0;
  for (auto _ : state) {
    build_media(out, sid, frame + 2, frame + 1, 155 + 20 * frame, payload);
    benchmark::DoNotOptimize(out.data());
    ++frame;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_BuildMedia);

// Parsing is in-situ, so each iteration parses a fresh copy; the copy (a ~300-byte memcpy into
// a string whose capacity is already there) is part of what a call does with a received frame.
void BM_ParseServerMedia(benchmark::State& state) {
  const std::string sid = SidGenerator(1).for_call(0).stream_sid;
  const std::string message = R"({"event":"media","streamSid":")" + sid +
                              R"(","media":{"payload":")" + payload_of_one_frame() + R"("}})";
  std::string text;
  text.reserve(message.size());
  for (auto _ : state) {
    text.assign(message);
    const ParseResult result = parse_server_message(text, sid);
    benchmark::DoNotOptimize(result.message.payload_bytes);
    if (!result.ok) state.SkipWithError("message did not parse");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * message.size()));
}
BENCHMARK(BM_ParseServerMedia);

void BM_HistogramRecord(benchmark::State& state) {
  LatencyHistogram histogram;
  int64_t lateness = 1;
  for (auto _ : state) {
    histogram.record(Nanos(lateness));
    lateness = lateness * 7 % 100'000'007;  // spread over many buckets
  }
  benchmark::DoNotOptimize(histogram.count());
}
BENCHMARK(BM_HistogramRecord);

// What a talking call adds per received 20 ms frame: its voicing judged, queued on the playout
// timeline, the caller's next frame chosen and the metrics fed (base64 decoding is not included).
// The bot talks 2.4 s in every 3 s, half of it voiced (tone), half silence.
void BM_ConversationBotFrame(benchmark::State& state) {
  std::vector<uint8_t> voiced(160), silent(160, 0xff);
  for (size_t i = 0; i < voiced.size(); ++i) voiced[i] = static_cast<uint8_t>(i % 2 ? 0x20 : 0xa0);
  std::vector<Utterance> utterances{Utterance{0, 0, 50, 0, 49}};
  CallConversation::Config config;
  config.caller.utterances = &utterances;
  config.caller.turns = 1u << 30;
  AudioHistograms histograms;
  CallConversation conversation(config, CallRng(1, 0), &histograms);
  TimePoint now{std::chrono::seconds(1)};
  conversation.on_start_sent(now);
  uint64_t tick = 0;
  for (auto _ : state) {
    if (tick % 150 < 120) {
      conversation.on_bot_media(now, (tick / 10) % 2 ? voiced.data() : silent.data(), 160);
    }
    benchmark::DoNotOptimize(conversation.next_frame(now));
    now += std::chrono::milliseconds(20);
    ++tick;
  }
  benchmark::DoNotOptimize(conversation.result().turns_total);
}
BENCHMARK(BM_ConversationBotFrame);

}  // namespace
}  // namespace callsim

BENCHMARK_MAIN();
