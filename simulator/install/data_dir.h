#pragma once

#include <string>

namespace callsim {

// callsim and callsim-bot ship their default audio under <prefix>/share/callsim/fixtures and find
// it from where the running executable is (/proc/self/exe), never from a path compiled in: a
// copied, installed or packaged binary works with no source checkout. The build tree mirrors
// the layout (build/share/callsim/fixtures links to the source's fixtures/).

// The fixtures directory beside the running executable. Throws InputError naming the paths it
// looked in, and `flag` as the way around it, when there is none.
std::string fixtures_dir(const std::string& flag);

// Where fixtures_dir() looks for an executable at `executable`: <exe
// dir>/../share/callsim/fixtures.
std::string fixtures_dir_for(const std::string& executable);

}  // namespace callsim
