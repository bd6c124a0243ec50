// A MONITOR stream fed line by line to the MonitorTracer (and so to KeyReplay) for one gauge
// kind, the first byte choosing the kind. Checkpoints 1..3 are registered up front, so ECHO
// lines with their nonces resynchronise the replay as the sampler's would.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_input.h"
#include "gauge/monitor_tracer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const callsim::GaugeKind kinds[] = {
      callsim::GaugeKind::kRedisGet, callsim::GaugeKind::kRedisScard,
      callsim::GaugeKind::kRedisHlen, callsim::GaugeKind::kRedisZcard};
  callsim::GaugeKind kind = kinds[data[0] % 4];
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  callsim::GaugeSpec spec{kind, "g", "", ""};
  callsim::MonitorTracer tracer(spec, 0, "n:");
  callsim::KeyReplay replay(kind, "g", 0);
  auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::seconds(1000);
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    callsim::KeySnapshot s;
    s.full = seq != 2;  // one count-only checkpoint
    s.count = 0;
    tracer.add_checkpoint(seq, t0 + std::chrono::milliseconds(seq),
                          t0 + std::chrono::milliseconds(seq + 1), s);
  }
  size_t start = 0;
  while (start <= stream.size()) {
    size_t nl = stream.find('\n', start);
    if (nl == std::string_view::npos) nl = stream.size();
    std::string_view line = stream.substr(start, nl - start);
    tracer.on_line(line);
    if (auto parsed = callsim::parse_monitor_line(line)) {
      replay.expire_until(parsed->time_us / 1000);
      replay.apply(*parsed);
      (void)replay.value();
    }
    start = nl + 1;
  }
  callsim::GaugeTrace trace;
  tracer.finish(trace);
  return 0;
}
