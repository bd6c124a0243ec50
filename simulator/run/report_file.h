#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "core/utf8.h"

namespace callsim {

// Where --report goes. Opened before the first call, so that a missing directory, a directory
// or a file that cannot be written is a usage error then, not after a run whose verdict it would
// hide. A regular file is written beside its destination and renamed over it on commit(), so a
// report is never seen half-written and a failed run leaves an older one intact; anything else
// (a FIFO, /dev/stdout) is written directly. Every byte passes through UTF-8 repair: the report
// quotes servers (close reasons, TwiML text, errors) that may send anything, and JSON must be
// valid UTF-8.
class ReportFile {
 public:
  // InputError "FLAG PATH: <why>" when it cannot be written. PATH "-" is standard output.
  explicit ReportFile(std::string path, std::string flag = "--report");
  ~ReportFile();  // removes the temporary file unless committed
  ReportFile(const ReportFile&) = delete;
  ReportFile& operator=(const ReportFile&) = delete;

  const std::string& path() const { return path_; }
  std::FILE* stream() { return stream_; }
  // Flushes, checks that every write succeeded and moves the report into place; InputError
  // naming --report otherwise.
  void commit();

  struct Sink;

 private:
  std::string path_;         // as given, for messages
  std::string flag_;         // the option that named it, for messages
  std::string destination_;  // where the report ends up (symbolic links followed)
  std::string temporary_;    // "" when writing to the destination directly
  std::unique_ptr<Sink> sink_;
  std::FILE* stream_ = nullptr;
  bool committed_ = false;
};

}  // namespace callsim
