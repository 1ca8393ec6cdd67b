#pragma once
// The types client_async and server --async name their coroutines, sockets
// and timers with. Asio's defaults (tcp::socket, asio::awaitable<T>) can run
// on any executor, at the price of a type-erased copy at every wait and
// larger coroutine frames (docs/performance.md has the figures). Both
// programs run one io_context per thread, so its own executor type is all
// they need.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace kit::event_loop {

using Executor = boost::asio::io_context::executor_type;
template <class T>
using Awaitable = boost::asio::awaitable<T, Executor>;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using Timer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;

inline constexpr auto use_awaitable = boost::asio::use_awaitable_t<Executor>{};
// Every co_await hands back an error code instead of throwing.
inline constexpr auto no_throw = boost::asio::as_tuple(use_awaitable);

}  // namespace kit::event_loop
