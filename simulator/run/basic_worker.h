#pragma once

// The worker behind the Worker interface, as a template over websocketpp's client type so that
// ws:// and wss:// share one implementation. Included by worker*.cpp, which instantiate it.

#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <type_traits>
#include <vector>

#include <asio/ssl.hpp>

#include "core/sids.h"
#include "core/webhook_request.h"
#include "net/http_client.h"
#include "run/call.h"
#include "run/worker.h"

namespace callsim {

// Timer slack: deadlines this close together are served in one wake-up. Frames may leave up to
// this much early, which keeps 2,000 calls from costing 100,000 timer wake-ups a second.
constexpr Nanos kCoalesce = std::chrono::microseconds(200);
// Starting a call (its connection object, the resolve, the connect) costs tens of microseconds,
// and each handshake in flight brings a few handlers more: a thousand calls started at once put
// tens of milliseconds of them ahead of the frames due. A turn starts this many and yields.
constexpr int kDialsPerTurn = 8;
// Handshakes a worker keeps in flight. When they complete together, their handlers (the upgrade's
// answer parsed, `connected` and `start` sent) run ahead of the frames due: 32 of them are about
// a millisecond. Measured at 1,000 calls on loopback: set up in 350 ms, and with --ramp 0 the
// receiver's p99 no worse than with a 5 s ramp (256 in flight: 7-15 ms worse). A server 100 ms
// of handshake away gets about 300 calls a second per worker: more --threads dial more.
constexpr int64_t kDialsInFlight = 32;

// One thread's share of the calls (see Worker).
template <typename Client>
class BasicWorker final : public Worker {
 public:
  BasicWorker(int id, const CallSettings& settings, const LoadPlan& plan, TimePoint epoch,
              const Clock& clock);
  BasicWorker(const BasicWorker&) = delete;
  BasicWorker& operator=(const BasicWorker&) = delete;

  void run() override;
  void request_stop(Outcome why) override;
  WorkerProgress progress() const override;
  RunStats& stats() override { return stats_; }

 private:
  using Call = BasicCall<Client>;
  // The heap holds call services and, under kLaunchSlot, the start of the next scheduled call.
  static constexpr uint32_t kLaunchSlot = UINT32_MAX;
  struct Due {
    TimePoint at;
    uint32_t slot;
    bool operator>(const Due& other) const { return at > other.at; }
  };

  bool is_stale(const Due& due) const;
  void prefetch_next_due() const;
  void schedule(uint32_t slot, TimePoint at);
  void arm_timer();
  void on_timer();
  void service(uint32_t slot, TimePoint now);
  void launch_due_calls(TimePoint now);
  void schedule_next_launch(TimePoint now);
  // Closed-model --stages (worker_launch.cpp): start or end calls to this worker's share of the
  // calls wanted now, and wake at the next step.
  void follow_stages(TimePoint now);
  void schedule_next_step(TimePoint now);
  bool stages_want_replacement(TimePoint now) const;
  bool admission_decided(const Call& call, TimePoint now) const;
  std::shared_ptr<asio::ssl::context> tls_context_for(const std::string& host);
  void connect(int64_t share_position, TimePoint scheduled, TimePoint now);
  // Dialling (worker_launch.cpp) is a worker's low-priority work: a call whose turn came waits
  // in the backlog while kDialsInFlight are in their handshakes or this turn's kDialsPerTurn
  // were started, so that the frames of calls already streaming are never queued behind a
  // thousand handshakes.
  void dial_or_wait(uint32_t slot, TimePoint now);
  void dial(uint32_t slot, TimePoint now);
  void drain_dial_backlog(TimePoint now);
  void request_dial_turn();
  // A call left its webhook or open handshake (answered, failed or given up); once per dial.
  void dial_ended(Call& call);
  void open_stream(uint32_t slot, const std::string& url, TimePoint now);
  // The voice webhook phase (worker_webhook.cpp).
  void post_webhook(uint32_t slot, const std::string& url, HttpMethod method, int redirects);
  void on_webhook_answer(uint32_t slot, uint64_t index, const std::string& url, int redirects,
                         HttpResponse response);
  void post_status_callback(Call& call, TimePoint now);
  // <Stream statusCallback>: started once the stream runs; stopped or error when it ends.
  void post_stream_event(Call& call, StreamEvent event);
  // The POST both callbacks make, counted under `posted` and, when it fails, `failed`.
  void post_callback(HttpMethod method, const std::string& url, const Parameters& params,
                     uint64_t request_number, const StreamIdentity& ids, uint64_t& posted,
                     uint64_t& failed);
  // The open handshake's deadline (worker_handshake.cpp): --handshake-timeout from the dial
  // through DNS, TCP connect, TLS and the upgrade's answer.
  void watch_open_handshake(uint32_t slot, TimePoint now);
  void on_handshake_deadline(uint32_t slot, TimePoint now);
  // Ends a connection still in its open handshake; the call finishes as `outcome` once
  // websocketpp reports the failure (possibly inside this call).
  void abort_open_handshake(Call& call, Outcome outcome, std::error_code why);
  // Where the open handshake stood: "TLS handshake did not complete within 1s".
  std::string describe_handshake_stall(const Call& call) const;
  // The call in `slot` if it is still connecting on the connection behind `hdl`.
  Call* connecting_call(uint32_t slot, websocketpp::connection_hdl hdl);
  // Whether `connection` still serves the call in `slot`. websocketpp reports on its own
  // schedule: a TLS shutdown given up on reports the close seconds after its call finished, when
  // the slot is empty or holds a later call.
  bool serves_slot(uint32_t slot, const void* connection) const {
    return slots_[slot]->connection.get() == connection;
  }
  void on_open(uint32_t slot);
  void on_fail(uint32_t slot);
  void on_close(uint32_t slot);
  void on_message(uint32_t slot, WsMessage message);
  // A text message from the server, from websocketpp or taken past it
  // (net/fast_text_read_socket.h).
  void on_text(uint32_t slot, std::string& payload);
  void note_message_received(Call& call, TimePoint now);
  void count_invalid(Call& call, InvalidMessage kind);
  // Sends the frames due by `cutoff`; lateness is measured at `now`. False when the caller hangs
  // up instead (its conversation is over).
  bool send_media(Call& call, TimePoint cutoff, TimePoint now);
  void send_dtmf(Call& call, char digit);
  void echo_marks(Call& call, const std::vector<std::string>& names, TimePoint now);
  bool send_text(Call& call);
  void hang_up(Call& call, TimePoint now);
  // The bound on what websocketpp holds per call (worker_send_bound.cpp): whether a frame with
  // `payload_size` bytes still fits, the peaks, the ping handler (which sends our own pong, or
  // none), what the server left unread, and the outcome of a call it stopped reading.
  bool fits_send_bound(Call& call, size_t payload_size);
  void note_send_queue(Call& call);
  bool on_ping(uint32_t slot, const std::string& payload);
  void record_unread(Call& call);
  Outcome judge_reading(Call& call, Outcome outcome);
  // --record (worker_record.cpp): the call's recording from its `start`, the caller's frame about
  // to be marked sent, the bot's accepted bytes, and the hand-off to the recorder at its end.
  void start_recording(Call& call, TimePoint now);
  void record_caller_frame(Call& call, std::string_view payload_base64);
  void record_bot_media(Call& call, TimePoint now, std::string_view payload_base64,
                        uint64_t accepted);
  void submit_recording(Call& call, TimePoint now);
  // True (and the call moves to kServerClosing) once the server has started closing.
  bool notice_server_closing(Call& call, TimePoint now);
  // How the server ended the connection (worker_close.cpp, with on_fail and on_close).
  Outcome classify_server_close(Call& call, TimePoint now);
  // True (and the connection is failed) when the 101 chose an extension or subprotocol unoffered.
  bool refuse_unoffered_choice(Call& call);
  void finish(uint32_t slot, Outcome outcome, TimePoint now);
  void stop_now(Outcome why);
  void publish_progress(TimePoint now, bool force);

  const int id_;
  const CallSettings& settings_;
  const LoadPlan& plan_;
  const TimePoint epoch_;
  const Clock& clock_;
  const SidGenerator sids_;

  asio::io_context io_;
  Client client_;
  // wss:// only: one context per host name, because the certificate's name is checked against
  // the host each stream dials, which in webhook mode comes from the TwiML.
  std::map<std::string, std::shared_ptr<asio::ssl::context>> tls_contexts_;
  std::string dialling_host_;
  std::unique_ptr<HttpClient> http_;  // --webhook only
  asio::steady_timer timer_;
  TimePoint timer_armed_for_{TimePoint::max()};
  bool in_timer_ = false;
  // Plain ws:// connections read text frames past websocketpp; TLS ones leave reading to it.
  static constexpr bool kReadsPastWebsocketpp = std::is_same_v<Client, WsClient>;
  std::string text_scratch_;

  std::vector<std::unique_ptr<Call>> slots_;
  std::vector<uint32_t> free_slots_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
  std::vector<std::string> mark_scratch_;
  std::vector<uint8_t> bot_audio_;       // the bot's media payload, decoded (reused)
  std::vector<uint8_t> record_scratch_;  // a recorded payload, decoded (reused)

  int64_t next_call_ = 0;              // position in this worker's share of the plan
  std::deque<uint32_t> dial_backlog_;  // slots of calls (kScheduled) waiting to dial, in order
  int64_t dialling_ = 0;               // calls in their webhook or open handshake
  int dials_this_turn_ = 0;
  bool dial_turn_posted_ = false;
  TimePoint next_launch_{TimePoint::max()};
  int64_t live_ = 0;
  int64_t replacements_posted_ = 0;  // connects posted by finish() that have not run yet
  int64_t admitted_live_ = 0;
  bool stopping_ = false;
  Outcome stop_reason_ = Outcome::kInterrupted;
  RunStats stats_;

  mutable std::mutex progress_mutex_;
  WorkerProgress progress_;
  TimePoint last_publish_{};
};

}  // namespace callsim
