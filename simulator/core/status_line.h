#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace callsim {

// The fixed start of an HTTP/1.x status line, "HTTP/1.1 101 ": version, code, the space before
// the reason. Bytes that cannot begin it are no HTTP answer at all (a TLS record, an SSH banner,
// an HTTP/2 preface), however long one waits for the rest of the header block.
constexpr size_t kStatusLineStart = 13;

// False as soon as `head` (the first bytes of an answer, any length) cannot be the beginning of
// "HTTP/<digit>.<digit> <3 digits> ". Everything up to kStatusLineStart bytes is judged.
bool can_start_status_line(std::string_view head);

// `bytes` quoted for an error message: printable ASCII as is, \r \n \t \" \\ escaped, anything
// else as \xHH; at most `limit` bytes of it, then "..." after the closing quote.
std::string quote_bytes(std::string_view bytes, size_t limit = 48);

}  // namespace callsim
