// libFuzzer target: the server's request handling. Bytes from the network
// go, in pieces, through a read buffer as bounded as the front end's and
// Beast's request parser with the server's limits, then to the app, as in
// HttpFrontEnd::serve_requests. Nothing may crash or hang, and a 400 that
// quotes the request stays printable.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <cstdint>
#include <string_view>

#include "slow_app.hpp"

namespace http = boost::beast::http;

// Feeds the bytes to the parser in pieces, as a socket delivers them, through
// a buffer as bounded as the front end's read buffer. False when the front
// end would refuse or wait: buffer full, a parse error, or the bytes ran out.
bool parse_in_pieces(std::string_view bytes, http::request_parser<http::string_body>& parser) {
  boost::beast::flat_buffer buffer(kit::max_read_ahead_bytes);
  std::size_t at = 0;
  while (!parser.is_done()) {
    const std::size_t piece = std::min({buffer.max_size() - buffer.size(), bytes.size() - at, std::size_t{700}});
    if (piece == 0) return false;  // a full buffer (the front end answers 400 or 431), or the end of the input
    const auto room = buffer.prepare(piece);
    std::memcpy(room.data(), bytes.data() + at, piece);
    buffer.commit(piece);
    at += piece;
    for (boost::beast::error_code error; !parser.is_done();) {
      const std::size_t used = parser.put(buffer.data(), error);
      buffer.consume(used);
      if (error == http::error::need_more) break;
      if (error) return false;
      if (used == 0) break;
    }
  }
  return true;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  http::request_parser<http::string_body> parser;
  parser.header_limit(kit::max_header_bytes);
  parser.body_limit(kit::default_max_body_bytes);
  if (!parse_in_pieces(bytes, parser)) return 0;

  const auto& request = parser.get();
  const kit::AppResponse reply =
      kit::respond(kit::AppConfig{}, request.method_string(), request.target(), request.body().size());
  if (reply.status < 200 || reply.status > 599) __builtin_trap();
  if (reply.delay.count() < 0 || reply.delay.count() > kit::AppConfig{}.max_delay) __builtin_trap();
  for (const char c : reply.body) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') __builtin_trap();  // a 400 quotes the peer: printable
  }
  return 0;
}
