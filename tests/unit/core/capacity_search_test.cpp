#include "core/capacity_search.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace callsim {
namespace {

using Result = CapacityStep::Result;

// Runs the search against a server whose step result is a function of the concurrency; returns
// the concurrencies run, in order.
std::vector<int> drive(CapacitySearch& search, const std::function<Result(int)>& server) {
  std::vector<int> run;
  while (auto n = search.next()) {
    run.push_back(*n);
    if (run.size() > 100) {
      ADD_FAILURE() << "the search does not end";
      break;
    }
    search.record({*n, server(*n), ""});
  }
  return run;
}

TEST(CapacitySearch, StepsUpAndStopsAtTheFirstBreach) {
  CapacitySearch search({10, 10, 100, false, 0});
  const auto run = drive(search, [](int n) { return n <= 45 ? Result::kMet : Result::kBreached; });
  EXPECT_EQ(run, (std::vector<int>{10, 20, 30, 40, 50}));
  EXPECT_EQ(search.capacity(), 40);
  ASSERT_TRUE(search.first_unmet());
  EXPECT_EQ(search.first_unmet()->concurrent, 50);
}

TEST(CapacitySearch, RefineBisectsToOneCall) {
  CapacitySearch search({10, 10, 100, true, 0});
  const auto run = drive(search, [](int n) { return n <= 46 ? Result::kMet : Result::kBreached; });
  EXPECT_EQ(run, (std::vector<int>{10, 20, 30, 40, 50, 45, 47, 46}));
  EXPECT_EQ(search.capacity(), 46);
  EXPECT_EQ(search.first_unmet()->concurrent, 47);
}

TEST(CapacitySearch, EveryStepMetEndsAtMaxEvenOffTheGrid) {
  CapacitySearch search({10, 20, 45, true, 0});
  const auto run = drive(search, [](int) { return Result::kMet; });
  EXPECT_EQ(run, (std::vector<int>{10, 30, 45}));
  EXPECT_EQ(search.capacity(), 45);
  EXPECT_EQ(search.first_unmet(), nullptr);
}

TEST(CapacitySearch, ACapLimitedServerIsMeasuredAtItsCap) {
  CapacitySearch search({20, 20, 100, true, 50});
  const auto run = drive(search, [](int n) { return n <= 50 ? Result::kMet : Result::kRejected; });
  EXPECT_EQ(run, (std::vector<int>{20, 40, 60, 50}));
  EXPECT_EQ(search.capacity(), 50);
  EXPECT_EQ(search.first_unmet()->result, Result::kRejected);
  EXPECT_EQ(search.first_unmet()->concurrent, 60);
}

// Beyond where callsim itself falls behind nothing is known: no bisection, no guess.
TEST(CapacitySearch, TheGeneratorsLimitEndsTheSearchWithoutBisecting) {
  CapacitySearch search({10, 10, 100, true, 0});
  const auto run =
      drive(search, [](int n) { return n < 30 ? Result::kMet : Result::kGeneratorLimit; });
  EXPECT_EQ(run, (std::vector<int>{10, 20, 30}));
  EXPECT_EQ(search.capacity(), 20);
  EXPECT_EQ(search.first_unmet()->result, Result::kGeneratorLimit);
}

TEST(CapacitySearch, AFirstStepNotMetHasNoCapacity) {
  CapacitySearch search({10, 10, 100, true, 0});
  const auto run = drive(search, [](int) { return Result::kFailed; });
  EXPECT_EQ(run, (std::vector<int>{10}));
  EXPECT_FALSE(search.capacity());
}

TEST(CapacitySearch, AnInterruptionStopsAtOnce) {
  CapacitySearch search({10, 10, 100, true, 0});
  const auto run =
      drive(search, [](int n) { return n < 20 ? Result::kMet : Result::kInterrupted; });
  EXPECT_EQ(run, (std::vector<int>{10, 20}));
  EXPECT_EQ(search.capacity(), 10);
}

}  // namespace
}  // namespace callsim
