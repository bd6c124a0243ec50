#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "frame_detector.h"
#include "labelled_signal.h"

namespace callsim::vadbench {

// When a detector saw one utterance begin and end, in ms from the truth, measured at each
// frame's end: a decision about a frame exists only once its 20 ms have arrived, so this is the
// bias a voiced frame adds to callsim's time to first audio and reply latency.
struct UtteranceTiming {
  // Raw per-frame decisions (callsim's bot-side voicing). Empty: no voiced frame near it.
  std::optional<double> onset_ms;
  std::optional<double> offset_ms;
  // After callsim's SpeechDetector smoothing (2 frames to start, 600 ms hangover to end), as
  // the caller-side turn taking and utterance split see it. turn_end_ms includes the hangover.
  std::optional<double> turn_onset_ms;
  std::optional<double> turn_end_ms;
  // Voiced already when the search window opened (noise taken for speech): onset unmeasurable.
  bool early = false;
};

struct Score {
  size_t speech_frames = 0;   // truth speech
  size_t silence_frames = 0;  // truth silence
  size_t missed = 0;          // truth speech judged unvoiced
  size_t false_speech = 0;    // truth silence judged voiced
  std::vector<UtteranceTiming> utterances;
  double ns_per_frame = 0.0;  // the detector's own cost, best of several passes

  double accuracy() const;  // over speech and silence frames, gaps inside speech left out
  void add(const Score& other);
};

// Runs `detector` over every 20 ms frame of `ulaw` (the signal under one condition) and scores
// its decisions against the signal's truth.
Score score_detector(FrameDetector& detector, const LabelledSignal& signal,
                     const std::vector<uint8_t>& ulaw, int timing_passes = 5);

// Scores given decisions (one per frame); score_detector's second half.
Score score_decisions(const LabelledSignal& signal, const std::vector<bool>& voiced);

// SpeechDetector's state machine over decisions already made, so a detector other than the
// energy threshold can be smoothed exactly as callsim smooths its own.
std::vector<bool> smooth_like_speech_detector(const std::vector<bool>& voiced);

}  // namespace callsim::vadbench
