#pragma once

#include <vector>

namespace callsim::media {

// Band-limited sample-rate conversion between any two integer rates: a Kaiser-windowed sinc
// low-pass (80 dB stopband) evaluated polyphase at the exact rational output positions. The
// passband is flat to 85% of the lower Nyquist frequency and everything above that Nyquist
// frequency is removed before it can alias (48 kHz -> 8 kHz: flat to 3.4 kHz, -80 dB from 4 kHz).
// Output sample n sits at input time n * in_rate / out_rate; the length is
// ceil(in.size() * out_rate / in_rate). Equal rates return the input unchanged.
std::vector<float> resample(const std::vector<float>& in, int in_rate, int out_rate);

}  // namespace callsim::media
