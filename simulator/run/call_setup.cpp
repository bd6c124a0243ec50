#include "call_setup.h"

#include <cstdio>
#include <cstdlib>
#include <random>

#include <fmt/format.h>

#include "core/twilio_signature.h"
#include "core/url.h"
#include "install/data_dir.h"
#include "media/media_error.h"

namespace callsim {

namespace {

constexpr Nanos kMinimumHold = std::chrono::seconds(5);

// Twilio strips the query string before connecting (fact sheet §2.1); so do we, but the
// signature still covers the URL exactly as configured.
std::string strip_query(const std::string& url) {
  std::string dialled = without_query(url);
  if (dialled != url) {
    std::fprintf(stderr,
                 "callsim: warning: --url has a query string; Twilio strips it before "
                 "connecting, so callsim connects to %s\n",
                 dialled.c_str());
  }
  return dialled;
}

}  // namespace

std::string default_fixture_path() {
  return fixtures_dir("--fixture") + "/audio/caller-question.opus";
}

CallSettings make_call_settings(const Options& options) {
  CallSettings settings;
  std::string fixture = options.fixture.empty() ? default_fixture_path() : options.fixture;
  try {
    settings.audio = media::FrameSource::from_file(fixture);
  } catch (const media::MediaError& e) {
    throw InputError(fmt::format("--fixture {}", e.what()));
  }
  settings.conversation = make_conversation_settings(options, settings.audio);
  if (options.hold.count() > 0) {
    settings.hold = options.hold;
  } else if (settings.conversation) {
    settings.hold = settings.conversation->longest_call();
  } else {
    settings.hold = std::max<Nanos>(settings.audio->duration(), kMinimumHold);
  }
  settings.seed = options.seed_given
                      ? options.seed
                      : (uint64_t(std::random_device{}()) << 32) ^ std::random_device{}();
  settings.connect_url = with_lower_case_scheme(strip_query(options.url));
  settings.headers = options.headers;
  if (!options.auth_token_env.empty()) {
    const char* token = std::getenv(options.auth_token_env.c_str());
    if (!token || !*token) {
      throw InputError(fmt::format("--auth-token-env {}: that environment variable is not set",
                                   options.auth_token_env));
    }
    // With a webhook, each upgrade is signed over the stream URL its TwiML named.
    if (options.webhook_url.empty()) {
      settings.headers.emplace_back("x-twilio-signature", twilio_signature(token, options.url));
    }
    settings.auth_token = token;
  }
  settings.webhook_url = with_lower_case_scheme(options.webhook_url);
  if (!options.webhook_url.empty()) {
    settings.from_numbers = NumberPool::parse(options.from_numbers, "--from");
    settings.to_numbers = NumberPool::parse(options.to_numbers, "--to");
  }
  settings.status_callback_url = options.status_callback_url;
  settings.status_callbacks = !options.no_status_callback;
  settings.skip_stream_ratio = options.skip_stream_ratio;
  settings.handshake_timeout = options.handshake_timeout;
  settings.ca_file = options.ca_file;
  settings.insecure = options.insecure;
  settings.reject_window = options.reject_window;
  settings.reject_statuses = options.reject_statuses;
  settings.reject_close_codes = options.reject_close_codes;
  settings.custom_parameters = options.params;
  settings.drop_ratio = options.drop_ratio;
  settings.no_stop_ratio = options.no_stop_ratio;
  return settings;
}

}  // namespace callsim
