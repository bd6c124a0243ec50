#include "headless_chromium.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "child_process.h"

namespace callsim::test {

namespace {

using namespace std::chrono_literals;

// A loaded 2-core machine can take several seconds to start a browser.
constexpr auto kBrowserTimeout = 90s;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// As root in a container: no sandbox, no GPU, no /dev/shm (often 64 MB), nothing first-run.
std::vector<std::string> chromium_argv(const std::string& profile) {
  return {"chromium",
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--no-first-run",
          "--no-default-browser-check",
          "--disable-extensions",
          "--disable-background-networking",
          "--user-data-dir=" + profile,
          "--enable-logging=stderr",
          "--v=0",
          "--virtual-time-budget=10000"};
}

std::string decode_entities(std::string text) {
  const std::pair<const char*, const char*> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::string(entity).size(), plain);
    }
  }
  return text;
}

struct Run {
  bool ok = false;
  std::string out, err;
};

Run run_chromium(std::vector<std::string> extra, const std::string& url) {
  TempDir dir;
  std::vector<std::string> argv = chromium_argv(dir.path() + "/profile");
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  const std::string err_path = dir.path() + "/stderr.txt";
  int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  Run run;
  {
    ChildProcess chromium(argv, dir.path() + "/stdout.txt", -1, err_fd);
    std::optional<int> status = chromium.wait_for(kBrowserTimeout);
    if (!status) chromium.stop();
    run.ok = status == 0;
    run.out = chromium.output();
  }
  ::close(err_fd);
  run.err = read_file(err_path);
  return run;
}

}  // namespace

PageReading load_page(const std::string& html_path) {
  Run run = run_chromium({"--dump-dom"}, "file://" + html_path);
  PageReading page;
  page.ran = run.ok;
  page.log = run.err;
  std::istringstream lines(run.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") != std::string::npos) page.console.push_back(line);
  }
  const std::string open = "<pre id=\"render-status\"";
  const size_t at = run.out.find(open);
  if (at == std::string::npos) return page;
  const size_t state_at = run.out.find("data-state=\"", at);
  const size_t text_at = run.out.find('>', at);
  const size_t close = run.out.find("</pre>", text_at);
  if (text_at == std::string::npos || close == std::string::npos) return page;
  if (state_at != std::string::npos && state_at < text_at) {
    const size_t from = state_at + 12;
    page.state = run.out.substr(from, run.out.find('"', from) - from);
  }
  page.render_status = decode_entities(run.out.substr(text_at + 1, close - text_at - 1));
  return page;
}

bool screenshot_page(const std::string& html_path, const std::string& png_path, int width,
                     int height) {
  ::unlink(png_path.c_str());
  Run run = run_chromium(
      {"--hide-scrollbars", "--window-size=" + std::to_string(width) + "," + std::to_string(height),
       "--screenshot=" + png_path},
      "file://" + html_path);
  struct stat info {};
  return run.ok && ::stat(png_path.c_str(), &info) == 0 && info.st_size > 0;
}

}  // namespace callsim::test
