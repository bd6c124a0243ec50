#include "run/config_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

namespace {

int line_of(const YAML::Node& node) {
  return node.Mark().line + 1;
}

std::string scalar(const std::string& path, const std::string& key, const YAML::Node& node) {
  if (!node.IsScalar()) {
    throw InputError(
        fmt::format("{}:{}: {}: expected a value or a list of values", path, line_of(node), key));
  }
  return node.Scalar();
}

}  // namespace

std::vector<ConfigEntry> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("--config {}: cannot open the file", path));
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}: {}", path, e.mark.line + 1, e.msg));
  }
  std::vector<ConfigEntry> entries;
  if (root.IsNull()) return entries;  // an empty file sets nothing
  if (!root.IsMap()) {
    throw InputError(fmt::format("{}:{}: expected `flag-name: value` lines", path, line_of(root)));
  }
  std::set<std::string> seen;
  for (const auto& item : root) {
    ConfigEntry entry;
    entry.line = line_of(item.first);
    entry.key = scalar(path, "key", item.first);
    if (!seen.insert(entry.key).second) {
      throw InputError(fmt::format("{}:{}: {} is set twice", path, entry.line, entry.key));
    }
    const YAML::Node& value = item.second;
    if (!value.IsDefined() || value.IsNull()) {
      throw InputError(fmt::format("{}:{}: {} has no value", path, entry.line, entry.key));
    }
    if (value.IsSequence()) {
      for (const auto& element : value) entry.values.push_back(scalar(path, entry.key, element));
    } else {
      entry.values.push_back(scalar(path, entry.key, value));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace callsim
