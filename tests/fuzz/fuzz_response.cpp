// libFuzzer target: the clients' response handling. Bytes from a server go
// through Beast's response parser with --max-body, then into a record (its
// Server-Timing too), and a redirect's Location is resolved with Boost.URL,
// as client_async does.
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http_target.hpp"
#include "record.hpp"
#include "server_timing.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);

  // The same bytes as a Server-Timing header: figures, if any, are real durations.
  const kit::ServerTimes timed = kit::read_server_timing(bytes);
  for (const auto& figure : {timed.queue, timed.app}) {
    if (figure && !(figure->count() >= 0)) __builtin_trap();
  }

  // The same bytes as a URL typed on the command line.
  try {
    kit::parse_http_url(bytes);
  } catch (const kit::BadUrl&) {
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(bytes), error);
  if (!error && !parser.is_done()) parser.put_eof(error);
  if (error || !parser.is_done()) return 0;

  auto& response = parser.get();
  kit::RequestRecord record{.number = 1, .lane = 1};
  record.set_response(response.result_int(), std::move(response.body()), response[http::field::location]);
  if (record.failure == kit::Failure::redirect) {
    try {
      const kit::HttpTarget next =
          kit::resolve_redirect(kit::parse_http_url("http://127.0.0.1:8000/a/b?c=d"), record.location);
      if (next.target.empty() || next.target.front() != '/') __builtin_trap();
    } catch (const kit::BadUrl&) {
    }
  }
  return 0;
}
