#include "progress.h"

#include <unistd.h>

#include <fmt/format.h>

#include "run/terminal.h"

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
    // Cut to the terminal's width: a line that wraps cannot be redrawn in place.
    const std::string line =
        fit_width(format(totals, elapsed, gauge), terminal_width(::fileno(out_)));
    line_open_ = write(fmt::format("\r{}\x1b[K", line));
  } else {
    if (last_printed_.count() >= 0 && elapsed - last_printed_ < interval_) return;
    write(format(totals, elapsed, gauge) + "\n");
  }
  last_printed_ = elapsed;
}

void ProgressPrinter::finish() {
  if (line_open_) {
    write("\n");
    line_open_ = false;
  }
}

bool ProgressPrinter::write(const std::string& text) {
  // Progress is a convenience: a full disk or a reader that went away (`| head`) turns it off,
  // and the run goes on to its verdict and report.
  if (std::fwrite(text.data(), 1, text.size(), out_) == text.size() && std::fflush(out_) == 0) {
    return true;
  }
  std::clearerr(out_);
  enabled_ = false;
  return false;
}

}  // namespace callsim
