#include "stalled_server.h"

#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "raw_server.h"

namespace callsim::test {

namespace {

// One client frame (masked, as every client frame is), unmasked; false when the peer closed.
bool read_client_frame(int fd, std::string& payload) {
  std::string head;
  if (!RawSocketServer::read_exactly(fd, head, 2)) return false;
  uint64_t length = static_cast<uint8_t>(head[1]) & 0x7f;
  std::string extended;
  if (length >= 126) {
    const size_t bytes = length == 126 ? 2 : 8;
    if (!RawSocketServer::read_exactly(fd, extended, bytes)) return false;
    length = 0;
    for (char c : extended) length = (length << 8) | static_cast<uint8_t>(c);
  }
  std::string key;
  if (!RawSocketServer::read_exactly(fd, key, 4)) return false;
  payload.clear();
  if (!RawSocketServer::read_exactly(fd, payload, length)) return false;
  for (size_t i = 0; i < payload.size(); ++i) payload[i] ^= key[i % 4];
  return true;
}

std::string unmasked_frame(uint8_t first, const std::string& payload) {
  std::string frame(1, static_cast<char>(first));
  if (payload.size() < 126) {
    frame.push_back(static_cast<char>(payload.size()));
  } else {
    frame.push_back(126);
    frame.push_back(static_cast<char>(payload.size() >> 8));
    frame.push_back(static_cast<char>(payload.size() & 0xff));
  }
  return frame + payload;
}

}  // namespace

StalledServer::StalledServer(Flood flood, size_t count, int receive_buffer)
    : flood_(flood),
      count_(count),
      receive_buffer_(receive_buffer),
      server_([this](int fd, size_t) { serve(fd); }) {}

StalledServer::~StalledServer() {
  stopping_ = true;
}

void StalledServer::serve(int fd) {
  if (receive_buffer_ > 0) {
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer_, sizeof receive_buffer_);
  }
  std::string request;
  if (!RawSocketServer::read_until(fd, request, "\r\n\r\n")) return;
  std::string answer = RawServer::upgrade_then("");
  answer.replace(answer.find("{accept}"), 8, RawServer::accept_for(request));
  if (!RawSocketServer::write_all(fd, answer)) return;
  std::string stream_sid;
  for (std::string payload; stream_sid.empty() && read_client_frame(fd, payload);) {
    if (payload.find(R"("event":"start")") == std::string::npos) continue;
    const std::string key = R"("streamSid":")";
    const size_t at = payload.rfind(key);
    if (at == std::string::npos) return;
    stream_sid =
        payload.substr(at + key.size(), payload.find('"', at + key.size()) - at - key.size());
  }
  if (stream_sid.empty()) return;

  if (flood_ != Flood::kNone) {
    // Written in batches: one write per message would make the flood the test's slowest part.
    const std::string one =
        flood_ == Flood::kPings
            ? unmasked_frame(0x89, std::string(kPingPayloadBytes, 'p'))
            : unmasked_frame(0x81, R"({"event":"mark","streamSid":")" + stream_sid +
                                       R"(","mark":{"name":"m"}})");
    constexpr size_t kBatch = 4096;
    std::string batch;
    for (size_t i = 0; i < kBatch; ++i) batch += one;
    bool written = true;
    for (size_t sent = 0; written && sent < count_; sent += kBatch) {
      written = RawSocketServer::write_all(
          fd, count_ - sent >= kBatch ? batch : batch.substr(0, (count_ - sent) * one.size()));
    }
    if (written) ++floods_written_;
  }
  // Never read again, never close: only the destructor ends this.
  while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace callsim::test
