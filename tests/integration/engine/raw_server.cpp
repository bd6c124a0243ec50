#include "raw_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace callsim::test {

namespace {

std::string accept_key(const std::string& key) {
  std::string joined = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(joined.data()), joined.size(), digest);
  unsigned char out[64];
  int n = EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::string header_value(const std::string& request, const std::string& lower_name) {
  std::string lower = request;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto at = lower.find("\r\n" + lower_name + ":");
  if (at == std::string::npos) return "";
  at += lower_name.size() + 3;
  while (at < request.size() && request[at] == ' ') ++at;
  return request.substr(at, request.find("\r\n", at) - at);
}

}  // namespace

std::string RawServer::upgrade_then(const std::string& after, const std::string& extra_headers) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Accept: {accept}\r\n" +
         extra_headers + "\r\n" + after;
}

std::string RawServer::accept_for(const std::string& request) {
  return accept_key(header_value(request, "sec-websocket-key"));
}

RawServer::RawServer(std::string answer) : answer_(std::move(answer)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listener_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { serve(); });
}

RawServer::~RawServer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
}

void RawServer::serve() {
  std::vector<int> open;
  while (!stopping_) {
    pollfd pfd{listener_, POLLIN, 0};
    if (::poll(&pfd, 1, 20) <= 0) continue;
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    open.push_back(fd);
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && !stopping_) {
      pollfd rfd{fd, POLLIN, 0};
      if (::poll(&rfd, 1, 20) <= 0) continue;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      request.append(buf, static_cast<size_t>(n));
    }
    std::string answer = answer_;
    auto at = answer.find("{accept}");
    if (at != std::string::npos) {
      answer.replace(at, 8, accept_key(header_value(request, "sec-websocket-key")));
    }
    for (size_t sent = 0; sent < answer.size();) {
      ssize_t n = ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
  }
  for (int fd : open) ::close(fd);
}

}  // namespace callsim::test
