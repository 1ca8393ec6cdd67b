// libFuzzer target: the server's request handling. Bytes from the
// network go through Beast's request parser with the server's limits, then to
// the app, as in HttpFrontEnd::serve_requests. Nothing may crash or hang.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "slow_app.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  http::request_parser<http::string_body> parser;
  parser.header_limit(kit::max_header_bytes);
  parser.body_limit(kit::max_body_bytes);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
  if (error || !parser.is_done()) return 0;

  const auto& request = parser.get();
  const kit::AppResponse reply =
      kit::respond(kit::AppConfig{}, request.method_string(), request.target(), request.body().size());
  if (reply.status < 200 || reply.status > 599) __builtin_trap();
  if (reply.delay.count() < 0 || reply.delay.count() > kit::AppConfig{}.max_delay) __builtin_trap();
  return 0;
}
