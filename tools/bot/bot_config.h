#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "bot/speech_settings.h"
#include "core/duration.h"
#include "core/redis_url.h"

namespace callsim::bot {

// Where the cap is enforced (see ../shared/real-servers.md, "Where the cap is enforced").
enum class AdmitAt {
  kWebhook,  // the voice webhook answers <Connect><Stream> or a rejection TwiML
  kUpgrade,  // the WebSocket upgrade gets 101 or 503
  kStart,    // the upgrade succeeds; after reading `start` the bot serves or closes 1013
};

// How the admission check talks to Redis; the racy ones reproduce bugs found in real services.
enum class Strategy {
  kLua,        // one script: INCR calls:active_count, DECR back if over the cap (correct)
  kSetLua,     // one script: SCARD calls:active check + SADD + per-call key with TTL (correct)
  kWatch,      // WATCH/GET/MULTI/INCR/EXEC, bounded retries, no backoff (false rejections)
  kGetIncr,    // GET, compare, INCR (check-then-act race)
  kScardSadd,  // SCARD, compare, then SADD+SETEX in MULTI (check-then-act race)
};

enum class RejectTwiml { kSay, kReject };

// How --admit-at start turns a call over the cap away.
enum class RejectWith { kClose, kBusyPrompt };

// Injected misbehaviour, each one a way real services lose or corrupt slots.
struct Faults {
  bool leak_on_abrupt_close = false;  // a stream's end releases only on `stop`
  bool double_release = false;        // a call may be released twice (stop, then close/callback)
  bool clamp_reset = false;           // release = DECR, then SET 0 when negative (two commands)
  Nanos release_delay{0};             // the gauge is decremented this long after the call ended
  Nanos idle_release{0};              // 0 = off; release after this long without inbound media
  // Releases only in the status callback handler, once per CallStatus=completed received, slot
  // or no slot (a call it rejected, or one whose callback came twice); busy/no-answer never.
  bool release_on_completed = false;
  // 0 = off. The admission works on a private counter (kLiveCounterKey) and the gauge key gets
  // each INCR/DECR this long later: an exact but delayed copy, as a service that counts in
  // memory and publishes asynchronously shows it. Counter strategies only.
  Nanos gauge_lag{0};
  // 0 = off. The slot is given back this long after the call was served while the call goes
  // on (a service that counts a call done when its greeting has played).
  Nanos early_release{0};
};

struct BotConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 5050;  // 0 picks a free port
  RedisUrl redis;
  int cap = 50;
  AdmitAt admit_at = AdmitAt::kStart;
  Strategy strategy = Strategy::kLua;
  int watch_retries = 5;                     // re-tries after the first WATCH attempt
  int admission_threads = 4;                 // each with its own Redis connection
  int io_threads = 2;                        // network threads sharing the port (SO_REUSEPORT)
  std::chrono::microseconds race_window{0};  // delay between check and act in racy code
  Nanos slot_ttl = std::chrono::hours(1);    // TTL of calls:active:<CallSid> (set strategies)
  Faults faults;
  // Close 1000 "No START event" when `start` has not arrived this long after the upgrade
  // (ProSaaS: 3 s). Changed with --fault no-start-timeout=DURATION; 0 turns it off.
  Nanos no_start_timeout = std::chrono::seconds(3);
  RejectTwiml reject_twiml = RejectTwiml::kSay;
  RejectWith reject_with = RejectWith::kClose;

  bool silent = false;  // a pure sink: never sends media, marks or clear
  std::string greeting_path;
  std::string answer_path;
  SpeechSettings speech;

  // PEM files; both set: every endpoint is served over TLS (wss://, https://) on the one port.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Twilio's auth token; set: every webhook and upgrade must carry a valid X-Twilio-Signature.
  std::string auth_token;

  // One line per call and per notable event; empty drops them.
  std::function<void(std::string_view line)> log;
};

const char* to_string(AdmitAt v);
const char* to_string(Strategy v);
const char* to_string(RejectTwiml v);

// True for the strategies whose gauge is the counter calls:active_count.
bool uses_counter(Strategy s);

// Applies one --fault value ("double-release", "release-delay=3s", ...) to the config.
// Throws InputError naming the fault and what is wrong with it.
void apply_fault(BotConfig& config, std::string_view spec);

// Throws InputError when the combination cannot work (e.g. clamp-reset on a set strategy).
void validate(const BotConfig& config);

inline bool serves_tls(const BotConfig& config) {
  return !config.tls_cert_file.empty();
}

// The Redis keys the strategies use, shared with anyone reading the gauge.
inline constexpr const char* kCounterKey = "calls:active_count";
// What the counter strategies decide on under --fault gauge-lag (kCounterKey is then its copy).
inline constexpr const char* kLiveCounterKey = "calls:active_count:live";
inline constexpr const char* kSetKey = "calls:active";
inline constexpr const char* kPerCallKeyPrefix = "calls:active:";

}  // namespace callsim::bot
