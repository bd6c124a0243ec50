#pragma once

#include <memory>
#include <string>

#include <asio/ssl/context.hpp>

namespace callsim::bot {

// The OpenSSL server context every network thread shares (SSL_CTX is safe to use from several
// threads): TLS 1.2 or later, the --tls-cert chain and the --tls-key that matches it. Built at
// startup so that an unusable file stops the bot before it listens, with an InputError naming
// the flag and the file.
std::shared_ptr<asio::ssl::context> make_server_tls_context(const std::string& cert_file,
                                                            const std::string& key_file);

}  // namespace callsim::bot
