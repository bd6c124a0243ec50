#include "labelled_signal.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace callsim::vadbench {

namespace {

double frame_rms_dbfs(const std::vector<int16_t>& pcm, size_t frame) {
  double sum = 0.0;
  const size_t begin = frame * kFrameSamples;
  const size_t end = std::min(pcm.size(), begin + kFrameSamples);
  for (size_t i = begin; i < end; ++i) sum += double(pcm[i]) * pcm[i];
  const double rms = std::sqrt(sum / double(kFrameSamples));
  return rms > 0.0 ? 20.0 * std::log10(rms / 32768.0) : -200.0;
}

}  // namespace

LabelledSignal label_clip(const std::vector<int16_t>& clip, std::string name, int lead_ms,
                          int trail_ms) {
  auto first = std::find_if(clip.begin(), clip.end(), [](int16_t s) { return s != 0; });
  if (first == clip.end()) throw std::invalid_argument(name + ": clip has no speech");
  auto last = std::find_if(clip.rbegin(), clip.rend(), [](int16_t s) { return s != 0; }).base();

  LabelledSignal out;
  out.name = std::move(name);
  const size_t lead = size_t(lead_ms) * kSampleRate / 1000;
  const size_t trail = size_t(trail_ms) * kSampleRate / 1000;
  out.pcm.assign(lead, 0);
  out.pcm.insert(out.pcm.end(), first, last);
  out.pcm.insert(out.pcm.end(), trail, 0);
  // Whole frames only: a short last frame would be judged on fewer samples than the rest.
  out.pcm.resize((out.pcm.size() + kFrameSamples - 1) / kFrameSamples * kFrameSamples, 0);

  const size_t gap = size_t(kUtteranceGapMs) * kSampleRate / 1000;
  const size_t speech_end = lead + size_t(last - first);
  Span current{lead, lead + 1};
  size_t zeros = 0;
  for (size_t i = lead; i < speech_end; ++i) {
    if (out.pcm[i] != 0) {
      if (zeros >= gap) {
        out.utterances.push_back(current);
        current.begin = i;
      }
      current.end = i + 1;
      zeros = 0;
    } else {
      ++zeros;
    }
  }
  out.utterances.push_back(current);

  const size_t frames = out.pcm.size() / kFrameSamples;
  out.speech_frame.assign(frames, false);
  out.silence_frame.assign(frames, true);
  for (const Span& u : out.utterances) {
    for (size_t f = u.begin / kFrameSamples; f * kFrameSamples < u.end; ++f) {
      out.silence_frame[f] = false;
      out.speech_frame[f] = frame_rms_dbfs(out.pcm, f) > kSpeechFloorDbfs;
    }
  }
  return out;
}

double speech_mean_square(const LabelledSignal& signal, double gain) {
  double sum = 0.0;
  size_t n = 0;
  for (size_t f = 0; f < signal.frames(); ++f) {
    if (!signal.speech_frame[f]) continue;
    for (size_t i = f * kFrameSamples; i < (f + 1) * kFrameSamples; ++i) {
      const double s = gain * signal.pcm[i];
      sum += s * s;
    }
    n += kFrameSamples;
  }
  return n ? sum / double(n) : 0.0;
}

}  // namespace callsim::vadbench
