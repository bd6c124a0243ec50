#include "html_page.h"

#include <fmt/format.h>

#include "core/markup_escape.h"
#include "run/html_assets.h"

namespace callsim {

std::string self_contained_page(const std::string& title, const std::string& body,
                                const std::string& data_json) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<title>{}</title>\n", markup_escape(title));
  page += "<style>\n";
  page += asset(kUplotCss, kUplotCssSize);
  page += "\n";
  page += asset(kReportCss, kReportCssSize);
  page += "</style>\n</head>\n<body>\n";
  page += body;
  page += "<pre id=\"render-status\" data-state=\"loading\">{\"state\":\"loading\"}</pre>\n";
  page += "<script type=\"application/json\" id=\"callsim-data\">";
  page += data_json;
  page += "</script>\n<script>\n/* uPlot (MIT): https://github.com/leeoniya/uPlot\n";
  page += asset(kUplotLicense, kUplotLicenseSize);
  page += "*/\n";
  page += asset(kUplotJs, kUplotJsSize);
  page += "\n</script>\n<script>\n";
  page += asset(kReportJs, kReportJsSize);
  page += "</script>\n</body>\n</html>\n";
  return page;
}

std::string json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace callsim
