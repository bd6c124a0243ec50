#pragma once

#include <vector>

namespace callsim::media {

// Band-limited sample-rate conversion between any two integer rates, by libsoxr at its high
// quality (linear phase, passband flat to 91% of the lower Nyquist frequency, everything above
// that Nyquist frequency removed before it can alias: 48 kHz -> 8 kHz is flat to 3.6 kHz).
// Output sample n sits at input time n * in_rate / out_rate (soxr removes its filter delay); the
// length is ceil(in.size() * out_rate / in_rate). Equal rates return the input unchanged.
std::vector<float> resample(const std::vector<float>& in, int in_rate, int out_rate);

}  // namespace callsim::media
