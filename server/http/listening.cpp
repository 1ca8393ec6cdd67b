#include "listening.hpp"

#include "platform.hpp"

#include <openssl/ssl.h>

#include <string>

namespace kit {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

[[noreturn]] void cannot_listen(const ServerConfig& config, const boost::system::error_code& error) {
  throw ListenError("cannot listen on " + config.host + ":" + std::to_string(config.port) + " (" + error.message() +
                    ")");
}

}  // namespace

void listen_on(Acceptor& acceptor, const ServerConfig& config, bool stamp_arrivals) {
  boost::system::error_code error;
  tcp::resolver resolver(acceptor.get_executor());
  auto endpoints = resolver.resolve(config.host, std::to_string(config.port), tcp::resolver::passive, error);
  if (error || endpoints.empty()) cannot_listen(config, error);
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  // A connection is accepted once its request is there, as Apache does by
  // default and nginx with `listen ... deferred`: no wake-up to find nothing.
  if (!error) platform::accept_when_data_arrives(acceptor.native_handle());
  if (!error && stamp_arrivals) platform::stamp_arrivals(acceptor.native_handle());
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) cannot_listen(config, error);
}

asio::ssl::context tls_server_context(const ServerConfig& config) {
  boost::system::error_code error;
  asio::ssl::context tls(asio::ssl::context::tls_server);
  tls.use_certificate_chain_file(config.tls_certificate, error);
  if (!error && !config.tls_key_pem.empty()) {
    tls.use_private_key(asio::buffer(config.tls_key_pem), asio::ssl::context::pem, error);
  } else if (!error) {
    tls.use_private_key_file(config.tls_key, asio::ssl::context::pem, error);
  }
  if (error) {
    throw ListenError("cannot use certificate " + config.tls_certificate + " and key " +
                      (config.tls_key.empty() ? "(in memory)" : config.tls_key) + " (" + error.message() + ")");
  }
  // ALPN: h2 when the client offers it (and --no-http2 is not given), else http/1.1.
  static constexpr unsigned char h2_first[] = "\x02h2\x08http/1.1", http1_only[] = "\x08http/1.1";
  SSL_CTX_set_alpn_select_cb(
      tls.native_handle(),
      [](SSL*, const unsigned char** chosen, unsigned char* size, const unsigned char* offered, unsigned offered_size,
         void* with_http2) {
        const unsigned char* ours = with_http2 != nullptr ? h2_first : http1_only;
        const unsigned ours_size = with_http2 != nullptr ? sizeof h2_first - 1 : sizeof http1_only - 1;
        unsigned char* picked = nullptr;
        if (SSL_select_next_proto(&picked, size, ours, ours_size, offered, offered_size) != OPENSSL_NPN_NEGOTIATED) {
          return SSL_TLSEXT_ERR_NOACK;  // nothing in common: carry on without ALPN, as HTTP/1.1
        }
        *chosen = picked;
        return SSL_TLSEXT_ERR_OK;
      },
      config.http2 ? const_cast<unsigned char*>(h2_first) : nullptr);
  return tls;
}

std::optional<ServerClock::time_point> kernel_arrival_time(int fd) {
  const auto age = platform::age_of_unread_bytes(fd);
  if (!age) return std::nullopt;
  return ServerClock::now() - std::chrono::duration_cast<ServerClock::duration>(*age);
}

}  // namespace kit
