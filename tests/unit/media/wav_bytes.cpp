#include "wav_bytes.h"

#include <cstring>

namespace callsim::media::test {

void WavBytes::append_tag(const std::string& tag) {
  bytes_.insert(bytes_.end(), tag.begin(), tag.end());
}

void WavBytes::append_le16(uint16_t value) {
  bytes_.push_back(static_cast<uint8_t>(value));
  bytes_.push_back(static_cast<uint8_t>(value >> 8));
}

void WavBytes::append_le32(uint32_t value) {
  append_le16(static_cast<uint16_t>(value));
  append_le16(static_cast<uint16_t>(value >> 16));
}

WavBytes& WavBytes::fmt(uint16_t tag, uint16_t channels, uint32_t rate, uint16_t bits,
                        bool with_cb_size) {
  append_tag("fmt ");
  append_le32(with_cb_size ? 18 : 16);
  uint16_t block_align = static_cast<uint16_t>(channels * (bits / 8));
  append_le16(tag);
  append_le16(channels);
  append_le32(rate);
  append_le32(rate * block_align);
  append_le16(block_align);
  append_le16(bits);
  if (with_cb_size) append_le16(0);
  return *this;
}

WavBytes& WavBytes::fmt_extensible(uint16_t sub_format, uint16_t channels, uint32_t rate,
                                   uint16_t bits, uint16_t valid_bits, uint32_t channel_mask) {
  append_tag("fmt ");
  append_le32(40);
  uint16_t block_align = static_cast<uint16_t>(channels * (bits / 8));
  append_le16(0xFFFE);
  append_le16(channels);
  append_le32(rate);
  append_le32(rate * block_align);
  append_le16(block_align);
  append_le16(bits);
  append_le16(22);
  append_le16(valid_bits);
  append_le32(channel_mask);
  append_le16(sub_format);
  const uint8_t tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                            0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
  bytes_.insert(bytes_.end(), tail, tail + sizeof tail);
  return *this;
}

WavBytes& WavBytes::chunk(const std::string& tag, const std::vector<uint8_t>& body,
                          int64_t claimed_size) {
  append_tag(tag);
  append_le32(
      static_cast<uint32_t>(claimed_size >= 0 ? claimed_size : static_cast<int64_t>(body.size())));
  bytes_.insert(bytes_.end(), body.begin(), body.end());
  if (body.size() % 2 == 1 && claimed_size < 0) bytes_.push_back(0);
  return *this;
}

WavBytes& WavBytes::data_pcm16(const std::vector<int16_t>& interleaved) {
  return chunk("data", pcm16_bytes(interleaved));
}

std::vector<uint8_t> WavBytes::bytes() const {
  std::vector<uint8_t> out = bytes_;
  uint32_t riff_size = static_cast<uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<uint8_t>(riff_size >> (8 * i));
  return out;
}

std::vector<uint8_t> pcm16_bytes(const std::vector<int16_t>& samples) {
  std::vector<uint8_t> out;
  for (int16_t s : samples) {
    out.push_back(static_cast<uint8_t>(s & 0xFF));
    out.push_back(static_cast<uint8_t>((static_cast<uint16_t>(s) >> 8) & 0xFF));
  }
  return out;
}

std::vector<uint8_t> pcm24_bytes(const std::vector<int32_t>& samples) {
  std::vector<uint8_t> out;
  for (int32_t s : samples) {
    uint32_t u = static_cast<uint32_t>(s);
    out.push_back(static_cast<uint8_t>(u));
    out.push_back(static_cast<uint8_t>(u >> 8));
    out.push_back(static_cast<uint8_t>(u >> 16));
  }
  return out;
}

std::vector<uint8_t> float32_bytes(const std::vector<float>& samples) {
  std::vector<uint8_t> out;
  for (float s : samples) {
    uint32_t u;
    std::memcpy(&u, &s, sizeof u);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(u >> (8 * i)));
  }
  return out;
}

}  // namespace callsim::media::test
