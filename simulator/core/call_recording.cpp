#include "call_recording.h"

#include <algorithm>
#include <cstring>

namespace callsim {

CallRecording::CallRecording(TimePoint origin, Nanos expected) : origin_(origin) {
  const Nanos length = std::clamp(expected, Nanos(0), kMaxLength);
  const auto samples = static_cast<size_t>(length / kNanosPerSample);
  caller_.assign(samples, kSilence);
  bot_.assign(samples, kSilence);
}

size_t CallRecording::sample_at(TimePoint t) const {
  if (t <= origin_) return 0;
  return static_cast<size_t>((t - origin_) / kNanosPerSample);
}

size_t CallRecording::place(std::vector<uint8_t>& channel, size_t from, const uint8_t* ulaw,
                            size_t size) {
  const size_t fits = from >= channel.size() ? 0 : std::min(size, channel.size() - from);
  if (fits > 0) std::memcpy(channel.data() + from, ulaw, fits);
  return from + size;
}

void CallRecording::add_caller(TimePoint at, const uint8_t* ulaw, size_t size) {
  if (ended_) return;
  caller_end_ = std::max(caller_end_, place(caller_, sample_at(at), ulaw, size));
  length_ = std::min(std::max(length_, caller_end_), capacity());
}

void CallRecording::add_bot(TimePoint now, const uint8_t* ulaw, size_t size) {
  if (ended_ || size == 0) return;
  const size_t from = std::max(bot_end_, sample_at(now));
  bot_end_ = place(bot_, from, ulaw, size);
  length_ = std::min(std::max(length_, bot_end_), capacity());
}

void CallRecording::clear_bot(TimePoint now) {
  if (ended_) return;
  const size_t cut = sample_at(now);
  if (bot_end_ <= cut) return;
  const size_t stop = std::min(bot_end_, capacity());
  if (cut < stop) std::memset(bot_.data() + cut, kSilence, stop - cut);
  bot_end_ = cut;
  length_ = std::min(std::max(cut, caller_end_), capacity());
}

void CallRecording::end(TimePoint at) {
  if (ended_) return;
  ended_ = true;
  const size_t heard = std::max(sample_at(at), caller_end_);
  // Bot audio queued past the capacity but cut by the hang-up was never heard: not a loss.
  truncated_ = heard > capacity();
  const size_t last = std::min(heard, capacity());
  // What the bot queued to play after the hang-up is not part of the call.
  if (bot_end_ > last)
    std::memset(bot_.data() + last, kSilence, std::min(bot_end_, capacity()) - last);
  length_ = last;
}

}  // namespace callsim
