#pragma once

#include <memory>
#include <string>
#include <vector>

#include "conditions.h"
#include "frame_detector.h"
#include "labelled_signal.h"
#include "vad_score.h"

namespace callsim::vadbench {

// The five fixtures (fixtures/audio/NAME.wav under `fixtures_dir`), each labelled.
std::vector<LabelledSignal> load_fixture_signals(const std::string& fixtures_dir);

// callsim's energy voicing, the WebRTC VAD at each likelihood, then called directly (mode 2).
std::vector<std::unique_ptr<FrameDetector>> standard_detectors();

// One detector over every signal under one condition, the scores added up.
Score run_condition(FrameDetector& detector, const std::vector<LabelledSignal>& signals,
                    const Condition& condition, int timing_passes = 5);

// One table row: acc, missed, false, onsets, offsets, turn timings, ns/frame.
std::string format_row(const std::string& condition, const std::string& detector,
                       const Score& score);
std::string format_header();

}  // namespace callsim::vadbench
