#include "child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace callsim::test {

namespace {
int decode_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}
}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::string& output_path)
    : ChildProcess(std::move(argv), output_path, -1, -1) {}

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::string& output_path,
                           int stdout_fd, int stderr_fd)
    : output_path_(output_path) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);

  int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) throw std::runtime_error("ChildProcess: cannot open " + output_path);
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(out);
    throw std::runtime_error("ChildProcess: fork failed");
  }
  if (pid_ == 0) {
    ::dup2(stdout_fd >= 0 ? stdout_fd : out, STDOUT_FILENO);
    ::dup2(stderr_fd >= 0 ? stderr_fd : out, STDERR_FILENO);
    // As a shell starts it: a write to a closed pipe kills unless the program says otherwise.
    ::signal(SIGPIPE, SIG_DFL);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    // A process group of its own, so stop() also reaches anything the child starts.
    ::setpgid(0, 0);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "exec %s failed\n", args[0]);
    ::_exit(127);
  }
  ::close(out);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) stop(std::chrono::milliseconds(1000));
}

bool ChildProcess::running() {
  return !wait_for(std::chrono::milliseconds(0)).has_value();
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int raw = 0;
    pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == pid_) {
      status_ = decode_status(raw);
      return status_;
    }
    if (r < 0) {
      status_ = -1;
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void ChildProcess::signal(int signo) {
  if (pid_ > 0 && !status_) ::kill(pid_, signo);
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  signal(SIGTERM);
  if (auto s = wait_for(grace)) return *s;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  return wait_for(std::chrono::milliseconds(5000)).value_or(-1);
}

std::string ChildProcess::output() const {
  std::ifstream in(output_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/callsim-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("TempDir: mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

int free_tcp_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("free_tcp_port: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("free_tcp_port: bind failed");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace callsim::test
