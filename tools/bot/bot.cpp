#include "bot/bot.h"

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "bot/admission_pool.h"
#include "bot/bot_context.h"
#include "bot/conversation.h"
#include "bot/http_api.h"
#include "bot/lane.h"
#include "bot/slot_ledger.h"
#include "bot/tls_server_context.h"
#include "core/errors.h"
#include "install/data_dir.h"
#include "media/media_error.h"

namespace callsim::bot {

namespace {

// Shutdown waits this long for streams to close and pending Redis work to finish.
constexpr std::chrono::seconds kShutdownGrace{3};

std::shared_ptr<const media::FrameSource> load_clip(const std::string& path, const char* flag) {
  try {
    return media::FrameSource::from_file(path);
  } catch (const media::MediaError& e) {
    throw InputError(fmt::format("{}: {}", flag, e.what()));
  }
}

std::string random_tag() {
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

}  // namespace

std::string default_greeting_path() {
  return fixtures_dir("--greeting") + "/audio/bot-greeting.opus";
}
std::string default_answer_path() {
  return fixtures_dir("--answer") + "/audio/bot-answer.opus";
}

Bot::Bot(BotConfig config) : config_(std::move(config)) {
  validate(config_);
  // Before Redis is dialled: a bad certificate is a usage error whatever else is wrong.
  std::shared_ptr<asio::ssl::context> tls;
  if (serves_tls(config_))
    tls = make_server_tls_context(config_.tls_cert_file, config_.tls_key_file);
  if (!config_.silent) {
    voice_ = std::make_unique<Voice>();
    voice_->greeting =
        load_clip(config_.greeting_path.empty() ? default_greeting_path() : config_.greeting_path,
                  "--greeting");
    voice_->answer = load_clip(
        config_.answer_path.empty() ? default_answer_path() : config_.answer_path, "--answer");
  }
  pool_ = std::make_unique<AdmissionPool>(config_, counters_);
  ledger_ = std::make_unique<SlotLedger>(config_, counters_, *pool_);
  context_ = std::unique_ptr<BotContext>(
      new BotContext{config_, counters_, *pool_, *ledger_, voice_.get(), random_tag()});
  for (int i = 0; i < config_.io_threads; ++i) {
    lanes_.push_back(make_lane(*context_, tls));
    // The first lane may pick the port; the others join it.
    lanes_.back()->listen(config_.listen_host, i == 0 ? config_.listen_port : port_);
    port_ = lanes_.back()->port();
  }
  for (auto& lane : lanes_) lane->start();
}

Bot::~Bot() {
  stop();
}

int64_t Bot::active_calls() const {
  return ledger_->active();
}

std::string Bot::health_details_json() const {
  return bot::health_details_json(*context_);
}

void Bot::stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (stopped_) return;
  stopped_ = true;
  context_->shutting_down = true;
  for (auto& lane : lanes_) lane->begin_shutdown();
  pool_->flush_delays();
  // Closing streams releases slots, and a finished admission may end a stream: wait until
  // both sides have been still twice in a row.
  auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
  int still = 0;
  while (still < 2 && std::chrono::steady_clock::now() < deadline) {
    bool quiet = pool_->idle();
    for (auto& lane : lanes_) quiet = quiet && lane->quiet();
    still = quiet ? still + 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& lane : lanes_) lane->stop();
  pool_->stop();
}

}  // namespace callsim::bot
