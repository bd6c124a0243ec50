#include "signals.h"

#include <cmath>
#include <complex>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace callsim::media::test {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

std::vector<int16_t> tone(double frequency, int sample_rate, double seconds, double amplitude) {
  std::vector<int16_t> out(static_cast<size_t>(std::lround(seconds * sample_rate)));
  for (size_t n = 0; n < out.size(); ++n) {
    out[n] = static_cast<int16_t>(std::lround(
        amplitude * std::sin(2.0 * kPi * frequency * static_cast<double>(n) / sample_rate)));
  }
  return out;
}

std::vector<float> tone_float(double frequency, int sample_rate, double seconds, double amplitude) {
  std::vector<float> out(static_cast<size_t>(std::lround(seconds * sample_rate)));
  for (size_t n = 0; n < out.size(); ++n) {
    out[n] =
        static_cast<float>(amplitude / 32768.0 *
                           std::sin(2.0 * kPi * frequency * static_cast<double>(n) / sample_rate));
  }
  return out;
}

double tone_amplitude(const std::vector<int16_t>& samples, double frequency, int sample_rate,
                      size_t begin, size_t end) {
  std::complex<double> sum = 0.0;
  for (size_t n = begin; n < end; ++n) {
    double phase = 2.0 * kPi * frequency * static_cast<double>(n) / sample_rate;
    sum += static_cast<double>(samples.at(n)) * std::polar(1.0, -phase);
  }
  return 2.0 * std::abs(sum) / static_cast<double>(end - begin);
}

double rms(const std::vector<int16_t>& samples, size_t begin, size_t end) {
  double sum = 0.0;
  for (size_t n = begin; n < end; ++n) sum += static_cast<double>(samples.at(n)) * samples.at(n);
  return std::sqrt(sum / static_cast<double>(end - begin));
}

double db(double ratio) {
  return 20.0 * std::log10(ratio);
}

std::vector<int16_t> interleave(const std::vector<std::vector<int16_t>>& channels) {
  std::vector<int16_t> out;
  size_t frames = channels.at(0).size();
  out.reserve(frames * channels.size());
  for (size_t n = 0; n < frames; ++n) {
    for (const auto& channel : channels) out.push_back(channel.at(n));
  }
  return out;
}

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + path);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file), {});
}

}  // namespace callsim::media::test
