#pragma once

namespace callsim {

// The process exit codes are part of callsim's interface: CI jobs branch on them.
enum ExitCode : int {
  kExitPass = 0,         // every check passed
  kExitCheckFailed = 1,  // the server got a verdict of FAIL on at least one check
  kExitUsage = 2,        // bad flag, bad value, unreadable file, impossible configuration,
                         // output that cannot be written (--report, stdout)
  kExitUnreachable = 3,  // target or Redis could not be reached before any call was placed
  kExitInvalidRun = 4,   // the generator itself fell behind, so no verdict can be trusted
  kExitIncomplete = 5,   // nothing failed, but a check could not be judged (or no call decided)
  kExitInterrupted = 130,
};

}  // namespace callsim
