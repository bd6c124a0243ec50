#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/call_recording.h"

namespace callsim {

// What --record left behind, for the report and the summary.
struct RecordingSummary {
  std::string dir;
  int wanted = 0;                  // --record-calls
  int64_t written = 0;             // files complete on disk
  int64_t failed = 0;              // recorded (or claimed) calls whose file could not be written
  int64_t truncated = 0;           // written files whose call outran CallRecording::kMaxLength
  std::vector<std::string> files;  // written, by call index
};

// --record DIR: the first `calls` admitted calls are recorded by their workers
// (core/call_recording.h) and handed here when they end; one thread per run writes each as
// DIR/call-<index>-<CallSid>.wav, stereo 8 kHz 16-bit PCM (left the caller, right the bot),
// PCM rather than stereo mu-law because every player plays it. Nothing here can fail a run: a
// directory or file that cannot be written is a warning on stderr and a count.
class CallRecorder {
 public:
  CallRecorder(std::string dir, int calls);
  ~CallRecorder();  // joins the writer
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  // Any thread, once per admitted call: whether to record the call `index`. The recorded calls
  // are the first `calls` admitted ones by index: a lower index admitted after a higher one
  // takes its place while that one is still live (handshakes finish out of order), and the
  // displaced call's recording is dropped when it ends. Past the highest index that can still
  // be recorded this is one atomic load, no lock.
  bool claim(uint64_t index);
  // Any thread: a claimed call ended; its file is written off the workers' threads (or, when a
  // lower index displaced it, it is dropped).
  void submit(uint64_t index, std::string call_sid, std::unique_ptr<CallRecording> recording);
  // Writes what is still queued, joins the writer and says what was written. Once.
  RecordingSummary finish();

 private:
  struct Job {
    uint64_t index;
    std::string call_sid;
    std::unique_ptr<CallRecording> recording;
  };
  void write_all();
  void write_one(const Job& job);

  const std::string dir_;
  const int wanted_;
  bool usable_ = true;  // the directory exists (or was made)
  struct Claim {
    uint64_t index;
    bool submitted;  // ended and queued: no longer displaceable
  };
  std::vector<Claim> claims_;  // at most wanted_, under mutex_
  // No index at or above this can be recorded any more (all claims taken).
  std::atomic<uint64_t> bound_{UINT64_MAX};

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool closing_ = false;
  // Written by the writer thread only; read after the join.
  int64_t written_ = 0;
  int64_t failed_ = 0;
  int64_t truncated_ = 0;
  std::vector<std::pair<uint64_t, std::string>> files_;
  std::thread writer_;
};

}  // namespace callsim
