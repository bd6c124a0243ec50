#pragma once

#include <string>
#include <vector>

namespace callsim {

// One `key: value` (or `key: [a, b]`) line of a --config file.
struct ConfigEntry {
  std::string key;
  std::vector<std::string> values;
  int line = 0;  // 1-based, for errors
};

// Reads a --config file: a YAML mapping (the format family of the caller scripts) from run-flag
// names without the dashes to a value or a list of values. Throws InputError naming the file
// and line for unreadable YAML, a duplicate key or a value that is not a scalar or a list of
// scalars. Whether each key is a flag is for the caller to say.
std::vector<ConfigEntry> read_config_file(const std::string& path);

}  // namespace callsim
