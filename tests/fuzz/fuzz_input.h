#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

// Helpers shared by the fuzz targets: every target is also built as a plain executable that
// replays its corpus (replay_main.cpp), so nothing here may depend on libFuzzer.
namespace callsim::fuzz {

// Splits the input at its first newline: a target with two parameters (a pointer and a body, a
// base URL and a reference) takes the first line as one and the rest as the other.
inline std::pair<std::string_view, std::string_view> split_first_line(const uint8_t* data,
                                                                      size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t nl = all.find('\n');
  if (nl == std::string_view::npos) return {all, {}};
  return {all.substr(0, nl), all.substr(nl + 1)};
}

// A fuzz target found a broken invariant: abort so libFuzzer and the replay both report it.
[[noreturn]] void invariant_failed(const char* what, std::string_view input);

}  // namespace callsim::fuzz

#define FUZZ_CHECK(cond, input)                                     \
  do {                                                              \
    if (!(cond)) ::callsim::fuzz::invariant_failed(#cond, (input)); \
  } while (0)
