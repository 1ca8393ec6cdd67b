#include "tls_errors.hpp"

#include <openssl/x509_vfy.h>

namespace kit {

std::string describe_certificate_problem(long verify_result) {
  const std::string detail = X509_verify_cert_error_string(verify_result);
  switch (verify_result) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return "certificate host-name mismatch: it is not for this host";
    case X509_V_ERR_CERT_HAS_EXPIRED: return "certificate expired";
    case X509_V_ERR_CERT_NOT_YET_VALID: return "certificate not yet valid";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "certificate not trusted (" + detail + "): use --cacert FILE, or --insecure";
    default: return "certificate rejected (" + detail + ")";
  }
}

}  // namespace kit
