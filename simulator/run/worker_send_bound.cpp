// A server that stops reading: websocketpp queues whatever it is given without limit, so a server
// that floods pings or marks and never reads would grow callsim's memory by hundreds of MB. Each
// call's share of websocketpp is bounded here; what did not fit is counted, and the call is
// classified by it. What the server left unread when the call ended is recorded too.
#include <linux/sockios.h>
#include <sys/ioctl.h>

#include <algorithm>

#include <fmt/format.h>

#include "run/basic_worker.h"

namespace callsim {

namespace {

// Everything websocketpp holds for one call (audio, pongs, mark echoes, control): about 1 MiB,
// and a frame count, because an empty pong is 6 bytes on the wire but a few hundred in memory.
constexpr size_t kSendBoundBytes = 1024 * 1024;
constexpr size_t kSendBoundFrames = 4096;

// Bytes the kernel holds for the socket and has not sent yet. Not SIOCOUTQ: bytes in flight,
// waiting only for their acknowledgement, are not held back by the server.
uint64_t kernel_unsent(int fd) {
  int unsent = 0;
  if (fd < 0 || ::ioctl(fd, SIOCOUTQNSD, &unsent) != 0 || unsent < 0) return 0;
  return static_cast<uint64_t>(unsent);
}

}  // namespace

template <typename Client>
bool BasicWorker<Client>::fits_send_bound(Call& call, size_t payload_size) {
  if (call.sender.held_frames() < kSendBoundFrames &&
      call.sender.held_bytes() + PreparedTextSender::frame_size(payload_size) <= kSendBoundBytes) {
    return true;
  }
  // Two servers get here: one that stopped reading (the kernel's send queue is full behind the
  // bound), and one that sends faster than websocketpp writes (one read of 16 KiB can carry 8,000
  // pings, and websocketpp writes small frames a few dozen at a time). The first refusal says
  // which it was.
  if (!call.send_refused) {
    call.send_refused = true;
    call.refused_with_kernel_unsent =
        kernel_unsent(call.connection->get_raw_socket().native_handle());
  }
  return false;
}

template <typename Client>
void BasicWorker<Client>::note_send_queue(Call& call) {
  call.record.send_queue_peak_bytes =
      std::max<uint64_t>(call.record.send_queue_peak_bytes, call.sender.held_bytes());
  call.record.send_queue_peak_frames =
      std::max<uint64_t>(call.record.send_queue_peak_frames, call.sender.held_frames());
}

template <typename Client>
bool BasicWorker<Client>::on_ping(uint32_t slot, const std::string& payload) {
  Call& call = *slots_[slot];
  ++call.record.pings_received;
  if (!fits_send_bound(call, payload.size())) {
    ++call.record.pongs_unsent;
  } else if (!call.sender.send_pong(call.connection, payload)) {
    note_send_queue(call);
  }
  // websocketpp's own pong would be queued beside the bound, uncounted.
  return false;
}

template <typename Client>
void BasicWorker<Client>::record_unread(Call& call) {
  if (call.unread_recorded || !call.connection) return;
  call.unread_recorded = true;
  call.record.unread_socket_bytes =
      kernel_unsent(call.connection->get_raw_socket().native_handle());
  call.record.unread_queued_bytes = call.connection->get_buffered_amount();
  // With nothing waiting in the kernel or behind the write in progress, the frames websocketpp
  // still holds were written and only their completion has not run yet.
  if (call.record.unread_bytes() > 0) call.record.unread_frames = call.sender.held_frames();
}

template <typename Client>
Outcome BasicWorker<Client>::judge_reading(Call& call, Outcome outcome) {
  const CallRecord& r = call.record;
  if (outcome != Outcome::kCompleted ||
      r.pongs_unsent + r.mark_echoes_unsent + r.frames_congested == 0) {
    return outcome;
  }
  std::string what = fmt::format(
      "{}: {} pongs and {} mark echoes not sent, {} audio frames dropped, up to {} bytes in {} "
      "frames queued",
      !call.send_refused || call.refused_with_kernel_unsent > 0
          ? "server stopped reading"
          : "server sent faster than callsim could write its replies",
      r.pongs_unsent, r.mark_echoes_unsent, r.frames_congested, r.send_queue_peak_bytes,
      r.send_queue_peak_frames);
  call.record.error = call.record.error.empty() ? what : what + "; " + call.record.error;
  return Outcome::kStoppedReading;
}

#define CALLSIM_INSTANTIATE_SEND_BOUND(Client)                              \
  template bool BasicWorker<Client>::fits_send_bound(Call&, size_t);        \
  template void BasicWorker<Client>::note_send_queue(Call&);                \
  template bool BasicWorker<Client>::on_ping(uint32_t, const std::string&); \
  template void BasicWorker<Client>::record_unread(Call&);                  \
  template Outcome BasicWorker<Client>::judge_reading(Call&, Outcome);
CALLSIM_INSTANTIATE_SEND_BOUND(WsClient)
CALLSIM_INSTANTIATE_SEND_BOUND(WssClient)

}  // namespace callsim
