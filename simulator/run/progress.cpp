#include "progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace callsim {

ProgressPrinter::ProgressPrinter(Options::Progress mode, Nanos interval, std::FILE* out)
    : interval_(interval), out_(out) {
  switch (mode) {
    case Options::Progress::kAuto:
      tty_ = ::isatty(::fileno(out)) == 1;
      break;
    case Options::Progress::kTty:
      tty_ = true;
      break;
    case Options::Progress::kPlain:
      tty_ = false;
      break;
    case Options::Progress::kOff:
      enabled_ = false;
      break;
  }
}

std::string ProgressPrinter::format(const WorkerProgress& t, Nanos elapsed,
                                    std::optional<int64_t> gauge) {
  std::string line = fmt::format(
      "[{:6.1f}s] live {} (admitted {}) | ended {} | rejected {} | failed {} | frames {} | "
      "p99 lateness {:.2f} ms",
      elapsed.count() / 1e9, t.live, t.admitted, t.ended, t.rejected, t.failed, t.frames_sent,
      t.lateness_p99.count() / 1e6);
  if (gauge) line += fmt::format(" | gauge {}", *gauge);
  return line;
}

void ProgressPrinter::update(const WorkerProgress& totals, Nanos elapsed,
                             std::optional<int64_t> gauge) {
  if (!enabled_) return;
  if (tty_) {
    if (last_printed_.count() >= 0 && elapsed - last_printed_ < std::chrono::milliseconds(200)) {
      return;
    }
    fmt::print(out_, "\r{}\x1b[K", format(totals, elapsed, gauge));
    std::fflush(out_);
    line_open_ = true;
  } else {
    if (last_printed_.count() >= 0 && elapsed - last_printed_ < interval_) return;
    fmt::print(out_, "{}\n", format(totals, elapsed, gauge));
    std::fflush(out_);
  }
  last_printed_ = elapsed;
}

void ProgressPrinter::finish() {
  if (line_open_) {
    std::fputc('\n', out_);
    line_open_ = false;
  }
}

}  // namespace callsim
