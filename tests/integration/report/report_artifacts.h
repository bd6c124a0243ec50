#pragma once

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace callsim::test {

// Where the report tests keep what a person may want to look at (HTML, CSV, screenshots):
// build/tests/integration/report/artifacts/.
inline std::string artifact(const std::string& name) {
  ::mkdir(CALLSIM_REPORT_ARTIFACTS, 0755);
  return std::string(CALLSIM_REPORT_ARTIFACTS) + "/" + name;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A CSV without quoted fields (the time series has none) as rows of column -> text.
struct Csv {
  std::string header;
  std::vector<std::map<std::string, std::string>> rows;

  static Csv parse(const std::string& text) {
    Csv csv;
    std::istringstream lines(text);
    std::vector<std::string> names;
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> fields;
      std::stringstream ss(line);
      for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
      if (!line.empty() && line.back() == ',') fields.emplace_back();
      if (csv.header.empty()) {
        csv.header = line;
        names = fields;
        continue;
      }
      std::map<std::string, std::string> row;
      for (size_t i = 0; i < names.size(); ++i) row[names[i]] = i < fields.size() ? fields[i] : "?";
      row["#fields"] = std::to_string(fields.size());
      csv.rows.push_back(row);
    }
    return csv;
  }

  long sum(const std::string& column) const {
    long total = 0;
    for (const auto& r : rows) total += std::stol(r.at(column));
    return total;
  }
  long max(const std::string& column) const {
    long best = 0;
    for (const auto& r : rows) {
      if (!r.at(column).empty()) best = std::max(best, std::stol(r.at(column)));
    }
    return best;
  }
};

}  // namespace callsim::test
