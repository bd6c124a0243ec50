#pragma once

#include <vector>

#include "caller_turns.h"
#include "media/frame_source.h"
#include "media/speech_detector.h"
#include "media/voicing.h"

namespace callsim {

// The utterances of a clip as the speech detector hears them: each from its first voiced frame
// to its last, the pauses between them left out. A clip with no speech has none.
std::vector<Utterance> split_utterances(const media::FrameSource& clip, size_t clip_index,
                                        const media::SpeechDetector::Config& detector = {});

// A whole clip as one utterance (a file the caller says), its first and last voiced frames found
// by the same detector; a clip with no speech is said whole and counts as voiced throughout.
Utterance whole_clip_utterance(const media::FrameSource& clip, size_t clip_index,
                               const media::SpeechDetector::Config& detector = {});

}  // namespace callsim
