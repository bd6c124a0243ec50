// --record DIR: the first admitted calls as stereo WAVs, the caller on the left as sent and the
// bot on the right as played, checked sample by sample against the audio both programs sent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "child_process.h"
#include "media/frame_source.h"
#include "media/mulaw.h"
#include "verdict_run.h"

namespace callsim::test {
namespace {

using ::testing::HasSubstr;

const std::string kAudio = std::string(CALLSIM_FIXTURES_DIR) + "/audio/";
constexpr uint64_t kSeed = 7;
constexpr size_t kFrame = media::FrameSource::kFrameBytes;

struct Wav {
  int channels = 0;
  int rate = 0;
  int bits = 0;
  std::vector<int16_t> left, right;
};

uint32_t le(const std::string& s, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + i]);
  return v;
}

// A PCM WAV, chunk by chunk (the test must not trust the writer's own layout).
Wav read_wav(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Wav wav;
  if (s.size() < 12 || s.compare(0, 4, "RIFF") != 0 || s.compare(8, 4, "WAVE") != 0) {
    ADD_FAILURE() << path << " is not a RIFF WAVE file";
    return wav;
  }
  for (size_t at = 12; at + 8 <= s.size();) {
    const std::string id = s.substr(at, 4);
    const size_t size = le(s, at + 4, 4);
    const size_t body = at + 8;
    if (id == "fmt ") {
      EXPECT_EQ(le(s, body, 2), 1u) << "format tag: PCM";
      wav.channels = static_cast<int>(le(s, body + 2, 2));
      wav.rate = static_cast<int>(le(s, body + 4, 4));
      wav.bits = static_cast<int>(le(s, body + 14, 2));
    } else if (id == "data" && wav.channels == 2 && wav.bits == 16) {
      for (size_t i = body; i + 4 <= body + size && i + 4 <= s.size(); i += 4) {
        wav.left.push_back(static_cast<int16_t>(le(s, i, 2)));
        wav.right.push_back(static_cast<int16_t>(le(s, i + 2, 2)));
      }
    }
    at = body + size + (size & 1);
  }
  return wav;
}

std::vector<int16_t> decoded(const uint8_t* ulaw, size_t n) {
  std::vector<int16_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = media::ulaw_to_linear(ulaw[i]);
  return out;
}

bool matches_at(const std::vector<int16_t>& channel, size_t at, const std::vector<int16_t>& clip) {
  if (at + clip.size() > channel.size()) return false;
  return std::equal(clip.begin(), clip.end(), channel.begin() + static_cast<long>(at));
}

const rapidjson::Value* call_with_index(const rapidjson::Document& doc, uint64_t index) {
  for (const auto& call : doc["calls"].GetArray()) {
    if (call["index"].GetUint64() == index) return &call;
  }
  return nullptr;
}

// Six looping callers, of which the first two by index are recorded whatever order their
// handshakes finish in, against a bot that sends its whole greeting at once (so it plays
// contiguously from the first packet's arrival) and talks on over the caller.
TEST(RecordRun, BothSidesAreHeardWhereTheyPlayed) {
  TempDir out;
  const std::string dir = out.path() + "/made/by/callsim";
  VerdictRun run =
      run_callsim_against_bot({"--tts-burst", "--clear-delay", "never"},
                              {"--concurrent", "6", "--caller", "loop", "--hold", "5s", "--seed",
                               std::to_string(kSeed), "--record", dir, "--record-calls", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_THAT(run.callsim_output, HasSubstr("recorded 2 calls to " + dir + "\n"))
      << run.callsim_output;
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& rec = doc["recordings"];
  ASSERT_TRUE(rec.IsObject());
  EXPECT_EQ(rec["written"].GetInt64(), 2);
  EXPECT_EQ(rec["failed"].GetInt64(), 0);
  EXPECT_EQ(rec["truncated"].GetInt64(), 0);  // the bot queued past the hang-up: not heard
  ASSERT_EQ(rec["files"].Size(), 2u);

  const auto caller = media::FrameSource::from_file(kAudio + "caller-question.opus");
  const auto greeting_clip = media::FrameSource::from_file(kAudio + "bot-greeting.opus");
  const std::vector<int16_t> greeting =
      decoded(greeting_clip->frame(0), greeting_clip->frame_count() * kFrame);
  for (uint64_t index = 0; index < 2; ++index) {
    SCOPED_TRACE("call " + std::to_string(index));
    const rapidjson::Value* call = call_with_index(doc, index);
    ASSERT_NE(call, nullptr);
    const std::string path =
        dir + "/call-" + std::to_string(index) + "-" + (*call)["call_sid"].GetString() + ".wav";
    EXPECT_EQ(rec["files"][static_cast<rapidjson::SizeType>(index)].GetString(), path);
    const Wav wav = read_wav(path);
    ASSERT_EQ(wav.channels, 2);
    EXPECT_EQ(wav.rate, 8000);
    EXPECT_EQ(wav.bits, 16);

    // Left: frame n of the call is the fixture's frame (start offset + n), at n x 20 ms.
    const uint64_t sent = (*call)["frames_sent"].GetUint64();
    EXPECT_EQ((*call)["frames_skipped"].GetUint64(), 0u);
    EXPECT_EQ(sent, 250u);  // 5 s of 20 ms frames
    ASSERT_GE(wav.left.size(), sent * kFrame);
    const size_t offset = caller->start_offset(index, kSeed);
    size_t mismatched = 0;
    for (size_t n = 0; n < sent; ++n) {
      if (!matches_at(wav.left, n * kFrame, decoded(caller->frame(offset + n), kFrame))) {
        ++mismatched;
      }
    }
    EXPECT_EQ(mismatched, 0u) << "caller frames not where they were scheduled";

    // Right: the whole greeting, contiguous, from the first packet's arrival.
    const double arrival_ms =
        (*call)["first_server_message_ms"].GetDouble() - (*call)["start_sent_ms"].GetDouble();
    const auto expected = static_cast<long>(arrival_ms * 8.0);
    long found = -1;
    for (long at = std::max(0L, expected - 160); at <= expected + 160; ++at) {
      if (matches_at(wav.right, static_cast<size_t>(at), greeting)) {
        found = at;
        break;
      }
    }
    ASSERT_GE(found, 0) << "the greeting is not on the right channel within 20 ms of sample "
                        << expected;
    // The first server message is the greeting's first packet; the report's times are rounded
    // from the same clock readings, so the greeting sits on that sample or the next.
    EXPECT_LE(std::labs(found - expected), 1L) << "greeting at sample " << found;
    // Nothing was heard from the bot before it.
    EXPECT_TRUE(std::all_of(wav.right.begin(), wav.right.begin() + found,
                            [](int16_t s) { return s == 0; }));
  }
}

// A directory that cannot be made costs the recordings, not the run.
TEST(RecordRun, AnUnwritableDirectoryIsAWarningNotALostRun) {
  TempDir out;
  const std::string file = out.path() + "/a-file";
  std::ofstream(file) << "not a directory";
  VerdictRun run = run_callsim_against_bot(
      {}, {"--concurrent", "2", "--caller", "loop", "--hold", "1s", "--record", file + "/calls"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(run.verdict, "PASS");
  EXPECT_THAT(run.callsim_output,
              HasSubstr("callsim: warning: --record: cannot create " + file + "/calls: "))
      << run.callsim_output;
  EXPECT_THAT(run.callsim_output,
              HasSubstr("recorded 0 calls to " + file + "/calls (2 could not be written)\n"))
      << run.callsim_output;
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["recordings"]["written"].GetInt64(), 0);
  EXPECT_EQ(doc["recordings"]["failed"].GetInt64(), 2);
  EXPECT_EQ(doc["recordings"]["files"].Size(), 0u);
  EXPECT_EQ(doc["exit_code"].GetInt(), 0);
}

TEST(RecordRun, RecordCallsWithoutRecordIsAUsageError) {
  EXPECT_THAT(callsim_usage_error({"--record-calls", "3"}),
              HasSubstr("--record-calls needs --record DIR"));
}

TEST(RecordRun, RecordingNoCallsIsAUsageError) {
  TempDir out;
  EXPECT_THAT(callsim_usage_error({"--record", out.path(), "--record-calls", "0"}),
              HasSubstr("--record-calls must be 1 to 100"));
}

TEST(RecordRun, NoRecordingsWithoutRecord) {
  VerdictRun run = run_callsim_against_bot({}, {"--concurrent", "1", "--hold", "1s"});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc["recordings"].IsNull());
  EXPECT_THAT(run.callsim_output, ::testing::Not(HasSubstr("recorded ")));
}

}  // namespace
}  // namespace callsim::test
