// The per-frame path of a conversation (the bot's media judged and queued, the caller's next
// frame chosen, marks, clears) never touches the heap once a call is set up. Counted, not
// assumed: this binary replaces the global operator new.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>

#include "conversation_driver.h"
#include "core/caller_script.h"
#include "media/frame_source.h"

namespace {
thread_local size_t allocations = 0;
}  // namespace

// GCC (at the sanitizer build's inlining) pairs the library's operator new with the free() below
// and warns; it cannot see that this binary's operator new is malloc().
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(size_t size) {
  ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) {
  ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's buffer uses them): every allocation this binary
// frees with free() must come from malloc(), or ASan reports an alloc-dealloc mismatch.
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(size ? size : 1);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}

namespace callsim::test {
namespace {

TEST(ConversationAllocation, NothingIsAllocatedPerFrame) {
  const auto greeting =
      media::FrameSource::from_file(std::string(CALLSIM_FIXTURES_DIR) + "/audio/bot-greeting.wav");
  const std::vector<Utterance> utterances = two_utterances();
  const CallerScript script = parse_caller_script(
      "- listen\n- say: {utterance: 1}\n- barge_in: {after: 100ms}\n- say: {utterance: 2}\n"
      "- dtmf: \"12\"\n- pause: 1s\n",
      "s.yaml");
  for (const auto mode : {CallerTurns::Mode::kConversation, CallerTurns::Mode::kScript}) {
    CallConversation::Config config;
    config.caller.mode = mode;
    config.caller.utterances = &utterances;
    config.caller.script = &script;
    config.caller.reply_timeout = 2s;
    config.metrics.reply_timeout = 2s;
    AudioHistograms histograms;
    CallConversation conversation(config, CallRng(3, 9), &histograms);
    conversation.on_start_sent(t0);
    const size_t before = allocations;
    // 60 s of a bot that streams its greeting in real time, 20 ms per message, pausing 1.5 s
    // after each pass, clearing now and then, with marks.
    size_t bot_frame = 0;
    for (int tick = 0; tick < 3000; ++tick) {
      const TimePoint now = t0 + 20ms * tick;
      if (tick % 300 < 225) {
        conversation.on_bot_media(now, greeting->frame(bot_frame++), 160);
        if (tick % 50 == 0) conversation.on_mark(now);
      }
      if (tick % 50 == 25) conversation.on_marks_echoed(now, 1);
      if (tick % 700 == 650) conversation.on_clear(now);
      conversation.next_frame(now);
    }
    conversation.finish(t0 + 60s);
    EXPECT_EQ(allocations - before, 0u) << "mode " << static_cast<int>(mode);
    EXPECT_TRUE(conversation.result().greeted);
    EXPECT_GT(conversation.result().turns_total, 0u);
    EXPECT_GT(conversation.result().marks_echoed, 0u);
  }
}

TEST(ConversationAllocation, TheCounterCounts) {
  const size_t before = allocations;
  auto* p = new std::vector<int>(3);
  delete p;
  EXPECT_EQ(allocations - before, 2u);
}

}  // namespace
}  // namespace callsim::test
