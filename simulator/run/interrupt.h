#pragma once

namespace callsim {

// SIGINT handling for the whole process: the first SIGINT (or SIGTERM, SIGHUP) asks the run to wind
// down (stop placing calls, stop + close live ones, write the report marked interrupted); a second
// one exits at once with 130.
void install_interrupt_handler();
bool interrupt_requested();
// For tests.
void reset_interrupt_for_test();

}  // namespace callsim
