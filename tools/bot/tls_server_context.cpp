#include "bot/tls_server_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim::bot {

namespace {

// OpenSSL's reason for the last failure ("no such file", "key values mismatch"), one line.
std::string openssl_reason(const std::error_code& ec) {
  unsigned long code = ERR_peek_last_error();
  std::string reason = code != 0 && ERR_reason_error_string(code) != nullptr
                           ? ERR_reason_error_string(code)
                           : ec.message();
  ERR_clear_error();
  return reason;
}

}  // namespace

std::shared_ptr<asio::ssl::context> make_server_tls_context(const std::string& cert_file,
                                                            const std::string& key_file) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);

  std::error_code ec;
  ERR_clear_error();
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    throw InputError(fmt::format("--tls-cert {}: cannot load a PEM certificate: {}", cert_file,
                                 openssl_reason(ec)));
  }
  context->use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) {
    throw InputError(
        fmt::format("--tls-key {}: cannot load a PEM private key for --tls-cert {}: {}", key_file,
                    cert_file, openssl_reason(ec)));
  }
  // use_private_key_file already refuses most mismatches; this catches the rest.
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    throw InputError(fmt::format("--tls-key {} does not match the certificate in --tls-cert {}",
                                 key_file, cert_file));
  }
  return context;
}

}  // namespace callsim::bot
