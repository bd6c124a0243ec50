#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace callsim::vadbench {

constexpr int kSampleRate = 8000;
constexpr size_t kFrameSamples = 160;  // 20 ms, one Media Streams frame
constexpr double kFrameMs = 20.0;

// Samples [begin, end) of the clean signal.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

// A clip whose truth is known by construction: the fixtures are synthetic speech padded and
// split by digital silence (exact zeros), so where speech is does not depend on any detector.
struct LabelledSignal {
  std::string name;
  std::vector<int16_t> pcm;         // clean, at the fixture's level (peak -3 dBFS)
  std::vector<Span> utterances;     // from the first to the last non-zero sample of each
  std::vector<bool> speech_frame;   // inside an utterance with clean RMS above kSpeechFloorDbfs
  std::vector<bool> silence_frame;  // wholly outside every utterance (the known silences)
  size_t frames() const { return speech_frame.size(); }
};

// A frame inside an utterance below this (a gap between words) counts as neither speech nor
// silence: no detector is right or wrong about it.
constexpr double kSpeechFloorDbfs = -55.0;
// Digital silence this long or longer separates utterances: callsim's turn end is 600 ms.
constexpr int kUtteranceGapMs = 600;

// Trims the clip's own padding and surrounds it with lead_ms and trail_ms of digital silence, so
// every signal starts the same way whatever the fixture's padding was.
LabelledSignal label_clip(const std::vector<int16_t>& clip, std::string name, int lead_ms = 1000,
                          int trail_ms = 1000);

// Mean square of the clean speech frames, the "S" of every SNR here.
double speech_mean_square(const LabelledSignal& signal, double gain = 1.0);

}  // namespace callsim::vadbench
