// --record: a few calls' audio, both sides on one timeline (core/call_recording.h), written by
// the run's recorder thread (run/call_recorder.h) once the call ends. Only claimed calls pay for
// it: the rest see one null check per frame.
#include <algorithm>

#include "media/base64.h"
#include "run/basic_worker.h"
#include "run/call_recorder.h"

namespace callsim {

namespace {

// Past its hold a call is only closing: a second covers a late last frame and the close.
constexpr Nanos kRecordingSlack = std::chrono::seconds(1);

}  // namespace

template <typename Client>
void BasicWorker<Client>::start_recording(Call& call, TimePoint now) {
  if (!settings_.recorder || !settings_.recorder->claim(call.record.index)) return;
  call.recording = std::make_unique<CallRecording>(now, settings_.hold + kRecordingSlack);
  if (record_scratch_.capacity() < 4096) record_scratch_.reserve(4096);
}

template <typename Client>
void BasicWorker<Client>::record_caller_frame(Call& call, std::string_view payload_base64) {
  if (!media::base64_decode_into(payload_base64, record_scratch_)) return;
  call.recording->add_caller(call.pacer.deadline(call.pacer.next_frame()), record_scratch_.data(),
                             record_scratch_.size());
}

template <typename Client>
void BasicWorker<Client>::record_bot_media(Call& call, TimePoint now,
                                           std::string_view payload_base64, uint64_t accepted) {
  if (accepted == 0 || !media::base64_decode_into(payload_base64, record_scratch_)) return;
  call.recording->add_bot(now, record_scratch_.data(),
                          std::min<size_t>(accepted, record_scratch_.size()));
}

template <typename Client>
void BasicWorker<Client>::submit_recording(Call& call, TimePoint now) {
  // The caller hung up at hung_up; what the bot had queued beyond it was never heard.
  call.recording->end(call.record.hung_up != TimePoint{} ? call.record.hung_up : now);
  settings_.recorder->submit(call.record.index, call.record.ids.call_sid,
                             std::move(call.recording));
}

#define CALLSIM_INSTANTIATE_RECORD(Client)                                                \
  template void BasicWorker<Client>::start_recording(Call&, TimePoint);                   \
  template void BasicWorker<Client>::record_caller_frame(Call&, std::string_view);        \
  template void BasicWorker<Client>::record_bot_media(Call&, TimePoint, std::string_view, \
                                                      uint64_t);                          \
  template void BasicWorker<Client>::submit_recording(Call&, TimePoint);
CALLSIM_INSTANTIATE_RECORD(WsClient)
CALLSIM_INSTANTIATE_RECORD(WssClient)

}  // namespace callsim
