// Which runs of server bytes may be taken past websocketpp (simulator/net/server_frame_scanner.h):
// only whole plain text frames at a frame boundary; everything else goes to websocketpp, and the
// scanner follows where its frames end.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/server_frame_scanner.h"

namespace callsim {
namespace {

const std::string kUpgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";

std::string frame(uint8_t first, const std::string& payload, bool extended_length = false) {
  std::string out(1, static_cast<char>(first));
  if (payload.size() < 126 && !extended_length) {
    out += static_cast<char>(payload.size());
  } else {
    out += static_cast<char>(126);
    out += static_cast<char>(payload.size() >> 8);
    out += static_cast<char>(payload.size() & 0xff);
  }
  return out + payload;
}
std::string text(const std::string& payload) {
  return frame(0x81, payload);
}

// A scanner past the upgrade response.
ServerFrameScanner upgraded() {
  ServerFrameScanner scanner;
  scanner.note_passed(kUpgrade);
  return scanner;
}

std::vector<std::string> take(ServerFrameScanner& scanner, const std::string& run, bool* taken) {
  std::vector<std::string> delivered;
  *taken = scanner.take_plain_text_frames(
      run, [&](std::string_view payload) { delivered.emplace_back(payload); });
  return delivered;
}

TEST(ServerFrameScanner, NothingIsTakenBeforeTheUpgradeResponseHasEnded) {
  ServerFrameScanner scanner;
  EXPECT_FALSE(scanner.at_boundary());
  scanner.note_passed("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r");
  EXPECT_FALSE(scanner.at_boundary());
  scanner.note_passed("\n");
  EXPECT_TRUE(scanner.at_boundary());
}

TEST(ServerFrameScanner, FramesInTheUpgradeResponsesReadAreFollowed) {
  ServerFrameScanner scanner;
  // The response and the start of a frame in one read: websocketpp holds half a frame.
  scanner.note_passed(kUpgrade + text("{\"event\":\"media\"}").substr(0, 5));
  EXPECT_FALSE(scanner.at_boundary());
  bool taken = true;
  EXPECT_TRUE(take(scanner, text("{\"x\":1}"), &taken).empty());
  EXPECT_FALSE(taken);
}

TEST(ServerFrameScanner, WholePlainTextFramesAreTakenInOrder) {
  ServerFrameScanner scanner = upgraded();
  std::string long_payload(300, 'a');
  bool taken = false;
  auto delivered = take(scanner, text("one") + text("") + text(long_payload), &taken);
  EXPECT_TRUE(taken);
  EXPECT_EQ(delivered, (std::vector<std::string>{"one", "", long_payload}));
  EXPECT_TRUE(scanner.at_boundary());
}

TEST(ServerFrameScanner, ARunWithAnythingElseGoesWholeToWebsocketpp) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"binary", frame(0x82, "x")},
      {"ping", frame(0x89, "")},
      {"close", frame(0x88, "")},
      {"fragment", frame(0x01, "par")},
      {"reserved bit", frame(0xc1, "x")},
      {"masked", std::string("\x81\x81\x01\x02\x03\x04x", 7)},
      {"16-bit length under 126", frame(0x81, "short", true)},
      {"64-bit length", std::string("\x81\x7f\0\0\0\0\0\0\0\x01x", 11)},
      {"partial frame", text("complete").substr(0, 6)},
      {"invalid UTF-8", text("\xc3\x28")},
      {"truncated UTF-8", text("\xe2\x82")},
  };
  for (const auto& [name, bad] : cases) {
    ServerFrameScanner scanner = upgraded();
    bool taken = true;
    EXPECT_TRUE(take(scanner, text("before") + bad, &taken).empty()) << name;
    EXPECT_FALSE(taken) << name;
  }
}

TEST(ServerFrameScanner, AfterAPartialFramePassesItFollowsTheFrameToItsEnd) {
  ServerFrameScanner scanner = upgraded();
  std::string whole = text(std::string(200, 'b'));
  bool taken = true;
  take(scanner, whole.substr(0, 3), &taken);  // a header split inside its length
  EXPECT_FALSE(taken);
  scanner.note_passed(whole.substr(3, 100));
  EXPECT_FALSE(scanner.at_boundary());
  scanner.note_passed(whole.substr(103));
  EXPECT_TRUE(scanner.at_boundary());
  EXPECT_EQ(take(scanner, text("next"), &taken), std::vector<std::string>{"next"});
  EXPECT_TRUE(taken);
}

TEST(ServerFrameScanner, AFragmentedMessageKeepsTextWithWebsocketppUntilItsLastFragment) {
  ServerFrameScanner scanner = upgraded();
  scanner.note_passed(frame(0x01, "par") + frame(0x89, "ping in between"));
  EXPECT_FALSE(scanner.at_boundary());
  scanner.note_passed(frame(0x80, "t"));
  EXPECT_TRUE(scanner.at_boundary());
}

TEST(ServerFrameScanner, AProtocolErrorStopsEverythingAfterIt) {
  for (const std::string& bad : {frame(0x83, "x"), frame(0x00, "stray continuation"),
                                 frame(0x09, "fragmented ping"), frame(0xa1, "x")}) {
    ServerFrameScanner scanner = upgraded();
    scanner.note_passed(bad);
    EXPECT_FALSE(scanner.at_boundary());
    bool taken = true;
    take(scanner, text("after"), &taken);
    EXPECT_FALSE(taken);
  }
  ServerFrameScanner scanner = upgraded();
  scanner.note_passed(frame(0x01, "a") + frame(0x81, "new message inside a fragmented one"));
  EXPECT_FALSE(scanner.at_boundary());
}

}  // namespace
}  // namespace callsim
