#include "heard_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "verdict_run.h"

namespace callsim::test {

Heard run_and_read(const std::vector<std::string>& bot_args,
                   const std::vector<std::string>& callsim_args) {
  Heard heard;
  VerdictRun run = run_callsim_against_bot(bot_args, callsim_args);
  EXPECT_EQ(run.exit_code, 0) << run.describe();
  heard.doc.Parse(run.report.c_str());
  if (run.exit_code != 0 || heard.doc.HasParseError() || !heard.doc["audio"].IsObject()) {
    ADD_FAILURE() << "no audio in the report:\n" << run.describe();
    return heard;
  }
  for (const auto& call : heard.doc["calls"].GetArray()) {
    if (!call["audio"].IsObject()) continue;
    for (const auto& turn : call["audio"]["turn_records"].GetArray()) {
      if (turn["replied"].GetBool())
        heard.reply_latencies_ms.push_back(turn["latency_ms"].GetDouble());
    }
  }
  heard.ok = true;
  return heard;
}

double percentile(std::vector<double> values, double percent) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(percent / 100.0 * values.size()));
  return values[std::max<size_t>(rank, 1) - 1];
}

const rapidjson::Value& histogram(const Heard& heard, const char* name) {
  return heard.doc["audio"]["histograms"][name];
}

}  // namespace callsim::test
