#include "media/ogg_opus_reader.h"

#include <ogg/ogg.h>
#include <opus/opus_multistream.h>

#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "media/audio_limits.h"
#include "media/byte_reader.h"
#include "media/media_error.h"

namespace callsim::media {

namespace {

constexpr int kDecodeRate = 8000;
// Granule positions and pre-skip count 48 kHz samples whatever the decoding rate.
constexpr int64_t kGranuleRate = 48000;
constexpr int64_t kGranulesPerSample = kGranuleRate / kDecodeRate;
constexpr int kMaxPacketSamples = kDecodeRate * 120 / 1000;  // Opus packets last 120 ms at most
constexpr size_t kOpusHeadMinBytes = 19;

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
  throw MediaError(fmt::format("{}: {}", name, problem));
}

struct OggSync {
  ogg_sync_state state;
  OggSync() { ogg_sync_init(&state); }
  ~OggSync() { ogg_sync_clear(&state); }
  OggSync(const OggSync&) = delete;
  OggSync& operator=(const OggSync&) = delete;
};

struct OggStream {
  ogg_stream_state state;
  bool initialised = false;
  void init(int serial) {
    ogg_stream_init(&state, serial);
    initialised = true;
  }
  ~OggStream() {
    if (initialised) ogg_stream_clear(&state);
  }
};

struct DecoderDeleter {
  void operator()(OpusMSDecoder* decoder) const { opus_multistream_decoder_destroy(decoder); }
};

struct OpusHead {
  int channels = 0;
  int64_t pre_skip = 0;  // 48 kHz samples
  int gain_q8 = 0;       // dB in Q7.8
  int streams = 0;
  int coupled = 0;
  unsigned char mapping[255] = {};
};

std::string describe_foreign_stream(const ogg_packet& packet) {
  auto starts_with = [&packet](const char* magic, size_t length) {
    return packet.bytes >= static_cast<long>(length) &&
           std::memcmp(packet.packet, magic, length) == 0;
  };
  if (starts_with("\x01vorbis", 7)) return "Ogg Vorbis is not supported; use Ogg Opus or WAV";
  if (starts_with("\x7f"
                  "FLAC",
                  5))
    return "Ogg FLAC is not supported; use Ogg Opus or WAV";
  if (starts_with("Speex   ", 8)) return "Ogg Speex is not supported; use Ogg Opus or WAV";
  return "Ogg stream is not Opus (no OpusHead packet)";
}

OpusHead parse_opus_head(const ogg_packet& packet, const std::string& name) {
  if (packet.bytes < 8 || std::memcmp(packet.packet, "OpusHead", 8) != 0) {
    fail(name, describe_foreign_stream(packet));
  }
  const uint8_t* p = packet.packet;
  size_t size = static_cast<size_t>(packet.bytes);
  if (size < kOpusHeadMinBytes) fail(name, "OpusHead packet is too short");
  if ((p[8] >> 4) != 0) fail(name, fmt::format("unsupported Ogg Opus version {}", p[8]));
  OpusHead head;
  head.channels = p[9];
  head.pre_skip = read_le16(p + 10);
  head.gain_q8 = static_cast<int16_t>(read_le16(p + 16));
  int family = p[18];
  if (head.channels == 0) fail(name, "OpusHead declares 0 channels");
  if (family == 0) {
    if (head.channels > 2) fail(name, "OpusHead mapping family 0 allows 1 or 2 channels only");
    head.streams = 1;
    head.coupled = head.channels - 1;
    head.mapping[0] = 0;
    head.mapping[1] = 1;
  } else if (family == 1 || family == 255) {
    if (size < kOpusHeadMinBytes + 2 + static_cast<size_t>(head.channels)) {
      fail(name, "OpusHead channel mapping table is truncated");
    }
    head.streams = p[19];
    head.coupled = p[20];
    std::memcpy(head.mapping, p + 21, static_cast<size_t>(head.channels));
  } else {
    fail(name, fmt::format("unsupported Opus channel mapping family {} (ambisonics?)", family));
  }
  return head;
}

class OpusDecoder {
 public:
  OpusDecoder(const OpusHead& head, const std::string& name) : channels_(head.channels) {
    int error = OPUS_OK;
    decoder_.reset(opus_multistream_decoder_create(kDecodeRate, head.channels, head.streams,
                                                   head.coupled, head.mapping, &error));
    if (error != OPUS_OK || !decoder_) {
      fail(name, fmt::format("invalid OpusHead ({} channels, {} streams, {} coupled): {}",
                             head.channels, head.streams, head.coupled, opus_strerror(error)));
    }
    opus_multistream_decoder_ctl(decoder_.get(), OPUS_SET_GAIN(head.gain_q8));
    buffer_.resize(static_cast<size_t>(kMaxPacketSamples * channels_));
  }

  // Appends the packet's samples, downmixed, to `out`.
  void decode(const ogg_packet& packet, int64_t index, std::vector<float>& out,
              const std::string& name) {
    int samples = packet.bytes > 0
                      ? opus_multistream_decode_float(decoder_.get(), packet.packet,
                                                      static_cast<opus_int32>(packet.bytes),
                                                      buffer_.data(), kMaxPacketSamples, 0)
                      : OPUS_INVALID_PACKET;
    if (samples < 0) {
      fail(name, fmt::format("corrupt Opus packet {}: {}", index, opus_strerror(samples)));
    }
    const float scale = 1.0f / static_cast<float>(channels_);
    for (int i = 0; i < samples; ++i) {
      const float* frame = &buffer_[static_cast<size_t>(i * channels_)];
      float sum = 0.0f;
      for (int c = 0; c < channels_; ++c) sum += frame[c];
      out.push_back(channels_ == 1 ? sum : sum * scale);
    }
  }

 private:
  int channels_;
  std::unique_ptr<OpusMSDecoder, DecoderDeleter> decoder_;
  std::vector<float> buffer_;
};

}  // namespace

MonoAudio decode_ogg_opus(const uint8_t* data, size_t size, const std::string& name) {
  OggSync sync;
  char* buffer = ogg_sync_buffer(&sync.state, static_cast<long>(size));
  if (!buffer) fail(name, "out of memory reading Ogg pages");
  std::memcpy(buffer, data, size);
  ogg_sync_wrote(&sync.state, static_cast<long>(size));

  OggStream stream;
  int serial = 0;
  std::unique_ptr<OpusDecoder> decoder;
  OpusHead head;
  int64_t packets = 0;
  int64_t end_granule = -1;
  bool ended = false;
  const size_t max_samples = static_cast<size_t>(kMaxClipSeconds) * kDecodeRate;
  std::vector<float> samples;

  ogg_page page;
  while (!ended) {
    int found = ogg_sync_pageout(&sync.state, &page);
    if (found == 0) break;  // what is left is not a whole page
    if (found < 0) fail(name, "corrupt Ogg data (bad page checksum or garbage between pages)");
    if (!stream.initialised) {
      if (!ogg_page_bos(&page)) fail(name, "first Ogg page is not a beginning-of-stream page");
      serial = ogg_page_serialno(&page);
      stream.init(serial);
    } else if (ogg_page_serialno(&page) != serial) {
      continue;  // another logical stream multiplexed alongside (e.g. a video track)
    }
    if (ogg_stream_pagein(&stream.state, &page) != 0) fail(name, "Ogg page out of place");
    ended = ogg_page_eos(&page) != 0;

    ogg_packet packet;
    int got;
    while ((got = ogg_stream_packetout(&stream.state, &packet)) != 0) {
      if (got < 0) fail(name, "Ogg stream has a gap (missing or corrupt page)");
      if (packets == 0) {
        head = parse_opus_head(packet, name);
        decoder = std::make_unique<OpusDecoder>(head, name);
      } else if (packets == 1) {
        if (packet.bytes < 8 || std::memcmp(packet.packet, "OpusTags", 8) != 0) {
          fail(name, "second Ogg Opus packet is not OpusTags");
        }
      } else {
        decoder->decode(packet, packets - 1, samples, name);
        // Set on the last packet completed on each page (header pages carry 0, not audio).
        if (packet.granulepos >= 0) end_granule = packet.granulepos;
        if (samples.size() > max_samples) {
          fail(name,
               fmt::format("audio is longer than {} s; fixtures are short clips", kMaxClipSeconds));
        }
      }
      ++packets;
    }
  }
  if (!stream.initialised) fail(name, "no Ogg pages found (truncated?)");
  if (!ended) fail(name, "Ogg Opus stream ends without its end-of-stream page (truncated?)");
  if (packets < 2) fail(name, "Ogg Opus stream has no OpusTags packet (truncated?)");

  // Pre-skip is the encoder's start-up delay; the last granule position marks where the real
  // audio ends inside the final packet.
  size_t skip = static_cast<size_t>((head.pre_skip + kGranulesPerSample / 2) / kGranulesPerSample);
  size_t length = samples.size() > skip ? samples.size() - skip : 0;
  if (end_granule >= 0) {
    int64_t granule_samples = end_granule - head.pre_skip;
    if (granule_samples < 0) fail(name, "Ogg Opus end granule position lies before the pre-skip");
    size_t trimmed =
        static_cast<size_t>((granule_samples + kGranulesPerSample / 2) / kGranulesPerSample);
    if (trimmed < length) length = trimmed;
  }
  if (length == 0) fail(name, "no audio samples in the Ogg Opus stream");

  MonoAudio audio;
  audio.sample_rate = kDecodeRate;
  audio.samples.assign(samples.begin() + static_cast<std::ptrdiff_t>(skip),
                       samples.begin() + static_cast<std::ptrdiff_t>(skip + length));
  return audio;
}

}  // namespace callsim::media
