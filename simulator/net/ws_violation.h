#pragma once

#include <cstdint>
#include <string>

namespace callsim {

// Which WebSocket rule the server broke, from how websocketpp failed the connection. websocketpp
// closes a broken connection itself (1002/1007/1009) with the violation's message as its own close
// reason and never hears the server's close, so without this every violation reads as 1006.
// Returns "" when our close was not websocketpp refusing the server's frames.
std::string ws_violation_kind(const std::string& local_close_reason);

// The same for the server's close frame, which websocketpp 0.8.2 takes as it comes: a code that
// may not appear on the wire (999, 1004, 5000...), or a reason that is not UTF-8. An explicit 1005
// reads like an empty close frame here; websocketpp's answer to it (1002 "Invalid close code",
// which ws_violation_kind names) is what tells them apart.
std::string close_frame_violation(uint16_t code, const std::string& reason);

}  // namespace callsim
