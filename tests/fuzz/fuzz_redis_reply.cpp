// RESP replies as a hostile Redis would send them, through the path callsim's gauge reader
// takes: a real hiredis connection (over a Unix socket to a server thread here that answers with
// the input's bytes, whatever is asked) and RedisGaugeReader's interpretation of the replies.
// The first byte picks the gauge kind and the operation; the rest is the server's whole output,
// connection handshake (PING) included, followed by EOF.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "core/errors.h"
#include "core/redis_url.h"
#include "fuzz_input.h"
#include "gauge/gauge_reader.h"
#include "gauge/key_state.h"

namespace {

struct Listener {
  std::string path;
  int fd = -1;

  Listener() {
    signal(SIGPIPE, SIG_IGN);  // the client may hang up before reading every byte
    path = "/tmp/callsim-fuzz-redis-" + std::to_string(getpid()) + ".sock";
    unlink(path.c_str());
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(fd, 4) != 0) {
      std::perror("fuzz_redis_reply: listen");
      std::abort();
    }
  }
  ~Listener() {
    close(fd);
    unlink(path.c_str());
  }
};

// Answers one connection with `bytes`, then EOF, and reads what the client sent until it hangs up.
void serve(int listen_fd, std::string_view bytes) {
  int conn = accept(listen_fd, nullptr, nullptr);
  if (conn < 0) return;
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = write(conn, bytes.data() + sent, bytes.size() - sent);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  shutdown(conn, SHUT_WR);
  char sink[4096];
  while (read(conn, sink, sizeof sink) > 0) {
  }
  close(conn);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static Listener listener;
  static const callsim::GaugeKind kinds[] = {
      callsim::GaugeKind::kRedisGet, callsim::GaugeKind::kRedisScard,
      callsim::GaugeKind::kRedisHlen, callsim::GaugeKind::kRedisZcard};
  callsim::GaugeSpec spec{kinds[data[0] % 4], "g", "", ""};
  int operation = (data[0] / 4) % 4;
  std::string_view replies(reinterpret_cast<const char*>(data) + 1, size - 1);

  (void)callsim::parse_redis_integer(replies);
  (void)callsim::parse_redis_double(replies);

  std::thread server(serve, listener.fd, replies);
  {
    callsim::RedisGaugeReader reader(spec, callsim::parse_redis_url("unix://" + listener.path),
                                     std::chrono::seconds(2));
    try {
      reader.connect();
      switch (operation) {
        case 0:
          (void)reader.read();
          break;
        case 1:
          reader.verify();
          break;
        case 2:
          (void)reader.checkpoint("n:1", false);
          break;
        default:
          (void)reader.checkpoint("n:1", true);
          break;
      }
    } catch (const callsim::UnreachableError&) {
      // a closed connection or a refused command: what a broken server gets
    }
  }  // the reader hangs up here, which ends the server thread's read loop
  server.join();
  return 0;
}
