#include "ogg_opus_encoder.h"

#include <ogg/ogg.h>
#include <opus/opus_multistream.h>

#include <memory>
#include <stdexcept>

namespace callsim::media::test {

namespace {

void put_le16(std::vector<uint8_t>& out, uint32_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}
void put_le32(std::vector<uint8_t>& out, uint32_t value) {
  put_le16(out, value & 0xFFFF);
  put_le16(out, value >> 16);
}

class OggWriter {
 public:
  OggWriter() { ogg_stream_init(&stream_, 0x5EED); }
  ~OggWriter() { ogg_stream_clear(&stream_); }

  // Each header packet gets a page of its own, as RFC 7845 requires.
  void add(const std::vector<uint8_t>& data, int64_t granule, bool bos, bool eos, bool flush) {
    ogg_packet packet{};
    packet.packet = const_cast<unsigned char*>(data.data());
    packet.bytes = static_cast<long>(data.size());
    packet.b_o_s = bos ? 1 : 0;
    packet.e_o_s = eos ? 1 : 0;
    packet.granulepos = granule;
    packet.packetno = packetno_++;
    if (ogg_stream_packetin(&stream_, &packet) != 0) throw std::runtime_error("ogg packetin");
    ogg_page page;
    while (flush ? ogg_stream_flush(&stream_, &page) : ogg_stream_pageout(&stream_, &page)) {
      bytes_.insert(bytes_.end(), page.header, page.header + page.header_len);
      bytes_.insert(bytes_.end(), page.body, page.body + page.body_len);
    }
  }
  std::vector<uint8_t> finish() {
    ogg_page page;
    while (ogg_stream_flush(&stream_, &page)) {
      bytes_.insert(bytes_.end(), page.header, page.header + page.header_len);
      bytes_.insert(bytes_.end(), page.body, page.body + page.body_len);
    }
    return bytes_;
  }

 private:
  ogg_stream_state stream_;
  int64_t packetno_ = 0;
  std::vector<uint8_t> bytes_;
};

struct EncoderDeleter {
  void operator()(OpusMSEncoder* encoder) const { opus_multistream_encoder_destroy(encoder); }
};

}  // namespace

std::vector<uint8_t> opus_head(int channels, int pre_skip, int input_rate, int16_t gain_q8,
                               int family, int streams, int coupled,
                               const std::vector<uint8_t>& mapping) {
  std::vector<uint8_t> head = {'O', 'p', 'u', 's', 'H',
                               'e', 'a', 'd', 1,   static_cast<uint8_t>(channels)};
  put_le16(head, static_cast<uint32_t>(pre_skip));
  put_le32(head, static_cast<uint32_t>(input_rate));
  put_le16(head, static_cast<uint16_t>(gain_q8));
  head.push_back(static_cast<uint8_t>(family));
  if (family != 0) {
    head.push_back(static_cast<uint8_t>(streams));
    head.push_back(static_cast<uint8_t>(coupled));
    head.insert(head.end(), mapping.begin(), mapping.end());
  }
  return head;
}

std::vector<uint8_t> opus_tags() {
  std::vector<uint8_t> tags = {'O', 'p', 'u', 's', 'T', 'a', 'g', 's'};
  put_le32(tags, 4);
  tags.insert(tags.end(), {'t', 'e', 's', 't'});
  put_le32(tags, 0);
  return tags;
}

std::vector<uint8_t> encode_ogg_opus(const std::vector<int16_t>& interleaved,
                                     const OggOpusSpec& spec) {
  const int family = spec.mapping_family >= 0 ? spec.mapping_family : (spec.channels > 2 ? 1 : 0);
  int streams = 0;
  int coupled = 0;
  std::vector<uint8_t> mapping(static_cast<size_t>(spec.channels));
  int error = OPUS_OK;
  std::unique_ptr<OpusMSEncoder, EncoderDeleter> encoder(opus_multistream_surround_encoder_create(
      spec.sample_rate, spec.channels, family, &streams, &coupled, mapping.data(),
      OPUS_APPLICATION_AUDIO, &error));
  if (error != OPUS_OK) throw std::runtime_error(opus_strerror(error));
  opus_multistream_encoder_ctl(encoder.get(), OPUS_SET_BITRATE(spec.bitrate * streams));
  opus_int32 lookahead = 0;
  opus_multistream_encoder_ctl(encoder.get(), OPUS_GET_LOOKAHEAD(&lookahead));

  const int granule_scale = 48000 / spec.sample_rate;
  const int pre_skip = lookahead * granule_scale;
  const size_t frame = static_cast<size_t>(spec.sample_rate / 50);
  const size_t input_frames = interleaved.size() / static_cast<size_t>(spec.channels);
  // Feed the encoder's lookahead in zeros too, so the decoder can output every input sample.
  size_t padded_frames = input_frames + static_cast<size_t>(lookahead);
  padded_frames = (padded_frames + frame - 1) / frame * frame;
  std::vector<int16_t> padded(padded_frames * static_cast<size_t>(spec.channels), 0);
  std::copy(interleaved.begin(), interleaved.end(), padded.begin());

  OggWriter ogg;
  ogg.add(opus_head(spec.channels, pre_skip, spec.sample_rate, spec.output_gain_q8, family, streams,
                    coupled, mapping),
          0, true, false, true);
  ogg.add(opus_tags(), 0, false, false, true);

  std::vector<uint8_t> packet(4000 * static_cast<size_t>(streams));
  const int64_t end_granule = pre_skip + static_cast<int64_t>(input_frames) * granule_scale;
  for (size_t start = 0; start < padded_frames; start += frame) {
    int bytes = opus_multistream_encode(
        encoder.get(), &padded[start * static_cast<size_t>(spec.channels)], static_cast<int>(frame),
        packet.data(), static_cast<opus_int32>(packet.size()));
    if (bytes < 0) throw std::runtime_error(opus_strerror(bytes));
    bool last = start + frame >= padded_frames;
    int64_t granule = static_cast<int64_t>(start + frame) * granule_scale;
    if (last && spec.trim_end) granule = end_granule;
    ogg.add(std::vector<uint8_t>(packet.begin(), packet.begin() + bytes), granule, false, last,
            false);
  }
  return ogg.finish();
}

std::vector<uint8_t> ogg_file(const std::vector<std::vector<uint8_t>>& packets,
                              const std::vector<int64_t>& granules) {
  OggWriter ogg;
  for (size_t i = 0; i < packets.size(); ++i) {
    ogg.add(packets[i], granules.at(i), i == 0, i + 1 == packets.size(), true);
  }
  return ogg.finish();
}

OggPackets split_ogg(const std::vector<uint8_t>& bytes) {
  ogg_sync_state sync;
  ogg_sync_init(&sync);
  char* buffer = ogg_sync_buffer(&sync, static_cast<long>(bytes.size()));
  std::copy(bytes.begin(), bytes.end(), buffer);
  ogg_sync_wrote(&sync, static_cast<long>(bytes.size()));
  ogg_stream_state stream;
  bool started = false;
  OggPackets out;
  ogg_page page;
  while (ogg_sync_pageout(&sync, &page) == 1) {
    if (!started) {
      ogg_stream_init(&stream, ogg_page_serialno(&page));
      started = true;
    }
    ogg_stream_pagein(&stream, &page);
    ogg_packet packet;
    while (ogg_stream_packetout(&stream, &packet) == 1) {
      out.packets.emplace_back(packet.packet, packet.packet + packet.bytes);
      out.granules.push_back(packet.granulepos);
    }
  }
  if (started) ogg_stream_clear(&stream);
  ogg_sync_clear(&sync);
  return out;
}

}  // namespace callsim::media::test
