#pragma once

#include <string>
#include <vector>

namespace callsim {

// One step of `callsim capacity` as its own run wrote it with --junit.
struct CapacityJunitStep {
  int concurrent = 0;
  std::string xml;  // the step's whole JUnit document
};

// `callsim capacity --junit`: every step's test suites in one document, each renamed after its
// step ("callsim capacity 40 calls", "... burst 2"), with the totals summed. InputError when a
// step's document is not the XML its run writes.
std::string merge_capacity_junit(const std::vector<CapacityJunitStep>& steps);

}  // namespace callsim
