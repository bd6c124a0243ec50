#pragma once

#include <string>

namespace callsim::test {

// A self-signed certificate (EC P-256, valid for a day) for the names in `subject_alt_names`
// (OpenSSL's syntax) and its key, written as PEM files into `directory` (created if missing);
// the certificate also serves as the CA file that trusts it. Certificates that share a CA bundle
// need distinct `common_name`s, or OpenSSL may pick the wrong one as the issuer.
struct TestCertificate {
  std::string cert_file;
  std::string key_file;
};
TestCertificate make_test_certificate(
    const std::string& directory,
    const std::string& subject_alt_names = "DNS:localhost,IP:127.0.0.1",
    const std::string& common_name = "localhost");

}  // namespace callsim::test
