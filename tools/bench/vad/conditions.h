#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labelled_signal.h"

namespace callsim::vadbench {

// How a line or a bot can differ from the clean fixture: a level change and added noise.
struct Condition {
  enum class Noise { kNone, kWhite, kPink };
  std::string name;
  Noise noise = Noise::kNone;
  double snr_db = 0.0;   // speech mean square over noise mean square (noise only)
  double gain_db = 0.0;  // applied to the speech before the noise is added
};

// clean, white and pink noise at 20 and 10 dB SNR, and the clean clip 20 dB quieter.
std::vector<Condition> standard_conditions();

// The signal under `condition`, as callsim receives it: G.711 mu-law, one byte per sample. The
// noise comes from a fixed seed, so every run measures the same bytes.
std::vector<uint8_t> render_ulaw(const LabelledSignal& signal, const Condition& condition,
                                 uint32_t seed = 12);

}  // namespace callsim::vadbench
