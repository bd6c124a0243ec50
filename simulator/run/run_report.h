#pragma once

#include <functional>
#include <string>

#include <rapidjson/filewritestream.h>
#include <rapidjson/writer.h>

#include "core/options.h"
#include "run/report_file.h"
#include "run/run_stats.h"

namespace callsim {

struct RecordingSummary;

using JsonWriter = rapidjson::Writer<rapidjson::FileWriteStream>;

// Everything the report says about a finished run, apart from the verifier's sections.
struct RunSummary {
  const Options* options = nullptr;
  std::string fixture;  // resolved path
  Nanos hold{0};
  uint64_t seed = 0;
  int threads = 0;
  TimePoint started{};  // all report times are milliseconds since this
  TimePoint finished{};
  bool interrupted = false;
  bool timed_out = false;
  bool invalid = false;  // the generator fell behind: no verdict
  std::string invalid_reason;
  const RunStats* stats = nullptr;
  bool conversation = false;  // the callers took turns (not --caller loop): audio was judged
  double cpu_seconds = 0;     // callsim's own user + system CPU over the run
  long max_rss_kb = 0;        // callsim's peak resident memory
  std::chrono::system_clock::time_point started_wall{};  // the report's started_at
  Nanos gauge_interval{0};                               // as sampled (the default resolved)
  std::string redis;          // the gauge's Redis URL, password masked; "" when no Redis is used
  std::string rerun_command;  // the command line that repeats this run, seed included
  const RecordingSummary* recordings = nullptr;  // --record; null without it
};

// The report's JSON layout version (simulator/run/report.schema.json); raised on any change
// that could break a reader.
constexpr int kReportSchemaVersion = 1;

// "2026-12-02T01:03:33.123Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);

// The command line that repeats a run: argv as typed with --seed replaced by the run's seed,
// each word quoted for a POSIX shell where it needs it.
std::string rerun_command(const std::vector<std::string>& argv, uint64_t seed);

// Writes the JSON report: config echo, outcome counts, histograms, one record per call, and
// whatever `extra` adds (the verifier's checks and the gauge trace), and commits the file.
// InputError naming --report if it cannot be written.
void write_json_report(ReportFile& file, const RunSummary& run,
                       const std::function<void(JsonWriter&)>& extra);

// The human summary printed at the end of a run (without the verifier's table).
std::string format_run_summary(const RunSummary& run);

// Helpers shared by report sections.
double ms_since(TimePoint origin, TimePoint t);
void write_histogram(JsonWriter& w, const LatencyHistogram& h);

}  // namespace callsim
