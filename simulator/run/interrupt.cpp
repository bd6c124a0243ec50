#include "interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace callsim {

namespace {
std::atomic<int> interrupts{0};

void on_signal(int) {
  if (interrupts.fetch_add(1) >= 1) {
    static const char kMessage[] = "\ncallsim: interrupted twice, exiting now\n";
    ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    (void)ignored;
    ::_exit(130);
  }
}
}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  // A closed terminal or a CI runner's hang-up ends the run like Ctrl-C: calls drained, report
  // written. Unless SIGHUP came in ignored: that is `nohup` asking for the run to go on.
  struct sigaction inherited {};
  ::sigaction(SIGHUP, nullptr, &inherited);
  if (inherited.sa_handler != SIG_IGN) ::sigaction(SIGHUP, &action, nullptr);
  // A server that resets the connection must not kill us through a write on a dead socket.
  ::signal(SIGPIPE, SIG_IGN);
}

bool interrupt_requested() {
  return interrupts.load() > 0;
}

void reset_interrupt_for_test() {
  interrupts.store(0);
}

}  // namespace callsim
