#include "run/call_recorder.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "media/media_error.h"
#include "media/wav_writer.h"

namespace callsim {

namespace {

void warn(const std::string& what) {
  std::fprintf(stderr, "callsim: warning: --record: %s\n", what.c_str());
}

}  // namespace

CallRecorder::CallRecorder(std::string dir, int calls) : dir_(std::move(dir)), wanted_(calls) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_, ec)) {
    usable_ = false;
    warn(fmt::format("cannot create {}: {}; no calls are recorded", dir_,
                     ec ? ec.message() : "not a directory"));
    return;
  }
  writer_ = std::thread([this] { write_all(); });
}

CallRecorder::~CallRecorder() {
  finish();
}

bool CallRecorder::claim(uint64_t index) {
  if (index >= bound_.load(std::memory_order_relaxed)) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!usable_) {
    if (failed_ < wanted_) ++failed_;
    if (failed_ == wanted_) bound_.store(0, std::memory_order_relaxed);
    return false;
  }
  if (claims_.size() < static_cast<size_t>(wanted_)) {
    claims_.push_back(Claim{index, false});
  } else {
    // The highest claim above `index` whose call is still live; one already written is kept.
    Claim* displaced = nullptr;
    for (Claim& c : claims_) {
      if (!c.submitted && c.index > index && (!displaced || c.index > displaced->index)) {
        displaced = &c;
      }
    }
    if (!displaced) return false;
    *displaced = Claim{index, false};
  }
  if (claims_.size() == static_cast<size_t>(wanted_)) {
    uint64_t highest = 0;
    for (const Claim& c : claims_) highest = std::max(highest, c.index);
    bound_.store(highest, std::memory_order_relaxed);
  }
  return true;
}

void CallRecorder::submit(uint64_t index, std::string call_sid,
                          std::unique_ptr<CallRecording> recording) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto claim = std::find_if(claims_.begin(), claims_.end(),
                              [index](const Claim& c) { return c.index == index; });
    if (claim == claims_.end()) return;  // displaced by a lower index
    claim->submitted = true;
    queue_.push_back(Job{index, std::move(call_sid), std::move(recording)});
  }
  wake_.notify_one();
}

void CallRecorder::write_all() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closing_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    write_one(job);
    lock.lock();
  }
}

void CallRecorder::write_one(const Job& job) {
  const std::string path =
      (std::filesystem::path(dir_) / fmt::format("call-{}-{}.wav", job.index, job.call_sid))
          .string();
  const CallRecording& r = *job.recording;
  try {
    media::WavWriter writer(path, media::WavWriter::Encoding::kPcm16, 2);
    writer.write_stereo_ulaw(r.caller().data(), r.bot().data(), r.samples());
    writer.finish();
  } catch (const media::MediaError& e) {
    warn(e.what());
    std::error_code ec;
    std::filesystem::remove(path, ec);  // a half-written file is not a recording
    ++failed_;
    return;
  }
  ++written_;
  if (r.truncated()) {
    ++truncated_;
    warn(fmt::format(
        "{}: the call outran {} minutes; the rest was not recorded", path,
        std::chrono::duration_cast<std::chrono::minutes>(CallRecording::kMaxLength).count()));
  }
  files_.emplace_back(job.index, path);
}

RecordingSummary CallRecorder::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  RecordingSummary summary;
  summary.dir = dir_;
  summary.wanted = wanted_;
  summary.written = written_;
  summary.failed = failed_;
  summary.truncated = truncated_;
  std::sort(files_.begin(), files_.end());
  for (const auto& [index, path] : files_) summary.files.push_back(path);
  return summary;
}

}  // namespace callsim
