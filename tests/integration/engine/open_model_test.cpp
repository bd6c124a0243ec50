// The open model (--rate): every arrival keeps its time, and --concurrent caps how many are in
// flight by dropping the arrivals that find it full, never by delaying them or placing fewer.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "engine_run.h"
#include "scripted_server.h"

namespace callsim {
namespace {

using namespace std::chrono_literals;
using test::ScriptedServer;

// 20 calls/s for 2 s against a server that keeps every call until we hang up after `hold`.
BurstOutcome run_open_model(const ScriptedServer& server, int concurrent, int threads) {
  CallSettings settings;
  settings.connect_url = server.url();
  settings.audio = test::flat_audio();
  settings.hold = 1s;
  settings.seed = 7;
  settings.handshake_timeout = 5s;
  LoadPlan plan(concurrent, LoadPlan::arrivals_within(20, 2s), 0s, 20.0, threads);
  SteadyClock clock;
  ProgressPrinter quiet(Options::Progress::kOff, std::chrono::seconds(1));
  return run_burst(settings, plan, clock, quiet, TimePoint::max(), clock.now(), {});
}

// The most calls that were connecting or live at one moment; an end frees its slot before a
// start at the same instant takes one, as in the worker.
int64_t most_in_flight(const std::vector<CallRecord>& calls) {
  std::vector<std::pair<TimePoint, int>> edges;
  for (const auto& c : calls) {
    edges.emplace_back(c.connect_started, +1);
    edges.emplace_back(c.ended, -1);
  }
  std::sort(edges.begin(), edges.end());
  int64_t live = 0, most = 0;
  for (const auto& [at, step] : edges) most = std::max(most, live += step);
  return most;
}

TEST(OpenModel, ArrivalsBeyondConcurrentInFlightAreDroppedNotDelayed) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  BurstOutcome out = run_open_model(server, 5, 1);
  const RunStats& s = out.stats;
  EXPECT_EQ(s.arrivals_scheduled, 40u);
  EXPECT_EQ(s.arrivals_started + s.arrivals_dropped, 40u);
  EXPECT_GT(s.arrivals_dropped, 0u);
  // A dropped arrival is not a call: only started ones have records, and all completed.
  EXPECT_EQ(s.calls.size(), s.arrivals_started);
  EXPECT_EQ(s.count(Outcome::kCompleted), s.arrivals_started);
  EXPECT_LE(most_in_flight(s.calls), 5);
  // Every started call kept its own slot in the schedule (call g at g / 20 s).
  for (const auto& c : s.calls) {
    EXPECT_EQ(c.scheduled - out.started, Nanos(static_cast<int64_t>(c.index) * 50'000'000));
  }
}

TEST(OpenModel, TheInFlightLimitIsSplitAcrossWorkers) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  BurstOutcome out = run_open_model(server, 5, 2);
  const RunStats& s = out.stats;
  EXPECT_EQ(s.arrivals_scheduled, 40u);
  EXPECT_EQ(s.arrivals_started + s.arrivals_dropped, 40u);
  EXPECT_GT(s.arrivals_dropped, 0u);
  EXPECT_EQ(s.calls.size(), s.arrivals_started);
  EXPECT_LE(most_in_flight(s.calls), 5);
}

TEST(OpenModel, RoomyConcurrentStartsEveryArrival) {
  ScriptedServer server(ScriptedServer::Behaviour::kSink);
  BurstOutcome out = run_open_model(server, 100, 2);
  const RunStats& s = out.stats;
  EXPECT_EQ(s.arrivals_scheduled, 40u);
  EXPECT_EQ(s.arrivals_started, 40u);
  EXPECT_EQ(s.arrivals_dropped, 0u);
  EXPECT_EQ(s.calls.size(), 40u);
  EXPECT_EQ(s.count(Outcome::kCompleted), 40u);
  // Held 1 s at 20/s, about 20 overlap: far more than the 5 the tests above allow.
  EXPECT_GT(most_in_flight(s.calls), 5);
}

}  // namespace
}  // namespace callsim
