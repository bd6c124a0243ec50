#pragma once

#include <string>

#include "core/options.h"
#include "run/call_settings.h"

namespace callsim {

// Turns validated options into what every call shares: the fixture decoded once, the hold
// time, the seed, the URL actually dialled and the upgrade headers (signature included).
// InputError naming the flag for an unreadable fixture or a missing auth token variable.
CallSettings make_call_settings(const Options& options);

std::string default_fixture_path();

}  // namespace callsim
