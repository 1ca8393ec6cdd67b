#pragma once
// The two places where client_sync reaches through cpp-httplib to OpenSSL.
// cpp-httplib 0.31 put TLS behind an abstraction of its own: ssl_context()
// became tls_context() (with OpenSSL, the same SSL_CTX behind a void*), and
// the certificate check's result moved from the client to the Result.
// Chosen by CPPHTTPLIB_VERSION (Debian 12: 0.11, Ubuntu 24.04: 0.14,
// Debian 13: 0.18, testing: 0.41).
#include <httplib.h>
#include <openssl/ssl.h>

#include <string_view>

namespace kit::httplib_tls {

// "0.18.7" -> 1807: major.minor.patch as one number, at compile time.
constexpr long version_number(std::string_view text) {
  long parts[3] = {0, 0, 0};
  int part = 0;
  for (const char c : text) {
    if (c == '.') {
      if (++part == 3) break;
    } else if (c >= '0' && c <= '9') {
      parts[part] = parts[part] * 10 + (c - '0');
    }
  }
  return parts[0] * 10000 + parts[1] * 100 + parts[2];
}

inline constexpr bool has_tls_abstraction = version_number(CPPHTTPLIB_VERSION) >= version_number("0.31.0");

// The OpenSSL context the client will use for its connections.
template <class Client>
SSL_CTX* openssl_context(Client& client) {
  if constexpr (has_tls_abstraction) {
    return static_cast<SSL_CTX*>(client.tls_context());
  } else {
    return client.ssl_context();
  }
}

// OpenSSL's verdict on the server's certificate (X509_V_OK when the chain was fine).
template <class Client, class Result>
long certificate_check(const Client& client, const Result& result) {
  if constexpr (has_tls_abstraction) {
    return static_cast<long>(result.ssl_backend_error());
  } else {
    return client.get_openssl_verify_result();
  }
}

static_assert(version_number("0.11.4") == 1104 && version_number("0.41.0") == 4100);

}  // namespace kit::httplib_tls
