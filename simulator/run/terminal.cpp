#include "run/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace callsim {

namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kGreen = "\x1b[1;32m";
constexpr const char* kRed = "\x1b[1;31m";
constexpr const char* kYellow = "\x1b[1;33m";
constexpr const char* kDim = "\x1b[2m";

// render_verification_text's layout: name padded to 21 columns, a space, the RESULT word.
constexpr size_t kResultColumn = 22;
const std::string kGaugeNoneSkip = "SKIP    no gauge (--gauge none)";

const char* result_color(const std::string& word) {
  if (word == "PASS") return kGreen;
  if (word == "FAIL") return kRed;
  if (word == "SKIP") return kDim;
  return nullptr;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

int terminal_width(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n > 0) return n;
  }
  return 80;
}

bool use_color(Options::Color color, int fd) {
  if (color == Options::Color::kAlways) return true;
  if (color == Options::Color::kNever) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(fd) == 1;
}

std::string colorize_verdicts(const std::string& text) {
  std::string out;
  for (const std::string& line : lines_of(text)) {
    if (line.rfind("VERDICT: ", 0) == 0) {
      const std::string word = line.substr(9, line.find_first_of(" :(", 9) - 9);
      const char* color = word == "PASS" ? kGreen : word == "FAIL" ? kRed : kYellow;
      out += std::string(color) + line + kReset + "\n";
      continue;
    }
    if (line.size() >= kResultColumn + 4 && line[0] != ' ' && line[kResultColumn - 1] == ' ') {
      const std::string word = line.substr(kResultColumn, 4);
      if (const char* color = result_color(word)) {
        out += line.substr(0, kResultColumn) + color + word + kReset +
               line.substr(kResultColumn + 4) + "\n";
        continue;
      }
    }
    out += line + "\n";
  }
  return out;
}

std::string fit_width(const std::string& line, int width) {
  const size_t limit = width > 1 ? static_cast<size_t>(width - 1) : 1;
  size_t columns = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: same character
    if (columns == limit) return line.substr(0, i);
    ++columns;
  }
  return line;
}

bool gauge_moved(const GaugeTrace& trace) {
  std::optional<int64_t> first;
  auto differs = [&first](int64_t value) {
    if (!first) first = value;
    return value != *first;
  };
  for (const auto& sample : trace.samples) {
    if (differs(sample.value)) return true;
  }
  for (const auto& event : trace.events) {
    if (event.value && differs(*event.value)) return true;
  }
  return false;
}

std::string fold_load_only_skips(const std::string& table) {
  std::string out, folded;
  for (const std::string& line : lines_of(table)) {
    if (line.size() == kResultColumn + kGaugeNoneSkip.size() &&
        line.compare(kResultColumn, std::string::npos, kGaugeNoneSkip) == 0) {
      const std::string name = line.substr(0, line.find(' '));
      folded += (folded.empty() ? "" : ", ") + name;
      continue;
    }
    if (!folded.empty() && line.rfind("VERDICT: ", 0) == 0) {
      out += "load only: no cap checks on the gauge (--gauge none): " + folded + "\n";
      folded.clear();
    }
    out += line + "\n";
  }
  if (!folded.empty())
    out += "load only: no cap checks on the gauge (--gauge none): " + folded + "\n";
  return out;
}

}  // namespace callsim
