#include "raw_http_server.h"

#include <strings.h>
#include <unistd.h>

#include <sstream>

namespace callsim::test {

namespace {

size_t content_length(const std::string& head) {
  std::istringstream lines(head);
  std::string line;
  while (std::getline(lines, line)) {
    const std::string name = "content-length:";
    if (line.size() > name.size() && ::strncasecmp(line.c_str(), name.c_str(), name.size()) == 0) {
      return std::stoul(line.substr(name.size()));
    }
  }
  return 0;
}

}  // namespace

RawHttpServer::RawHttpServer(Answer answer)
    : answer_(std::move(answer)), server_([this](int fd, size_t) { serve(fd); }) {}

std::string RawHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path;
}

std::vector<RawHttpServer::Request> RawHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::string RawHttpServer::response(int status, const std::string& body,
                                    const std::string& content_type,
                                    const std::string& extra_headers) {
  return "HTTP/1.1 " + std::to_string(status) + " Scripted\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
         extra_headers + "\r\n" + body;
}

void RawHttpServer::serve(int fd) {
  Request request;
  if (!RawSocketServer::read_until(fd, request.head, "\r\n\r\n")) return;  // a TCP probe
  if (!RawSocketServer::read_exactly(fd, request.body, content_length(request.head))) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    request.number = requests_.size();
    requests_.push_back(request);
  }
  std::optional<std::string> bytes = answer_(request);
  if (!bytes) {
    char byte;
    while (::read(fd, &byte, 1) > 0) {
    }
    return;
  }
  RawSocketServer::write_all(fd, *bytes);
}

}  // namespace callsim::test
