#pragma once

#include <memory>
#include <string>

#include <asio/ssl/context.hpp>

namespace callsim {

// The OpenSSL context every wss:// call of a worker shares: TLS 1.2+, the peer's certificate
// verified against the system's CAs (or --ca-file) and its name checked against `host`, as Twilio
// does (it will not connect to a self-signed certificate). `insecure` turns verification off.
// InputError naming --ca-file when that file cannot be loaded.
std::shared_ptr<asio::ssl::context> make_client_tls_context(const std::string& host,
                                                            const std::string& ca_file,
                                                            bool insecure);

}  // namespace callsim
