#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace callsim::media::test {

// Test signals and measurements. Amplitudes are in 16-bit units.

std::vector<int16_t> tone(double frequency, int sample_rate, double seconds, double amplitude);
std::vector<float> tone_float(double frequency, int sample_rate, double seconds, double amplitude);

// Peak amplitude of the `frequency` component of samples[begin, end), by correlation with a
// complex exponential (exact for a steady tone spanning whole periods).
double tone_amplitude(const std::vector<int16_t>& samples, double frequency, int sample_rate,
                      size_t begin, size_t end);
double rms(const std::vector<int16_t>& samples, size_t begin, size_t end);
double db(double ratio);

// Interleaves equally long channels.
std::vector<int16_t> interleave(const std::vector<std::vector<int16_t>>& channels);

void write_file(const std::string& path, const std::vector<uint8_t>& bytes);
std::vector<uint8_t> read_file(const std::string& path);

}  // namespace callsim::media::test
