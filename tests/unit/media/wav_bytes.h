#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace callsim::media::test {

// Builds RIFF/WAVE files byte by byte, so tests can make every format and every kind of damage.
class WavBytes {
 public:
  WavBytes() {
    append_tag("RIFF");
    append_le32(0);
    append_tag("WAVE");
  }

  // A plain fmt chunk (16 bytes, or 18 with cbSize when `with_cb_size`).
  WavBytes& fmt(uint16_t tag, uint16_t channels, uint32_t rate, uint16_t bits,
                bool with_cb_size = false);
  // A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID carries `sub_format`.
  WavBytes& fmt_extensible(uint16_t sub_format, uint16_t channels, uint32_t rate, uint16_t bits,
                           uint16_t valid_bits, uint32_t channel_mask);
  // Any chunk; its size field is body.size() unless `claimed_size` overrides it. Odd bodies get
  // the pad byte RIFF requires.
  WavBytes& chunk(const std::string& tag, const std::vector<uint8_t>& body,
                  int64_t claimed_size = -1);
  WavBytes& data_pcm16(const std::vector<int16_t>& interleaved);

  // The file, with the RIFF size filled in.
  std::vector<uint8_t> bytes() const;

 private:
  void append_tag(const std::string& tag);
  void append_le16(uint16_t value);
  void append_le32(uint32_t value);
  std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> pcm16_bytes(const std::vector<int16_t>& samples);
std::vector<uint8_t> pcm24_bytes(const std::vector<int32_t>& samples);
std::vector<uint8_t> float32_bytes(const std::vector<float>& samples);

}  // namespace callsim::media::test
