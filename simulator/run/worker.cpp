#include "run/basic_worker.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/admission_confirmation.h"
#include "core/errors.h"
#include "core/sids.h"
#include "core/twilio_signature.h"
#include "media/base64.h"
#include "net/tls_context.h"

namespace callsim {

namespace {

// Our own close must complete within this, or the call is finished without it.
constexpr Nanos kCloseGrace = std::chrono::seconds(5);
constexpr Nanos kProgressPeriod = std::chrono::milliseconds(200);

}  // namespace

template <typename Client>
BasicWorker<Client>::BasicWorker(int id, const CallSettings& settings, const LoadPlan& plan,
                                 TimePoint epoch, const Clock& clock)
    : id_(id),
      settings_(settings),
      plan_(plan),
      epoch_(epoch),
      clock_(clock),
      sids_(settings.seed),
      timer_(io_) {
  client_.clear_access_channels(websocketpp::log::alevel::all);
  client_.clear_error_channels(websocketpp::log::elevel::all);
  client_.init_asio(&io_);
  client_.set_user_agent("Twilio.TmeWs/1.0");
  if (!settings_.webhook_url.empty()) {
    HttpClientOptions http;
    http.timeout = settings_.webhook_timeout;
    http.ca_file = settings_.ca_file;
    http.insecure = settings_.insecure;
    http_ = std::make_unique<HttpClient>(io_, http);
  }
  if constexpr (std::is_same_v<Client, WssClient>) {
    // Made up front so that an unusable --ca-file stops the run before its first call.
    tls_contexts_.emplace(
        settings_.tls_host,
        make_client_tls_context(settings_.tls_host, settings_.ca_file, settings_.insecure));
    // websocketpp asks for the context inside get_connection(), before the connection knows
    // its URI, so open_stream() says which host is being dialled.
    client_.set_tls_init_handler(
        [this](websocketpp::connection_hdl) { return tls_context_for(dialling_host_); });
  }

  mark_scratch_.reserve(16);
  bot_audio_.reserve(4096);
  if (plan_.open_model()) stats_.arrivals_scheduled = static_cast<uint64_t>(plan_.calls_for(id_));
  schedule_next_launch(clock_.now());
}

template <typename Client>
std::shared_ptr<asio::ssl::context> BasicWorker<Client>::tls_context_for(const std::string& host) {
  auto found = tls_contexts_.find(host);
  if (found != tls_contexts_.end()) return found->second;
  std::shared_ptr<asio::ssl::context> context;
  try {
    context = make_client_tls_context(host, settings_.ca_file, settings_.insecure);
  } catch (const InputError&) {
    // The --ca-file loaded at start-up has gone since: websocketpp fails this connection
    // (no context), and the call is classified as a TLS error.
    return nullptr;
  }
  tls_contexts_.emplace(host, context);
  return context;
}

template <typename Client>
void BasicWorker<Client>::run() {
  arm_timer();
  io_.run();
  publish_progress(clock_.now(), true);
}

template <typename Client>
void BasicWorker<Client>::request_stop(Outcome why) {
  asio::post(io_, [this, why] { stop_now(why); });
}

template <typename Client>
WorkerProgress BasicWorker<Client>::progress() const {
  std::lock_guard<std::mutex> lock(progress_mutex_);
  return progress_;
}

template <typename Client>
void BasicWorker<Client>::schedule(uint32_t slot, TimePoint at) {
  if (slot != kLaunchSlot) slots_[slot]->next_service = at;
  due_.push(Due{at, slot});
  // Inside on_timer the timer is re-armed once at the end, not once per call served.
  if (!in_timer_ && at < timer_armed_for_) arm_timer();
}

template <typename Client>
bool BasicWorker<Client>::is_stale(const Due& due) const {
  if (due.slot == kLaunchSlot) return due.at != next_launch_;
  const Call& call = *slots_[due.slot];
  return call.state == Call::State::kDone || call.next_service != due.at;
}

template <typename Client>
void BasicWorker<Client>::prefetch_next_due() const {
  // With a thousand calls each call's state has left the cache by its next frame; asking for the
  // next call's fields while this one is served hides most of that wait.
  if (due_.empty() || due_.top().slot == kLaunchSlot) return;
  slots_[due_.top().slot]->prefetch_frame_fields();
}

template <typename Client>
void BasicWorker<Client>::arm_timer() {
  while (!due_.empty() && is_stale(due_.top())) due_.pop();
  if (due_.empty()) {
    if (timer_armed_for_ != TimePoint::max()) timer_.cancel();
    timer_armed_for_ = TimePoint::max();
    return;
  }
  if (due_.top().at == timer_armed_for_) return;
  timer_armed_for_ = due_.top().at;
  timer_.expires_at(timer_armed_for_);
  timer_.async_wait([this](const std::error_code& ec) {
    if (!ec) on_timer();
  });
}

template <typename Client>
void BasicWorker<Client>::on_timer() {
  timer_armed_for_ = TimePoint::max();
  in_timer_ = true;
  dials_this_turn_ = 0;
  TimePoint now = clock_.now();
  while (!due_.empty() && due_.top().at <= now + kCoalesce) {
    Due due = due_.top();
    due_.pop();
    prefetch_next_due();
    if (is_stale(due)) continue;
    if (due.slot == kLaunchSlot) {
      launch_due_calls(now);
    } else {
      service(due.slot, now);
    }
    now = clock_.now();
  }
  in_timer_ = false;
  publish_progress(now, false);
  arm_timer();
}

template <typename Client>
void BasicWorker<Client>::connect(int64_t share_position, TimePoint scheduled, TimePoint now) {
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(std::make_unique<Call>());
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
    *slots_[slot] = Call{};
  }
  Call& call = *slots_[slot];
  int64_t index = settings_.first_call_index + plan_.call_index(id_, share_position);
  uint64_t salt = mix64(settings_.seed ^ mix64(static_cast<uint64_t>(index)));
  call.record.index = static_cast<uint64_t>(index);
  call.record.worker = id_;
  call.record.burst = settings_.burst;
  call.record.ids = sids_.for_call(static_cast<uint64_t>(index));
  call.record.scheduled = scheduled;
  call.first_timestamp_ms = 90 + salt % 91;
  call.audio_offset = settings_.audio->start_offset(static_cast<uint64_t>(index), settings_.seed);
  double draw = unit_interval(mix64(salt + 1));
  if (draw < settings_.drop_ratio) {
    call.ending = Call::Ending::kResetMidCall;
  } else if (draw < settings_.drop_ratio + settings_.no_stop_ratio) {
    call.ending = Call::Ending::kCloseWithoutStop;
  }
  call.outgoing.reserve(512);
  call.stream_parameters = settings_.custom_parameters;
  call.next_service = TimePoint::max();
  if (settings_.conversation) {
    call.conversation.emplace(settings_.conversation->config,
                              CallRng(settings_.seed, static_cast<uint64_t>(index)), &stats_.audio);
  }
  ++live_;
  dial_or_wait(slot, now);
  publish_progress(now, false);
}

template <typename Client>
void BasicWorker<Client>::open_stream(uint32_t slot, const std::string& url, TimePoint now) {
  Call& call = *slots_[slot];
  call.state = Call::State::kConnecting;
  call.stream_dialled = true;
  std::error_code ec;
  if constexpr (std::is_same_v<Client, WssClient>) {
    const websocketpp::uri uri(url);
    dialling_host_ = uri.get_valid() ? uri.get_host() : settings_.tls_host;
  }
  call.connection = client_.get_connection(url, ec);
  if (ec) {
    call.record.error = fmt::format("cannot open {}: {}", url, ec.message());
    finish(slot, Outcome::kProtocolError, now);
    return;
  }
  for (const auto& [name, value] : settings_.headers) call.connection->append_header(name, value);
  if (call.via_webhook && !settings_.auth_token.empty()) {
    call.connection->append_header(
        "x-twilio-signature", twilio_signature(settings_.auth_token, call.stream_url_as_written));
  }
  watch_open_handshake(slot, now);
  // Each handler acts only while its connection still serves the slot: the connection (alive
  // while it runs a handler) is known by its address.
  const void* connection = call.connection.get();
  call.connection->set_open_handler([this, slot, connection](websocketpp::connection_hdl) {
    if (serves_slot(slot, connection)) on_open(slot);
  });
  call.connection->set_fail_handler([this, slot, connection](websocketpp::connection_hdl) {
    if (serves_slot(slot, connection)) on_fail(slot);
  });
  call.connection->set_close_handler([this, slot, connection](websocketpp::connection_hdl) {
    if (serves_slot(slot, connection)) on_close(slot);
  });
  call.connection->set_message_handler(
      [this, slot, connection](websocketpp::connection_hdl, WsMessage m) {
        if (serves_slot(slot, connection)) on_message(slot, std::move(m));
      });
  if constexpr (kReadsPastWebsocketpp) {
    call.connection->get_socket().set_text_sink(
        ServerTextSink{this, slot,
                       [](void* worker, uint32_t slot) {
                         const Call& call = *static_cast<BasicWorker*>(worker)->slots_[slot];
                         return call.connection &&
                                call.connection->get_state() == websocketpp::session::state::open;
                       },
                       [](void* worker, uint32_t slot, std::string_view payload) {
                         // The parse is in situ and needs its text NUL-terminated, which the read
                         // buffer is not.
                         auto& self = *static_cast<BasicWorker*>(worker);
                         self.text_scratch_.assign(payload.data(), payload.size());
                         self.on_text(slot, self.text_scratch_);
                       }});
  }
  client_.connect(call.connection);
}

template <typename Client>
void BasicWorker<Client>::on_open(uint32_t slot) {
  Call& call = *slots_[slot];
  TimePoint now = clock_.now();
  dial_ended(call);
  call.connection->set_ping_handler(
      [this, slot, connection = static_cast<const void*>(call.connection.get())](
          websocketpp::connection_hdl, std::string payload) {
        // A connection that outlived its call answers as websocketpp does with no handler.
        return serves_slot(slot, connection) ? on_ping(slot, payload) : true;
      });
  call.record.upgraded = now;
  call.next_service = TimePoint::max();  // the handshake deadline no longer applies
  stats_.handshake.record(now - call.record.connect_started);
  call.state = Call::State::kStreaming;
  ++admitted_live_;
  if (refuse_unoffered_choice(call)) return;
  if (stopping_) {
    hang_up(call, now);
    return;
  }
  build_connected(call.outgoing);
  send_text(call);
  build_start(call.outgoing, call.record.ids, call.next_sequence(), call.stream_parameters);
  send_text(call);
  call.record.start_sent = now;
  start_recording(call, now);
  if (call.conversation) call.conversation->on_start_sent(now);
  if (call.via_webhook) post_stream_event(call, StreamEvent::kStarted);
  call.pacer = FramePacer(now, call.first_timestamp_ms);
  call.planned_hang_up =
      now + (call.ending == Call::Ending::kResetMidCall ? settings_.hold / 2 : settings_.hold);
  call.hang_up_at = call.planned_hang_up;
  service(slot, now);
}

template <typename Client>
void BasicWorker<Client>::service(uint32_t slot, TimePoint now) {
  Call& call = *slots_[slot];
  if (call.state == Call::State::kClosing || call.state == Call::State::kServerClosing) {
    TimePoint give_up =
        (call.state == Call::State::kClosing ? call.hang_up_at : call.server_close_seen) +
        kCloseGrace;
    if (now < give_up) {
      schedule(slot, give_up);
      return;
    }
    // The close never completed (a peer that ignores close frames): give up on the socket.
    call.record.error = "close handshake did not complete";
    call.record.close_timed_out = true;
    Outcome outcome = call.state == Call::State::kClosing ? call.closing_outcome
                                                          : classify_server_close(call, now);
    if (call.connection) {
      // shutdown() first: over TLS, terminate() alone sends close_notify and waits for the peer's,
      // and a read asio's SSL stream queues after websocketpp's own timer cancelled the socket
      // would wait forever on a peer that never reads, holding the run open.
      std::error_code ignored;
      call.connection->get_raw_socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
      call.connection->terminate(std::error_code());
    }
    finish(slot, outcome, now);
    return;
  }
  if (call.state == Call::State::kConnecting) {
    on_handshake_deadline(slot, now);
    return;
  }
  if (call.state != Call::State::kStreaming) return;
  if (notice_server_closing(call, now)) {
    schedule(slot, now + kCloseGrace);
    return;
  }

  // Whatever falls due within the coalescing slack is done in this wake-up.
  TimePoint horizon = now + kCoalesce;
  // Before this wake-up's own sends, which websocketpp has had no chance to write yet.
  if (horizon >= call.hang_up_at) record_unread(call);
  if (auto due = call.playback.next_mark_due(); due && *due <= horizon) {
    mark_scratch_.clear();
    call.playback.take_due_marks(horizon, mark_scratch_);
    echo_marks(call, mark_scratch_, now);
  }
  if (horizon >= call.hang_up_at) {
    // A late wake-up must not cost the frames that were due before the hang-up.
    if (call.ending != Call::Ending::kResetMidCall) {
      send_media(call, call.hang_up_at - Nanos(1), now);
    }
    hang_up(call, now);
    schedule(slot, call.hang_up_at + kCloseGrace);
    return;
  }
  if (!send_media(call, horizon, now)) {
    // The caller's turns ran out (or its script said hangup): it ends the call itself.
    call.planned_hang_up = std::min(call.planned_hang_up, now);
    hang_up(call, now);
    schedule(slot, call.hang_up_at + kCloseGrace);
    return;
  }
  TimePoint next = std::min(call.pacer.next_due(), call.hang_up_at);
  if (auto mark = call.playback.next_mark_due()) next = std::min(next, *mark);
  schedule(slot, next);
}

template <typename Client>
void BasicWorker<Client>::on_message(uint32_t slot, WsMessage message) {
  if (message->get_opcode() == websocketpp::frame::opcode::text) {
    on_text(slot, message->get_raw_payload());
    return;
  }
  Call& call = *slots_[slot];
  note_message_received(call, clock_.now());
  count_invalid(call, InvalidMessage::kBinaryFrame);
}

template <typename Client>
void BasicWorker<Client>::note_message_received(Call& call, TimePoint now) {
  ++call.record.messages_received;
  ++stats_.messages_received;
  if (call.record.first_server_message == TimePoint{}) {
    call.record.first_server_message = now;
    if (call.record.start_sent != TimePoint{}) {
      stats_.first_message.record(now - call.record.start_sent);
    }
  }
}

template <typename Client>
void BasicWorker<Client>::count_invalid(Call& call, InvalidMessage kind) {
  ++call.record.invalid[static_cast<size_t>(kind)];
  ++stats_.invalid[static_cast<size_t>(kind)];
}

template <typename Client>
void BasicWorker<Client>::on_text(uint32_t slot, std::string& payload) {
  Call& call = *slots_[slot];
  TimePoint now = clock_.now();
  note_message_received(call, now);
  if (call.state != Call::State::kStreaming) return;
  ParseResult parsed = parse_server_message(payload, call.record.ids.stream_sid);
  if (!parsed.ok) {
    count_invalid(call, parsed.invalid);
    return;
  }
  switch (parsed.message.event) {
    case ServerEvent::kMedia: {
      uint64_t accepted = call.playback.enqueue_audio(now, parsed.message.payload_bytes);
      call.record.server_media_bytes += parsed.message.payload_bytes;
      call.record.playback_dropped_bytes += parsed.message.payload_bytes - accepted;
      if (call.recording) record_bot_media(call, now, parsed.message.payload_base64, accepted);
      if (call.conversation && accepted > 0 &&
          media::base64_decode_into(parsed.message.payload_base64, bot_audio_)) {
        call.conversation->on_bot_media(now, bot_audio_.data(),
                                        std::min<size_t>(accepted, bot_audio_.size()));
      }
      break;
    }
    case ServerEvent::kMark: {
      ++call.record.marks_received;
      if (call.conversation) call.conversation->on_mark(now);
      call.playback.enqueue_mark(now, std::move(parsed.message.mark_name));
      mark_scratch_.clear();
      call.playback.take_due_marks(now, mark_scratch_);
      echo_marks(call, mark_scratch_, now);
      if (auto due = call.playback.next_mark_due(); due && *due < call.next_service) {
        schedule(slot, *due);
      }
      break;
    }
    case ServerEvent::kClear: {
      ++call.record.clears_received;
      if (call.conversation) call.conversation->on_clear(now);
      if (call.recording) call.recording->clear_bot(now);
      mark_scratch_.clear();
      call.playback.clear(now, mark_scratch_);
      echo_marks(call, mark_scratch_, now);
      break;
    }
  }
}

template <typename Client>
void BasicWorker<Client>::hang_up(Call& call, TimePoint now) {
  record_unread(call);
  if (call.state == Call::State::kStreaming && notice_server_closing(call, now)) return;
  call.state = Call::State::kClosing;
  call.hang_up_at = now;
  call.record.hung_up = now;
  std::error_code ec;
  if (stopping_) {
    call.closing_outcome = stop_reason_;
  } else if (call.ending != Call::Ending::kStopThenClose) {
    call.closing_outcome = Outcome::kDropped;
  }
  switch (call.ending) {
    case Call::Ending::kResetMidCall:
      if (!stopping_) {
        // SO_LINGER 0 makes close() send a TCP reset: the caller vanishes, no stop, no FIN.
        auto& socket = call.connection->get_raw_socket();
        socket.set_option(asio::socket_base::linger(true, 0), ec);
        call.sender.forget_socket();
        socket.close(ec);
        call.record.error = "reset mid-call by callsim (--drop-ratio)";
        return;
      }
      [[fallthrough]];
    case Call::Ending::kStopThenClose:
      if (call.record.start_sent != TimePoint{}) {
        build_stop(call.outgoing, call.record.ids, call.next_sequence());
        send_text(call);
      }
      break;
    case Call::Ending::kCloseWithoutStop:
      if (!stopping_) call.record.error = "closed without stop by callsim (--no-stop-ratio)";
      break;
  }
  call.connection->close(websocketpp::close::status::normal, "", ec);
}

template <typename Client>
void BasicWorker<Client>::finish(uint32_t slot, Outcome outcome, TimePoint now) {
  Call& call = *slots_[slot];
  if (call.state == Call::State::kDone) return;
  if (call.record.upgraded != TimePoint{}) --admitted_live_;
  dial_ended(call);
  --live_;
  call.record.ended = now;
  call.record.outcome = outcome = judge_reading(call, outcome);
  if (call.via_webhook) {
    // Twilio reports the stream's end before the call's.
    if (call.record.start_sent != TimePoint{}) {
      post_stream_event(call, StreamEvent::kStopped);
    } else if (call.stream_dialled && outcome != Outcome::kInterrupted) {
      post_stream_event(call, StreamEvent::kError);
    }
    post_status_callback(call, now);
  }
  // With a webhook the TwiML <Connect> was the admission; otherwise the stream confirms it.
  if (call.record.start_sent != TimePoint{} && !call.via_webhook) {
    call.record.admission_confirmed =
        admission_confirmation(call.record, call.planned_hang_up, settings_.reject_window);
  }
  call.record.frames_skipped = call.pacer.skipped_frames();
  stats_.frames_skipped += call.record.frames_skipped;
  call.record.messages_written_directly = call.sender.frames_written_directly();
  call.record.messages_queued = call.sender.frames_handed_over();
  if (call.conversation) {
    call.conversation->finish(now);
    call.record.audio = call.conversation->result();
    call.conversation.reset();
  }
  if (call.recording) submit_recording(call, now);
  ++stats_.outcomes[static_cast<size_t>(outcome)];
  stats_.calls.push_back(std::move(call.record));
  call.state = Call::State::kDone;
  call.next_service = TimePoint::max();
  if constexpr (kReadsPastWebsocketpp) {
    if (call.connection) call.connection->get_socket().clear_text_sink();
  }
  call.connection.reset();
  free_slots_.push_back(slot);

  // Closed model: a finished call is replaced at once until this worker's share is placed.
  // Posted, not called: the caller may still hold a reference into this slot.
  if (!stopping_ && next_call_ < plan_.calls_for(id_) &&
      !plan_.scheduled_offset(plan_.call_index(id_, next_call_)) &&
      (!plan_.staged_closed() || stages_want_replacement(now))) {
    int64_t position = next_call_++;
    ++replacements_posted_;
    asio::post(io_, [this, position, now] {
      --replacements_posted_;
      if (!stopping_) connect(position, now, clock_.now());
    });
  }
  publish_progress(now, live_ == 0);
  // Leftover deadlines of finished calls must not keep the worker's io_context alive.
  if (live_ == 0 && next_launch_ == TimePoint::max()) arm_timer();
}

template <typename Client>
void BasicWorker<Client>::stop_now(Outcome why) {
  if (stopping_) return;
  stopping_ = true;
  stop_reason_ = why;
  next_launch_ = TimePoint::max();
  TimePoint now = clock_.now();
  for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
    Call& call = *slots_[slot];
    if (call.state == Call::State::kStreaming) {
      hang_up(call, now);
      schedule(slot, now + kCloseGrace);
    } else if (call.state == Call::State::kWebhook) {
      // Waiting out the webhook's timeout (15 s) would hold Ctrl-C and --duration up.
      http_->cancel(call.webhook_request);
      finish(slot, why, now);
    } else if (call.state == Call::State::kConnecting) {
      abort_open_handshake(call, why, std::error_code());
    }
  }
  // Calls still waiting to dial never started: they end as the run did, never having dialled.
  std::deque<uint32_t> waiting;
  waiting.swap(dial_backlog_);
  for (uint32_t slot : waiting) finish(slot, why, now);
}

template <typename Client>
void BasicWorker<Client>::publish_progress(TimePoint now, bool force) {
  if (!force && now - last_publish_ < kProgressPeriod) return;
  last_publish_ = now;
  std::lock_guard<std::mutex> lock(progress_mutex_);
  progress_.live = live_;
  progress_.admitted = admitted_live_;
  progress_.ended = static_cast<int64_t>(stats_.calls.size());
  int64_t failed = 0;
  for (size_t i = 0; i < stats_.outcomes.size(); ++i) {
    if (is_failed_outcome(static_cast<Outcome>(i)))
      failed += static_cast<int64_t>(stats_.outcomes[i]);
  }
  progress_.failed = failed;
  progress_.rejected = static_cast<int64_t>(stats_.count(Outcome::kRejected));
  progress_.frames_sent = stats_.frames_sent;
  progress_.lateness_p99 = stats_.lateness.percentile(99);
}

template class BasicWorker<WsClient>;
template class BasicWorker<WssClient>;

std::unique_ptr<Worker> make_worker(int id, const CallSettings& settings, const LoadPlan& plan,
                                    TimePoint epoch, const Clock& clock) {
  if (settings.secure) {
    return std::make_unique<BasicWorker<WssClient>>(id, settings, plan, epoch, clock);
  }
  return std::make_unique<BasicWorker<WsClient>>(id, settings, plan, epoch, clock);
}

}  // namespace callsim
