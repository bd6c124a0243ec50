// Decode and frame-building throughput of media/. Not a test: it prints numbers.
//   bench_media [--benchmark_filter=REGEX]
// "audio_s/s" is seconds of audio processed per second of CPU time (x real time).
#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

#include "media/audio_file.h"
#include "media/frame_source.h"
#include "media/mulaw.h"
#include "media/resampler.h"
#include "media/speech_detector.h"

namespace {

using namespace callsim::media;

std::string fixture(const std::string& name) {
  return std::string(CALLSIM_FIXTURES_DIR) + "/audio/" + name;
}

void report_audio_rate(benchmark::State& state, double audio_seconds_per_iteration) {
  state.counters["audio_s/s"] =
      benchmark::Counter(audio_seconds_per_iteration * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_LoadFixture(benchmark::State& state, const std::string& name) {
  const std::string path = fixture(name);
  double seconds = static_cast<double>(load_audio_8k(path).size()) / 8000.0;
  for (auto _ : state) benchmark::DoNotOptimize(load_audio_8k(path));
  report_audio_rate(state, seconds);
}
BENCHMARK_CAPTURE(BM_LoadFixture, wav_mulaw, std::string("caller-long.wav"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadFixture, ogg_opus, std::string("caller-long.opus"))
    ->Unit(benchmark::kMillisecond);

void BM_Resample(benchmark::State& state) {
  const int rate = static_cast<int>(state.range(0));
  std::vector<float> input(static_cast<size_t>(rate) * 10);
  for (size_t n = 0; n < input.size(); ++n)
    input[n] = 0.5f * std::sin(0.01f * static_cast<float>(n));
  for (auto _ : state) benchmark::DoNotOptimize(resample(input, rate, 8000));
  report_audio_rate(state, 10.0);
}
BENCHMARK(BM_Resample)->Arg(16000)->Arg(44100)->Arg(48000)->Unit(benchmark::kMillisecond);

// Building a FrameSource: mu-law encoding plus base64 of every frame, once per fixture.
void BM_BuildFrameSource(benchmark::State& state) {
  auto pcm = load_audio_8k(fixture("caller-long.wav"));
  for (auto _ : state) benchmark::DoNotOptimize(FrameSource::from_pcm(pcm, "bench"));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>((pcm.size() + 159) / 160));
  report_audio_rate(state, static_cast<double>(pcm.size()) / 8000.0);
}
BENCHMARK(BM_BuildFrameSource)->Unit(benchmark::kMicrosecond);

void BM_EncodeMulaw(benchmark::State& state) {
  std::vector<int16_t> pcm(8000);
  for (size_t n = 0; n < pcm.size(); ++n) pcm[n] = static_cast<int16_t>(n * 37 - 32768);
  std::vector<uint8_t> out(pcm.size());
  for (auto _ : state) {
    for (size_t n = 0; n < pcm.size(); ++n) out[n] = linear_to_ulaw(pcm[n]);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 8000);
}
BENCHMARK(BM_EncodeMulaw);

// The engine's per-frame cost on the hot path: fetch the precomputed base64 view.
void BM_FrameBase64Lookup(benchmark::State& state) {
  auto source = FrameSource::from_file(fixture("caller-question.wav"));
  size_t index = 0;
  for (auto _ : state) benchmark::DoNotOptimize(source->frame_base64(index++));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_FrameBase64Lookup);

void BM_SpeechDetector(benchmark::State& state) {
  auto source = FrameSource::from_file(fixture("caller-question.wav"));
  SpeechDetector detector;
  size_t index = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(detector.push_frame(source->frame(index++), FrameSource::kFrameBytes));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SpeechDetector);

}  // namespace

BENCHMARK_MAIN();
