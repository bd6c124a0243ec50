#pragma once

#include <stdexcept>

namespace callsim::media {

// An audio file that cannot be used. what() is one line, "<file>: <problem>", so a caller can print
// it as is; callers that sort errors into exit codes treat it as bad user input.
class MediaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace callsim::media
