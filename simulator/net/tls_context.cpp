#include "tls_context.h"

#include <fmt/format.h>
#include <asio/ssl/host_name_verification.hpp>

#include "core/errors.h"

namespace callsim {

std::shared_ptr<asio::ssl::context> make_client_tls_context(const std::string& host,
                                                            const std::string& ca_file,
                                                            bool insecure) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
  if (insecure) {
    context->set_verify_mode(asio::ssl::verify_none);
    return context;
  }
  std::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(ca_file, ec);
  }
  if (ec) {
    throw InputError(fmt::format("--ca-file {}: cannot load certificates: {}",
                                 ca_file.empty() ? "(system default)" : ca_file, ec.message()));
  }
  context->set_verify_mode(asio::ssl::verify_peer);
  context->set_verify_callback(asio::ssl::host_name_verification(host));
  return context;
}

}  // namespace callsim
