#pragma once

#include <string>
#include <vector>

namespace callsim::test {

// What Debian's chromium, headless, made of a page: the #render-status JSON the report's script
// publishes, the console messages it logged, and whether it ran at all.
struct PageReading {
  bool ran = false;                  // chromium exited 0 within its timeout
  std::string render_status;         // #render-status's text, entities decoded; "" when missing
  std::string state;                 // its data-state attribute ("drawn" when every plot drew)
  std::vector<std::string> console;  // "[...:CONSOLE:...] message" lines from chromium's log
  std::string log;                   // chromium's stderr, for failure messages
};

// Loads `html_path` (a file) with its scripts run to completion (--virtual-time-budget), and
// dumps the DOM. A fresh profile directory each time, so tests may run side by side.
PageReading load_page(const std::string& html_path);

// Saves a screenshot of the page (width x height CSS pixels) to `png_path`; true when written.
bool screenshot_page(const std::string& html_path, const std::string& png_path, int width,
                     int height);

}  // namespace callsim::test
