#pragma once
// --tls-self-signed: a throw-away certificate so a class can try HTTPS with
// no setup. Made with OpenSSL at start-up. The private key stays in memory;
// only the certificate is written, for clients' --cacert, and it is removed
// when the server exits.
#include <string>

namespace kit {

class SelfSignedCertificate {
 public:
  // An EC P-256 key and a certificate for localhost, 127.0.0.1 and ::1,
  // valid for 7 days; the certificate is written as PEM into a new temporary folder.
  // Throws std::runtime_error when OpenSSL or the file system says no.
  SelfSignedCertificate();
  ~SelfSignedCertificate();  // deletes the file and its folder
  SelfSignedCertificate(const SelfSignedCertificate&) = delete;
  SelfSignedCertificate& operator=(const SelfSignedCertificate&) = delete;

  const std::string& certificate_file() const { return certificate_file_; }
  const std::string& key_pem() const { return key_pem_; }  // the private key, PEM, never on disk

 private:
  std::string folder_, certificate_file_, key_pem_;
};

}  // namespace kit
