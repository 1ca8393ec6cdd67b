#pragma once
// Opening the server's port: the listening socket, the TLS context for
// https, and when the kernel received a connection's bytes.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <optional>

#include "app_model.hpp"
#include "event_loop_types.hpp"
#include "server_config.hpp"

namespace kit {

using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, event_loop::Executor>;

// Binds and listens on config.host:config.port; throws ListenError.
// `stamp_arrivals`: the kernel records when each connection's bytes came.
void listen_on(Acceptor& acceptor, const ServerConfig& config, bool stamp_arrivals);

// https: the certificate and its key, from files or the key in memory; throws ListenError.
boost::asio::ssl::context tls_server_context(const ServerConfig& config);

// When the kernel received a connection's oldest unread bytes, on the steady
// clock; nullopt when it cannot say. A loop blocked in a sleep reads nothing
// meanwhile: this is how long a request really waited for it.
std::optional<ServerClock::time_point> kernel_arrival_time(int fd);

}  // namespace kit
