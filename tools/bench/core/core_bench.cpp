// ns per operation of what every call does per 20 ms frame: build the `media` envelope around a
// pre-encoded payload, parse a server `media` message of the same size, record a lateness.

#include <benchmark/benchmark.h>

#include <string>

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

}  // namespace
}  // namespace callsim

BENCHMARK_MAIN();
