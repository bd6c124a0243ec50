#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace callsim::test {

// One callsim run against callsim-bot, read back as what its callers heard.
struct Heard {
  bool ok = false;
  rapidjson::Document doc;
  std::vector<double> reply_latencies_ms;  // every answered turn of every call
};

Heard run_and_read(const std::vector<std::string>& bot_args,
                   const std::vector<std::string>& callsim_args);

// Nearest rank, as LatencyHistogram defines its percentiles (before its bucketing).
double percentile(std::vector<double> values, double percent);

const rapidjson::Value& histogram(const Heard& heard, const char* name);

}  // namespace callsim::test
