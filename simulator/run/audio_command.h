#pragma once

#include <string>

namespace CLI {
class App;
}

namespace callsim {

struct AudioCommandArgs {
  std::string file;     // the fixture to inspect
  std::string wav_out;  // optional: write the 8 kHz μ-law audio callsim would send as WAV
};

// `callsim audio FILE [--wav OUT]`: prints duration, frame count, peak/RMS level and speech ratio
// of a fixture as callsim will send it. Returns the exit code; bad files throw.
CLI::App* add_audio_subcommand(CLI::App& app, AudioCommandArgs& args);
int audio_command(const AudioCommandArgs& args);

}  // namespace callsim
