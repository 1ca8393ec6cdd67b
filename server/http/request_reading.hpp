#pragma once
// Reading a request's header, bounded: Beast's parser, driven here so that a
// header block that has ended and still does not parse is refused at once;
// and after a refusal, the rest of what the client sends, for a moment.
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <algorithm>
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/socket_base.hpp>
#include <chrono>
#include <string_view>

#include "event_loop_types.hpp"

namespace kit {

// A header block whose blank line has arrived is all there is of it.
inline bool header_block_ended(const boost::beast::flat_buffer& buffer) {
  const std::string_view bytes(static_cast<const char*>(buffer.data().data()), buffer.size());
  return bytes.find("\r\n\r\n") != std::string_view::npos;
}

// As Beast's async_read_header, with one difference: a header block that has
// ended and still does not parse is malformed at once. Beast waits for a
// request line's eight version bytes ("GET / \r\n\r\n") until the timeout.
template <class AnyStream, class Parser>
event_loop::Awaitable<boost::system::error_code> read_header(AnyStream& stream, boost::beast::flat_buffer& buffer,
                                                             Parser& parser) {
  for (;;) {
    if (buffer.size() > 0) {
      boost::system::error_code error;
      buffer.consume(parser.put(buffer.data(), error));
      if (parser.is_header_done()) co_return boost::system::error_code{};
      if (error && error != boost::beast::http::error::need_more) co_return error;
      if (header_block_ended(buffer)) co_return boost::beast::http::error::bad_version;
    }
    const std::size_t room = std::min<std::size_t>(buffer.max_size() - buffer.size(), 64 * 1024);
    if (room == 0) co_return boost::beast::http::error::buffer_overflow;
    auto [read_error, read] = co_await stream.async_read_some(buffer.prepare(room), event_loop::no_throw);
    buffer.commit(read);
    if (read_error == boost::asio::error::eof)
      co_return parser.got_some() ? boost::beast::http::error::partial_message
                                  : boost::beast::http::error::end_of_stream;
    if (read_error) co_return read_error;
  }
}

// Closes after a refusal without losing it: a client still sending the body
// we refused would get a reset, and a reset can destroy our answer before the
// client reads it. So: stop sending, then read and discard for a moment.
template <class TcpStream>
event_loop::Awaitable<void> drain_and_close(TcpStream& stream, std::size_t max_body) {
  boost::system::error_code ignored;
  stream.socket().shutdown(boost::asio::socket_base::shutdown_send, ignored);
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16384> discard;
  for (std::size_t drained = 0; drained < 4 * max_body;) {
    auto [error, n] = co_await stream.async_read_some(boost::asio::buffer(discard), event_loop::no_throw);
    if (error) break;
    drained += n;
  }
}

}  // namespace kit
