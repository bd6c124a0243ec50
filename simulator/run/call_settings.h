#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/sids.h"
#include "core/twilio_messages.h"
#include "core/webhook_request.h"
#include "media/frame_source.h"
#include "run/conversation_settings.h"

namespace callsim {

class CallRecorder;

// What every call of a run shares, read-only while workers run.
struct CallSettings {
  std::string connect_url;  // the URL dialled: the configured one without its query string
  bool secure = false;      // wss://
  std::string tls_host;     // the name the server's certificate must carry
  std::string ca_file;      // empty: the system's CAs
  bool insecure = false;    // no certificate verification
  std::vector<std::pair<std::string, std::string>> headers;  // extra upgrade headers, signature
  Nanos handshake_timeout = std::chrono::seconds(10);

  // The voice webhook phase (empty webhook_url: calls dial connect_url directly).
  std::string webhook_url;
  std::optional<NumberPool> from_numbers, to_numbers;
  std::string status_callback_url;  // empty: the <Connect action> URL
  bool status_callbacks = true;
  double skip_stream_ratio = 0;
  Nanos webhook_timeout = std::chrono::seconds(15);  // Twilio's
  std::string auth_token;  // signs webhooks and status callbacks; empty: unsigned
  Nanos hold = std::chrono::seconds(5);
  Nanos reject_window = std::chrono::seconds(2);
  std::vector<int> reject_statuses = {503, 429};
  std::vector<int> reject_close_codes = {1013};
  Parameters custom_parameters;
  std::shared_ptr<const media::FrameSource> audio;
  std::shared_ptr<const ConversationSettings> conversation;  // null: --caller loop
  uint64_t seed = 0;
  double drop_ratio = 0;     // share of admitted calls abandoned mid-call with a TCP reset
  double no_stop_ratio = 0;  // share of admitted calls closed with 1000 but no `stop`
  int burst = 0;
  int64_t first_call_index = 0;  // global numbering continues across bursts
  // --record: the recorder the first admitted calls are handed to; null: none recorded.
  std::shared_ptr<CallRecorder> recorder;
  // The run's start, which the lateness time series counts from; unset: the burst's epoch.
  TimePoint run_started{};
};

}  // namespace callsim
