#pragma once

#include <cstddef>
#include <string_view>

namespace callsim {

// Files embedded in the binary at build time (simulator/run/html/embed.cmake), so that the HTML
// report needs no network when written or viewed: uPlot's release files
// (simulator/run/vendor/uplot/, MIT) and the report's own script and style
// (simulator/run/html/).
extern const char kUplotJs[];
extern const size_t kUplotJsSize;
extern const char kUplotCss[];
extern const size_t kUplotCssSize;
extern const char kUplotLicense[];
extern const size_t kUplotLicenseSize;
extern const char kReportJs[];
extern const size_t kReportJsSize;
extern const char kReportCss[];
extern const size_t kReportCssSize;

inline std::string_view asset(const char* bytes, size_t size) {
  return std::string_view(bytes, size);
}

}  // namespace callsim
