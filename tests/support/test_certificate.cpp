#include "test_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace callsim::test {

TestCertificate make_test_certificate(const std::string& directory,
                                      const std::string& subject_alt_names,
                                      const std::string& common_name) {
  const auto fail = [](const char* what) {
    throw std::runtime_error(std::string("test certificate: ") + what);
  };
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) fail("EC key generation failed");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] :
       {std::pair<int, const char*>{NID_subject_alt_name, subject_alt_names.c_str()},
        {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) fail("extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) fail("signing failed");

  std::filesystem::create_directories(directory);
  TestCertificate out{directory + "/cert.pem", directory + "/key.pem"};
  FILE* cert_out = fopen(out.cert_file.c_str(), "w");
  FILE* key_out = fopen(out.key_file.c_str(), "w");
  const bool written =
      cert_out && key_out && PEM_write_X509(cert_out, cert) == 1 &&
      PEM_write_PrivateKey(key_out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (cert_out) fclose(cert_out);
  if (key_out) fclose(key_out);
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!written) fail("cannot write the PEM files");
  return out;
}

}  // namespace callsim::test
