#pragma once

#include <string>

#include "core/options.h"

namespace CLI {
class App;
}

namespace callsim {

// Run settings from outside the command line: `--config FILE` (YAML, one key per run flag: its
// long name without the dashes) and a CALLSIM_<FLAG> environment variable per run flag (dashes
// become underscores: CALLSIM_CONCURRENT, CALLSIM_REDIS). A flag beats its environment variable,
// which beats the file, which beats the default. Both are derived from the flags on `app`, so a
// new flag gets its key and variable without a list to keep in step.
//
// Call before the run flags are added: --config's callback then runs ahead of theirs and fills
// in, for each flag the command line left unset, its variable's or the file's value, and
// records every setting (secrets masked) in options.settings for the report.
void add_settings_sources(CLI::App& app, Options& options);

// CALLSIM_ and the flag's long name in upper case, '-' as '_'.
std::string env_name_for(const std::string& long_name);

// `value` as the report may show it: a URL's password (user info or ?password=) and the value of an
// Authorization, Cookie or signature header replaced by ***.
std::string mask_secrets(const std::string& value);

}  // namespace callsim
