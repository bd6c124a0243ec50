#include "capacity_junit.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <sstream>

#include "core/errors.h"

namespace callsim {

namespace {

constexpr const char* kCounted[] = {"tests", "failures", "errors", "skipped"};

}  // namespace

std::string merge_capacity_junit(const std::vector<CapacityJunitStep>& steps) {
  pugi::xml_document merged;
  auto declaration = merged.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = merged.append_child("testsuites");
  root.append_attribute("name") = "callsim capacity";
  long long totals[std::size(kCounted)] = {};
  double time = 0;
  for (const CapacityJunitStep& step : steps) {
    pugi::xml_document doc;
    if (!doc.load_string(step.xml.c_str())) {
      throw InputError(
          fmt::format("--junit: the {}-call step's JUnit XML is unreadable", step.concurrent));
    }
    const pugi::xml_node suites = doc.child("testsuites");
    for (size_t i = 0; i < std::size(kCounted); ++i) {
      totals[i] += suites.attribute(kCounted[i]).as_llong();
    }
    time += suites.attribute("time").as_double();
    for (pugi::xml_node suite : suites.children("testsuite")) {
      pugi::xml_node copy = root.append_copy(suite);
      // "callsim" or "callsim burst 2" becomes "callsim capacity 40 calls" and "... burst 2".
      const std::string name = suite.attribute("name").as_string();
      const std::string rest = name.rfind("callsim", 0) == 0 ? name.substr(7) : " " + name;
      copy.attribute("name") =
          fmt::format("callsim capacity {} calls{}", step.concurrent, rest).c_str();
    }
  }
  for (size_t i = 0; i < std::size(kCounted); ++i) {
    root.append_attribute(kCounted[i]) = totals[i];
  }
  root.append_attribute("time") = fmt::format("{:.3f}", time).c_str();
  std::ostringstream out;
  merged.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace callsim
