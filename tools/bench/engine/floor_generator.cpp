// The floor the engine benchmark measures callsim against: a generator that does nothing a
// Media Streams sender could skip. Raw non-blocking sockets, a hand-made upgrade, then for each
// call the same `connected`, `start` and `media` messages callsim sends (built by the same
// builders), masked as a client must mask, one write() per frame on absolute deadlines from one
// thread sleeping until the earliest deadline. No event library, no queue, no timers per call:
// what is left is the kernel's loopback TCP path and the message bytes themselves.
//
//   callsim-bench-floor PORT CALLS HOLD_SECONDS RAMP_SECONDS
//
// Prints its own CPU per frame and its send lateness; the receiver measures arrival lateness.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/histogram.h"
#include "core/process_usage.h"
#include "core/twilio_messages.h"
#include "media/base64.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFrame = std::chrono::milliseconds(20);
// Frames due this soon are sent in the same wake-up, as callsim's worker does (its kCoalesce):
// without it the floor would pay a sleep per frame that callsim does not.
constexpr auto kCoalesce = std::chrono::microseconds(200);

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "callsim-bench-floor: %s: %s\n", what.c_str(), std::strerror(errno));
  std::exit(1);
}

// A blocking connect and upgrade: set-up is not what the floor measures, and on loopback a
// thousand of them take a fraction of a second.
int open_stream(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("connect");
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const std::string request = fmt::format(
      "GET /ws/twilio-media HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n",
      port);
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    die("upgrade request");
  }
  std::string answer;
  char buffer[1024];
  while (answer.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) die("upgrade answer");
    answer.append(buffer, static_cast<size_t>(n));
  }
  if (answer.compare(0, 12, "HTTP/1.1 101") != 0) {
    std::fprintf(stderr, "callsim-bench-floor: upgrade refused: %s\n",
                 answer.substr(0, answer.find('\r')).c_str());
    std::exit(1);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// A client text frame: FIN + text, the mask bit, the length, a mask key, the masked payload.
class FrameWriter {
 public:
  void write(int fd, const std::string& payload) {
    frame_.clear();
    frame_.push_back(static_cast<char>(0x81));
    if (payload.size() < 126) {
      frame_.push_back(static_cast<char>(0x80 | payload.size()));
    } else {
      frame_.push_back(static_cast<char>(0x80 | 126));
      frame_.push_back(static_cast<char>((payload.size() >> 8) & 0xFF));
      frame_.push_back(static_cast<char>(payload.size() & 0xFF));
    }
    // xorshift: a mask key per frame, as RFC 6455 asks, at no measurable cost.
    key_ ^= key_ << 13;
    key_ ^= key_ >> 17;
    key_ ^= key_ << 5;
    char key[4];
    std::memcpy(key, &key_, 4);
    frame_.append(key, 4);
    const size_t offset = frame_.size();
    frame_.append(payload);
    for (size_t i = 0; i < payload.size(); ++i) frame_[offset + i] ^= key[i & 3];
    ssize_t n = ::write(fd, frame_.data(), frame_.size());
    if (n != static_cast<ssize_t>(frame_.size())) ++short_writes_;
  }
  uint64_t short_writes() const { return short_writes_; }

 private:
  std::string frame_;
  uint32_t key_ = 0x9E3779B9u;
  uint64_t short_writes_ = 0;
};

struct Stream {
  int fd = -1;
  Clock::time_point start;
  uint64_t frames = 0;
  uint64_t sequence = 0;
  std::string stream_sid;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: callsim-bench-floor PORT CALLS HOLD_SECONDS RAMP_SECONDS\n");
    return 2;
  }
  const auto port = static_cast<uint16_t>(std::atoi(argv[1]));
  const int calls = std::atoi(argv[2]);
  const auto hold = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::atof(argv[3])));
  const auto ramp = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::atof(argv[4])));
  const uint64_t frames_per_call = static_cast<uint64_t>(hold / kFrame);

  const double cpu_before = callsim::process_usage().cpu_seconds;
  const Clock::time_point setup_began = Clock::now();
  std::vector<Stream> streams(static_cast<size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    streams[i].fd = open_stream(port);
    streams[i].stream_sid = fmt::format("MZ{:032x}", static_cast<unsigned>(i + 1));
  }
  const double setup_seconds = std::chrono::duration<double>(Clock::now() - setup_began).count();

  // The payload is one 20 ms frame of μ-law silence: the floor does not read audio.
  const std::string payload = callsim::media::base64_encode(std::string(160, '\xFF'));
  callsim::StreamIdentity ids;
  FrameWriter writer;
  std::string message;
  callsim::LatencyHistogram lateness;

  using Due = std::pair<Clock::time_point, size_t>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due;
  const Clock::time_point epoch = Clock::now();
  for (int i = 0; i < calls; ++i) {
    streams[i].start = epoch + (calls > 1 ? ramp * i / (calls - 1) : Clock::duration{0});
    due.push({streams[i].start, static_cast<size_t>(i)});
  }

  uint64_t frames = 0;
  while (!due.empty()) {
    const auto [deadline, index] = due.top();
    const Clock::time_point now = Clock::now();
    if (now + kCoalesce < deadline) {
      const auto since_epoch = deadline.time_since_epoch();
      timespec until{};
      until.tv_sec = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
      until.tv_nsec = (since_epoch - std::chrono::seconds(until.tv_sec)).count();
      // steady_clock is CLOCK_MONOTONIC on Linux, so its deadlines are absolute here too.
      ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr);
      continue;
    }
    due.pop();
    Stream& stream = streams[index];
    if (stream.sequence == 0) {
      ids.stream_sid = stream.stream_sid;
      ids.call_sid = "CA" + stream.stream_sid.substr(2);
      ids.account_sid = "AC" + stream.stream_sid.substr(2);
      callsim::build_connected(message);
      writer.write(stream.fd, message);
      callsim::build_start(message, ids, ++stream.sequence, {});
      writer.write(stream.fd, message);
    }
    if (stream.frames == frames_per_call) {
      ::close(stream.fd);
      continue;
    }
    lateness.record(std::max(Clock::duration{0}, Clock::now() - deadline));
    callsim::build_media(message, stream.stream_sid, ++stream.sequence, stream.frames + 1,
                         stream.frames * 20, payload);
    writer.write(stream.fd, message);
    ++stream.frames;
    ++frames;
    due.push({stream.start + kFrame * stream.frames, index});
  }
  const double cpu = callsim::process_usage().cpu_seconds - cpu_before;
  const double wall = std::chrono::duration<double>(Clock::now() - setup_began).count();
  fmt::print(
      "floor: {} calls, {} frames, {:.2f} us CPU per frame, {:.1f} % of a core over {:.1f} s; "
      "send lateness p99 {:.3f} ms, max {:.3f} ms; {} short writes; set-up {:.2f} s\n",
      calls, frames, frames ? cpu * 1e6 / frames : 0.0, 100 * cpu / wall, wall,
      lateness.percentile(99).count() / 1e6, lateness.max().count() / 1e6, writer.short_writes(),
      setup_seconds);
  return 0;
}
