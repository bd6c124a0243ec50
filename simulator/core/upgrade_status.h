#pragma once

#include <string>
#include <vector>

namespace callsim {

// Only a capacity answer at the upgrade (503, 429 or what --reject-status lists) is the cap
// turning a call away; a 404 or a 200 is a wrong URL or a broken server, and must not look like
// a false rejection.
bool is_capacity_status(const std::vector<int>& reject_statuses, int status);

// "upgrade answered HTTP 404 Not Found (Twilio: 31920)": the error a non-capacity answer gets.
std::string describe_upgrade_status(int status);

}  // namespace callsim
