#include "self_signed.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace kit {

namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("cannot make a self-signed certificate: ") + what);
}

void add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  check(extension != nullptr, "extension");
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

void write_pem(const std::string& path, mode_t mode, const std::function<int(FILE*)>& write) {
  FILE* file = std::fopen(path.c_str(), "w");
  check(file != nullptr, "cannot create a file");
  ::fchmod(fileno(file), mode);
  const bool ok = write(file) == 1;
  check(std::fclose(file) == 0 && ok, "cannot write a file");
}

std::string private_key_pem(EVP_PKEY* key) {
  std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>> memory(BIO_new(BIO_s_mem()));
  check(memory && PEM_write_bio_PrivateKey(memory.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1, "key");
  char* bytes = nullptr;
  const long size = BIO_get_mem_data(memory.get(), &bytes);
  return std::string(bytes, static_cast<std::size_t>(size));
}

}  // namespace

SelfSignedCertificate::SelfSignedCertificate() {
  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "key");
  Certificate certificate(X509_new());
  check(certificate != nullptr, "certificate");
  X509_set_version(certificate.get(), 2);  // v3, for the extensions
  long serial = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&serial), sizeof serial);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), serial & 0x7fffffff);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 7L * 24 * 3600);
  X509_set_pubkey(certificate.get(), key.get());
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("slow-server demo kit"),
                             -1, -1, 0);
  X509_set_issuer_name(certificate.get(), name);
  add_extension(certificate.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  // Its own CA, so that --cacert cert.pem is all a client needs to trust it.
  add_extension(certificate.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(certificate.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_extension(certificate.get(), NID_ext_key_usage, "serverAuth");
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "signature");

  key_pem_ = private_key_pem(key.get());
  char folder[] = "/tmp/slow-server-tls-XXXXXX";
  check(::mkdtemp(folder) != nullptr, "cannot create a temporary folder");
  folder_ = folder;
  certificate_file_ = folder_ + "/cert.pem";
  write_pem(certificate_file_, 0644, [&](FILE* f) { return PEM_write_X509(f, certificate.get()); });
}

SelfSignedCertificate::~SelfSignedCertificate() {
  std::remove(certificate_file_.c_str());
  ::rmdir(folder_.c_str());
}

}  // namespace kit
