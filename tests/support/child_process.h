#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace callsim::test {

// A child process started with execvp, its stdout and stderr captured in a file, so tests can
// run real binaries (redis-server, callsim, callsim-bot) and read what they printed.
// The destructor kills whatever is still running: a failed assertion never leaks a process.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, const std::string& output_path);
  // The same with the child's stdout and/or stderr on the given descriptors instead (-1: the
  // output file), e.g. /dev/full or a pipe whose reader is gone.
  ChildProcess(std::vector<std::string> argv, const std::string& output_path, int stdout_fd,
               int stderr_fd);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  // Exit status (or 128 + signal) once the process ended within the timeout.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  void signal(int signo);
  // SIGTERM, then SIGKILL after the grace period; returns the exit status.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string output_path_;
};

// A fresh private directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it for a bound socket).
int free_tcp_port();

// Polls `ready` every few milliseconds until it returns true or the timeout passes.
template <typename Predicate>
bool eventually(Predicate ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    struct timespec nap {
      0, 5'000'000
    };
    nanosleep(&nap, nullptr);
  }
  return ready();
}

}  // namespace callsim::test
