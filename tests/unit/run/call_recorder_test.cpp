#include "run/call_recorder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace callsim {
namespace {

std::unique_ptr<CallRecording> one_frame() {
  const TimePoint origin{};
  auto r = std::make_unique<CallRecording>(origin, std::chrono::seconds(1));
  const uint8_t frame[160] = {};
  r->add_caller(origin, frame, sizeof frame);
  r->end(origin + std::chrono::milliseconds(20));
  return r;
}

class CallRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("callsim-recorder-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(CallRecorderTest, TheFirstCallsByIndexAreRecordedWhateverOrderTheyWereAdmittedIn) {
  CallRecorder recorder(dir.string(), 2);
  EXPECT_TRUE(recorder.claim(3));
  EXPECT_TRUE(recorder.claim(1));
  EXPECT_TRUE(recorder.claim(0));   // displaces 3, still live
  EXPECT_FALSE(recorder.claim(2));  // above both claims
  EXPECT_FALSE(recorder.claim(7));
  recorder.submit(3, "CA3", one_frame());  // displaced: dropped
  recorder.submit(1, "CA1", one_frame());
  recorder.submit(0, "CA0", one_frame());
  const RecordingSummary summary = recorder.finish();
  EXPECT_EQ(summary.written, 2);
  EXPECT_EQ(summary.failed, 0);
  ASSERT_EQ(summary.files.size(), 2u);
  EXPECT_EQ(summary.files[0], (dir / "call-0-CA0.wav").string());
  EXPECT_EQ(summary.files[1], (dir / "call-1-CA1.wav").string());
  EXPECT_FALSE(std::filesystem::exists(dir / "call-3-CA3.wav"));
  // 44-byte PCM header and 160 stereo 16-bit samples.
  EXPECT_EQ(std::filesystem::file_size(summary.files[0]), 44u + 160 * 4);
}

TEST_F(CallRecorderTest, AWrittenRecordingIsNotDisplaced) {
  CallRecorder recorder(dir.string(), 1);
  EXPECT_TRUE(recorder.claim(5));
  recorder.submit(5, "CA5", one_frame());
  EXPECT_FALSE(recorder.claim(2));
  EXPECT_EQ(recorder.finish().files, std::vector<std::string>{(dir / "call-5-CA5.wav").string()});
}

TEST_F(CallRecorderTest, AnUnusableDirectoryCountsTheCallsItCouldNotRecord) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  CallRecorder recorder((dir / "file" / "calls").string(), 2);
  EXPECT_FALSE(recorder.claim(0));
  EXPECT_FALSE(recorder.claim(1));
  EXPECT_FALSE(recorder.claim(2));
  const RecordingSummary summary = recorder.finish();
  EXPECT_EQ(summary.written, 0);
  EXPECT_EQ(summary.failed, 2);
}

}  // namespace
}  // namespace callsim
