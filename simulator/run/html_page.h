#pragma once

#include <string>
#include <string_view>

namespace callsim {

// The frame both HTML reports (a run's --html and capacity's) share: one self-contained page
// with uPlot's and the report's style, `body` as given, the #render-status element the browser
// test reads, `data_json` as the page's data (#callsim-data), uPlot (with its licence) and the
// report's script. Nothing is fetched when it is viewed.
std::string self_contained_page(const std::string& title, const std::string& body,
                                const std::string& data_json);

// JSON made safe to sit inside a <script> element: '<' written as \u003c, so that no string in
// it can end the element.
std::string json_for_script(std::string_view json);

}  // namespace callsim
