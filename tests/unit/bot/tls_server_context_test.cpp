// The bot's TLS files are checked when it starts: each problem is an InputError naming the flag.
#include "bot/tls_server_context.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "bot/bot_config.h"
#include "child_process.h"
#include "core/errors.h"
#include "test_certificate.h"

namespace callsim::bot {
namespace {

using callsim::test::make_test_certificate;
using callsim::test::TempDir;

std::string error_of(const std::string& cert, const std::string& key) {
  try {
    make_server_tls_context(cert, key);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(TlsServerContext, LoadsAMatchingCertificateAndKey) {
  TempDir dir;
  auto files = make_test_certificate(dir.path());
  auto context = make_server_tls_context(files.cert_file, files.key_file);
  ASSERT_NE(context, nullptr);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context->native_handle()), TLS1_2_VERSION);
}

TEST(TlsServerContext, EachUnusableFileNamesItsFlag) {
  TempDir dir, other;
  auto files = make_test_certificate(dir.path());
  auto stranger = make_test_certificate(other.path());
  std::string garbage = dir.path() + "/garbage.pem";
  std::ofstream(garbage) << "not a PEM file\n";

  std::string missing_cert = error_of(dir.path() + "/nonexistent.pem", files.key_file);
  EXPECT_TRUE(mentions(missing_cert, "--tls-cert " + dir.path() + "/nonexistent.pem"))
      << missing_cert;
  std::string garbage_cert = error_of(garbage, files.key_file);
  EXPECT_TRUE(mentions(garbage_cert, "--tls-cert " + garbage)) << garbage_cert;
  std::string missing_key = error_of(files.cert_file, dir.path() + "/nonexistent.key");
  EXPECT_TRUE(mentions(missing_key, "--tls-key " + dir.path() + "/nonexistent.key")) << missing_key;
  std::string garbage_key = error_of(files.cert_file, garbage);
  EXPECT_TRUE(mentions(garbage_key, "--tls-key " + garbage)) << garbage_key;
  // The key file is a certificate, not a key.
  std::string cert_as_key = error_of(files.cert_file, files.cert_file);
  EXPECT_TRUE(mentions(cert_as_key, "--tls-key")) << cert_as_key;
  std::string mismatched = error_of(files.cert_file, stranger.key_file);
  EXPECT_TRUE(mentions(mismatched, "--tls-key " + stranger.key_file)) << mismatched;
  for (const auto& message : {missing_cert, garbage_cert, missing_key, garbage_key, mismatched}) {
    EXPECT_FALSE(mentions(message, "\n")) << message;
  }
}

TEST(TlsServerContext, CertificateAndKeyGoTogether) {
  BotConfig c;
  c.tls_cert_file = "cert.pem";
  EXPECT_THROW(validate(c), InputError);
  c.tls_key_file = "key.pem";
  EXPECT_NO_THROW(validate(c));
  EXPECT_TRUE(serves_tls(c));
  c.tls_cert_file.clear();
  EXPECT_THROW(validate(c), InputError);
}

}  // namespace
}  // namespace callsim::bot
