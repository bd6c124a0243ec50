#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace callsim::media {

// The whole file, refusing files larger than max_bytes before reading them. Throws MediaError
// ("<path>: <problem>") when the file is missing, unreadable, a directory or too large.
std::vector<uint8_t> read_file_bytes(const std::string& path, size_t max_bytes);

}  // namespace callsim::media
