#include "vad_score.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "media/speech_detector.h"

namespace callsim::vadbench {

namespace {

// How far before a truth onset a decision still belongs to it: voiced 200 ms early is noise taken
// for speech, not a fast onset. After a truth end it still belongs to it for 500 ms (a hangover).
constexpr size_t kLeadFrames = 200 / 20;
constexpr size_t kTailFrames = 500 / 20;

double ms_of_sample(size_t sample) {
  return 1000.0 * double(sample) / kSampleRate;
}
double end_ms_of_frame(size_t frame) {
  return kFrameMs * double(frame + 1);
}

// First frame in [lo, hi) where `on` rises (is true with the frame before it false, or lo
// itself true: then `early`).
std::optional<size_t> first_rise(const std::vector<bool>& on, size_t lo, size_t hi, bool* early) {
  for (size_t f = lo; f < hi; ++f) {
    if (!on[f]) continue;
    if (f == lo) *early = true;
    return f;
  }
  return std::nullopt;
}

}  // namespace

double Score::accuracy() const {
  const size_t scored = speech_frames + silence_frames;
  return scored ? 1.0 - double(missed + false_speech) / double(scored) : 0.0;
}

void Score::add(const Score& other) {
  const double frames = double(speech_frames + silence_frames);
  const double more = double(other.speech_frames + other.silence_frames);
  if (frames + more > 0) {
    ns_per_frame = (ns_per_frame * frames + other.ns_per_frame * more) / (frames + more);
  }
  speech_frames += other.speech_frames;
  silence_frames += other.silence_frames;
  missed += other.missed;
  false_speech += other.false_speech;
  utterances.insert(utterances.end(), other.utterances.begin(), other.utterances.end());
}

std::vector<bool> smooth_like_speech_detector(const std::vector<bool>& voiced) {
  media::SpeechDetector detector;
  std::vector<bool> out(voiced.size());
  for (size_t f = 0; f < voiced.size(); ++f) out[f] = detector.push_voiced(voiced[f]);
  return out;
}

Score score_decisions(const LabelledSignal& signal, const std::vector<bool>& voiced) {
  Score s;
  for (size_t f = 0; f < signal.frames(); ++f) {
    if (signal.speech_frame[f]) {
      ++s.speech_frames;
      if (!voiced[f]) ++s.missed;
    } else if (signal.silence_frame[f]) {
      ++s.silence_frames;
      if (voiced[f]) ++s.false_speech;
    }
  }

  const std::vector<bool> speaking = smooth_like_speech_detector(voiced);
  const size_t frames = signal.frames();
  for (size_t u = 0; u < signal.utterances.size(); ++u) {
    const Span& truth = signal.utterances[u];
    const size_t first = truth.begin / kFrameSamples;
    const size_t last = (truth.end - 1) / kFrameSamples;
    const size_t prev_end = u == 0 ? 0 : (signal.utterances[u - 1].end - 1) / kFrameSamples + 1;
    const size_t next_begin =
        u + 1 < signal.utterances.size() ? signal.utterances[u + 1].begin / kFrameSamples : frames;
    // Halfway through a gap, so one utterance's hangover is not taken for the next one's onset.
    const size_t lo =
        std::max(prev_end + (first - prev_end) / 2, first >= kLeadFrames ? first - kLeadFrames : 0);
    const size_t hi = std::min(next_begin, last + 1 + kTailFrames);
    const double onset = ms_of_sample(truth.begin);
    const double end = ms_of_sample(truth.end);

    UtteranceTiming t;
    if (auto f = first_rise(voiced, lo, last + 1, &t.early)) {
      if (!t.early) t.onset_ms = end_ms_of_frame(*f) - onset;
      for (size_t g = hi; g-- > truth.begin / kFrameSamples;) {
        if (!voiced[g]) continue;
        if (g + 1 < hi) t.offset_ms = end_ms_of_frame(g) - end;
        break;
      }
    }
    bool turn_early = false;
    if (auto f = first_rise(speaking, lo, last + 1, &turn_early)) {
      if (!turn_early) t.turn_onset_ms = end_ms_of_frame(*f) - onset;
      // The turn ends at the first frame after the onset where speaking falls; a turn that was
      // already on may be the previous utterance's, so its end is not this one's.
      for (size_t g = *f; !turn_early && g < frames; ++g) {
        if (speaking[g]) continue;
        if (g < hi + media::SpeechDetector::Config{}.hangover_frames) {
          t.turn_end_ms = end_ms_of_frame(g) - end;
        }
        break;
      }
    }
    t.early = t.early || turn_early;
    s.utterances.push_back(t);
  }
  return s;
}

Score score_detector(FrameDetector& detector, const LabelledSignal& signal,
                     const std::vector<uint8_t>& ulaw, int timing_passes) {
  const size_t frames = signal.frames();
  std::vector<bool> voiced(frames);
  double best_ns = std::numeric_limits<double>::infinity();
  for (int pass = 0; pass < std::max(1, timing_passes); ++pass) {
    detector.reset();
    const auto start = std::chrono::steady_clock::now();
    for (size_t f = 0; f < frames; ++f) {
      voiced[f] = detector.voiced(ulaw.data() + f * kFrameSamples, kFrameSamples);
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    best_ns = std::min(
        best_ns, double(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
  }
  Score s = score_decisions(signal, voiced);
  s.ns_per_frame = frames ? best_ns / double(frames) : 0.0;
  return s;
}

}  // namespace callsim::vadbench
