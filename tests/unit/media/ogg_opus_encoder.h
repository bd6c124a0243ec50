#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace callsim::media::test {

// Writes Ogg Opus files with libopus and libogg (RFC 7845), so the reader is tested against
// streams whose every header field the test controls.
struct OggOpusSpec {
  int sample_rate = 8000;  // of the input: 8000, 12000, 16000, 24000 or 48000
  int channels = 1;
  int mapping_family = -1;     // -1: 0 for one or two channels, 1 above
  int16_t output_gain_q8 = 0;  // OpusHead output gain, dB in Q7.8
  bool trim_end = true;        // last granule position marks the real end of the input
  int bitrate = 64000;         // per stream
};

// `interleaved` holds spec.channels channels.
std::vector<uint8_t> encode_ogg_opus(const std::vector<int16_t>& interleaved,
                                     const OggOpusSpec& spec);

// An Ogg file of one logical stream whose packets are given verbatim (first packet BOS, last EOS,
// one page per packet); for streams that are not Opus or are damaged.
std::vector<uint8_t> ogg_file(const std::vector<std::vector<uint8_t>>& packets,
                              const std::vector<int64_t>& granules);

// The packets of a single-stream Ogg file and the granule position each carries (-1 for none);
// ogg_file(split.packets, split.granules) rebuilds an equivalent file with valid checksums.
struct OggPackets {
  std::vector<std::vector<uint8_t>> packets;
  std::vector<int64_t> granules;
};
OggPackets split_ogg(const std::vector<uint8_t>& bytes);

// OpusHead / OpusTags packets.
std::vector<uint8_t> opus_head(int channels, int pre_skip, int input_rate, int16_t gain_q8,
                               int family, int streams, int coupled,
                               const std::vector<uint8_t>& mapping);
std::vector<uint8_t> opus_tags();

}  // namespace callsim::media::test
