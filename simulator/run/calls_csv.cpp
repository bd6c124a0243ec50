#include "run/calls_csv.h"

#include <algorithm>

#include <fmt/format.h>

namespace callsim {

const std::vector<std::string> kCallCsvColumns = {"index",
                                                  "burst",
                                                  "worker",
                                                  "call_sid",
                                                  "stream_sid",
                                                  "outcome",
                                                  "admitted",
                                                  "reject_kind",
                                                  "http_status",
                                                  "close_code",
                                                  "close_reason",
                                                  "error",
                                                  "reject_detail",
                                                  "ws_violation",
                                                  "scheduled_ms",
                                                  "connect_ms",
                                                  "upgraded_ms",
                                                  "start_sent_ms",
                                                  "first_server_message_ms",
                                                  "admission_confirmed_ms",
                                                  "hung_up_ms",
                                                  "ended_ms",
                                                  "frames_sent",
                                                  "frames_skipped",
                                                  "messages_received",
                                                  "server_media_bytes",
                                                  "marks_received",
                                                  "marks_echoed",
                                                  "clears_received"};

namespace {

std::string time_cell(TimePoint origin, TimePoint t) {
  if (t == TimePoint{}) return "";
  return fmt::format("{:.3f}", std::chrono::duration<double, std::milli>(t - origin).count());
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string render_calls_csv(const std::vector<CallRecord>& calls, TimePoint origin) {
  std::string out;
  for (size_t i = 0; i < kCallCsvColumns.size(); ++i) {
    out += (i ? "," : "") + kCallCsvColumns[i];
  }
  out += "\r\n";
  std::vector<const CallRecord*> ordered;
  for (const CallRecord& c : calls) ordered.push_back(&c);
  std::sort(ordered.begin(), ordered.end(),
            [](const CallRecord* a, const CallRecord* b) { return a->index < b->index; });
  for (const CallRecord* call : ordered) {
    const CallRecord& c = *call;
    const std::vector<std::string> cells = {
        std::to_string(c.index),
        std::to_string(c.burst + 1),
        std::to_string(c.worker),
        c.ids.call_sid,
        c.ids.stream_sid,
        to_string(c.outcome),
        c.admitted() ? "true" : "false",
        c.reject_kind == RejectKind::kNone ? "" : to_string(c.reject_kind),
        c.http_status ? std::to_string(c.http_status) : "",
        c.closed_by_server ? std::to_string(c.close_code) : "",
        c.closed_by_server ? c.close_reason : "",
        c.error,
        c.reject_detail,
        c.ws_violation,
        time_cell(origin, c.scheduled),
        time_cell(origin, c.connect_started),
        time_cell(origin, c.upgraded),
        time_cell(origin, c.start_sent),
        time_cell(origin, c.first_server_message),
        time_cell(origin, c.admission_confirmed),
        time_cell(origin, c.hung_up),
        time_cell(origin, c.ended),
        std::to_string(c.frames_sent),
        std::to_string(c.frames_skipped),
        std::to_string(c.messages_received),
        std::to_string(c.server_media_bytes),
        std::to_string(c.marks_received),
        std::to_string(c.marks_echoed),
        std::to_string(c.clears_received)};
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
    out += "\r\n";
  }
  return out;
}

}  // namespace callsim
