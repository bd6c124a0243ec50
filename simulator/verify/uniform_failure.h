#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/call_record.h"

namespace callsim {

// A run where every call failed the same way before any was admitted says nothing about the
// cap: it is a wrong URL, a server that is not running, a TLS or auth mismatch. Saying so in one
// line beats reporting 60 "false rejections".
struct UniformFailure {
  std::string message;  // "all 60 calls failed before admission: upgrade answered HTTP 404"
  std::string hint;     // what to check, e.g. "check the --url path"
};

// Set when there was at least one call, none was admitted, and all ended with the same outcome
// (and, for HTTP answers, the same status). Capacity rejections (kRejected) never qualify: a
// full server turning everyone away is a verdict, not a setup problem.
std::optional<UniformFailure> diagnose_uniform_failure(const std::vector<CallRecord>& calls);

}  // namespace callsim
