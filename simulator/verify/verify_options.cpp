#include "verify_options.h"

#include "core/errors.h"

namespace callsim {

void validate(const VerifyOptions& o) {
  if (o.cap < 1) throw InputError("--cap must be at least 1");
  if (o.reject_timeout.count() <= 0) throw InputError("--reject-timeout must be positive");
  if (o.settle.count() < 0) throw InputError("--settle must not be negative");
  if (o.gauge_lag.count() < 0) throw InputError("--gauge-lag must not be negative");
  if (o.steady_grace.count() < 0) throw InputError("the steady grace must not be negative");
  if (o.excursion_limit.count() < 0) throw InputError("the excursion limit must not be negative");
}

CapOptions cap_options_from(const Options& options) {
  CapOptions out;
  out.verify.cap = options.cap;
  out.verify.reject_timeout = options.reject_timeout;
  out.verify.settle = options.settle;
  out.verify.gauge_lag = options.gauge_lag;
  out.gauge.spec = parse_gauge_spec(options.gauge);
  out.gauge.redis_url = options.redis_url;
  // A health endpoint polled a thousand times a second would be load, not observation.
  out.gauge.interval = options.gauge_interval.count() > 0            ? options.gauge_interval
                       : out.gauge.spec.kind == GaugeKind::kHttpJson ? std::chrono::milliseconds(50)
                                                                     : std::chrono::milliseconds(1);
  out.gauge.trace = parse_trace_mode(options.gauge_trace);
  validate(out.verify);
  validate(out.gauge);
  return out;
}

}  // namespace callsim
