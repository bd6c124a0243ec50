#include "run/settings_sources.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "core/errors.h"
#include "run/config_file.h"

namespace callsim {

namespace {

const char* const kConfigFlag = "--config";

// The run flags: the top level's options with a long name, minus help, version and --config.
std::vector<CLI::Option*> run_flags(CLI::App& app) {
  std::vector<CLI::Option*> flags;
  for (CLI::Option* option : app.get_options()) {
    if (option->get_lnames().empty()) continue;
    if (option == app.get_help_ptr() || option == app.get_help_all_ptr()) continue;
    const std::string& name = option->get_lnames().front();
    if (name == "version" || name == "config") continue;
    flags.push_back(option);
  }
  return flags;
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ",") + value;
  return out;
}

// Hands `values` to `option` as if typed, and runs its checks and callback now, so a bad value
// is reported with where it came from rather than as if it had been a flag.
void give(CLI::Option* option, const std::vector<std::string>& values, const std::string& origin) {
  const std::string& name = option->get_lnames().front();
  try {
    if (option->get_expected_min() == 0) {
      if (values.size() != 1) {
        throw CLI::ValidationError("--" + name, "a switch takes one value: true or false");
      }
      option->add_result(option->get_flag_value(name, values.front()));
    } else {
      option->add_result(values);
    }
    option->run_callback();
  } catch (const CLI::Error& e) {
    throw CLI::ValidationError(fmt::format("{}: {}", origin, e.what()));
  }
}

bool a_subcommand_other_than_run(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    if (!sub->get_name().empty() && sub->get_name() != "run") return true;
  }
  return false;
}

void apply_sources(CLI::App& app, Options& options, const std::string& config_path) {
  std::vector<CLI::Option*> flags = run_flags(app);
  // Named here, after parsing, so CLI11 shows them in --help but never applies them itself:
  // applying them below is what puts a variable above the file.
  for (CLI::Option* flag : flags) flag->envname(env_name_for(flag->get_lnames().front()));
  if (app.get_help_ptr()->count() > 0 || a_subcommand_other_than_run(app)) return;

  std::map<std::string, ConfigEntry> file;
  if (!config_path.empty()) {
    std::vector<ConfigEntry> entries;
    try {
      entries = read_config_file(config_path);
    } catch (const InputError& e) {
      throw CLI::ConfigError(e.what());
    }
    for (auto& entry : entries) {
      CLI::Option* flag = app.get_option_no_throw("--" + entry.key);
      if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
        throw CLI::ConfigError(fmt::format(
            "{}:{}: unknown key '{}' (keys are run flags' long names without the dashes, e.g. "
            "concurrent)",
            config_path, entry.line, entry.key));
      }
      std::string key = entry.key;
      file.emplace(std::move(key), std::move(entry));
    }
  }

  options.settings.clear();
  for (CLI::Option* flag : flags) {
    const std::string& name = flag->get_lnames().front();
    // The text as given (for a flag: not yet through its callback, which runs after this one),
    // so a transformed value like --progress reads the same from every source.
    std::string value = join(flag->results());
    std::string source = "flag";
    if (flag->count() == 0) {
      const std::string variable = flag->get_envname();
      const char* env = std::getenv(variable.c_str());
      auto in_file = file.find(name);
      if (env && *env) {
        give(flag, {env}, variable);
        value = env;
        source = "env";
      } else if (in_file != file.end()) {
        give(flag, in_file->second.values, fmt::format("{}:{}", config_path, in_file->second.line));
        value = join(in_file->second.values);
        source = "file";
      } else {
        value = flag->get_default_str();
        source = "default";
      }
    }
    options.settings.push_back({name, mask_secrets(value), source});
  }
}

}  // namespace

std::string env_name_for(const std::string& long_name) {
  std::string name = "CALLSIM_";
  for (char c : long_name) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string mask_secrets(const std::string& value) {
  static const std::regex url_password(R"((://[^/@:]*:)[^/@]*@)");
  static const std::regex secret_header(
      R"(((^|,)\s*(authorization|proxy-authorization|cookie|x-twilio-signature)\s*:)[^,]*)",
      std::regex::icase);
  static const std::regex query_password(R"(([?&]password=)[^&,]*)", std::regex::icase);
  std::string masked = std::regex_replace(value, url_password, "$1***@");
  masked = std::regex_replace(masked, query_password, "$1***");
  return std::regex_replace(masked, secret_header, "$1 ***");
}

void add_settings_sources(CLI::App& app, Options& options) {
  app.add_option_function<std::string>(
         kConfigFlag,
         [&app, &options](const std::string& path) { apply_sources(app, options, path); },
         "Read run settings from a YAML file of `flag-name: value` lines, e.g. `concurrent: 60`, "
         "`reject-window: 2s`, `header: [\"X-Tenant: a\"]`")
      ->type_name("FILE")
      ->envname("CALLSIM_CONFIG")
      ->force_callback()
      ->group("Settings");
  app.footer(app.get_footer() +
             "\n\nSettings: a flag beats its environment variable (CALLSIM_ and the flag's name, "
             "e.g. CALLSIM_CONCURRENT=60), which beats the --config file's key (the flag's name, "
             "e.g. `concurrent: 60`), which beats the default.");
}

}  // namespace callsim
