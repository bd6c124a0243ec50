#include "raw_socket_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace callsim::test {

struct RawSocketServer::Impl {
  Serve serve;
  int listen_fd = -1;
  int port = 0;
  std::thread acceptor;
  mutable std::mutex mutex;
  std::vector<int> open_fds;
  std::vector<std::thread> handlers;
  std::atomic<bool> stopping{false};

  void accept_loop() {
    for (size_t number = 0;; ++number) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (stopping) return;
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) {
        ::close(fd);
        return;
      }
      open_fds.push_back(fd);
      handlers.emplace_back([this, fd, number] {
        serve(fd, number);
        // The fd stays open until the destructor, so its number cannot be reused meanwhile.
        ::shutdown(fd, SHUT_RDWR);
      });
    }
  }
};

RawSocketServer::RawSocketServer(Serve serve) : impl_(std::make_unique<Impl>()) {
  impl_->serve = std::move(serve);
  impl_->listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (impl_->listen_fd < 0 ||
      ::bind(impl_->listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(impl_->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::listen(impl_->listen_fd, 128) != 0) {
    throw std::runtime_error("RawSocketServer: cannot listen on 127.0.0.1");
  }
  impl_->port = ntohs(addr.sin_port);
  impl_->acceptor = std::thread([impl = impl_.get()] { impl->accept_loop(); });
}

RawSocketServer::~RawSocketServer() {
  impl_->stopping = true;
  ::shutdown(impl_->listen_fd, SHUT_RDWR);
  impl_->acceptor.join();
  ::close(impl_->listen_fd);
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    for (int fd : impl_->open_fds) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& handler : impl_->handlers) handler.join();
  for (int fd : impl_->open_fds) ::close(fd);
}

int RawSocketServer::port() const {
  return impl_->port;
}

size_t RawSocketServer::connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->open_fds.size();
}

bool RawSocketServer::read_until(int fd, std::string& text, const std::string& terminator) {
  char byte;
  while (text.size() < terminator.size() ||
         text.compare(text.size() - terminator.size(), terminator.size(), terminator) != 0) {
    if (::read(fd, &byte, 1) != 1) return false;
    text.push_back(byte);
  }
  return true;
}

bool RawSocketServer::read_exactly(int fd, std::string& text, size_t count) {
  char buffer[4096];
  while (count > 0) {
    ssize_t n = ::read(fd, buffer, std::min(count, sizeof buffer));
    if (n <= 0) return false;
    text.append(buffer, static_cast<size_t>(n));
    count -= static_cast<size_t>(n);
  }
  return true;
}

bool RawSocketServer::write_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace callsim::test
