#pragma once
// The front end's answers, as pure functions (tests/unit/front_end_test.cpp):
// the bytes of an answer, and which status refuses a request that cannot be
// served.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rate_limit.hpp"
#include "slow_app.hpp"

namespace kit {

// An answer as it goes on the wire: HTTP/1.1 always, as most servers do.
// Answers the app gave carry its Server-Timing, as the last header.
std::string response_bytes(const AppResponse& reply, boost::beast::http::verb method, unsigned version, bool keep_alive,
                           bool readable_by_pages, std::string_view server_timing = {},
                           const std::optional<RateLimitHeaders>& limits = {});

// The same answer as an HTTP/2 stream sends it: its status, its header
// fields in lower case (none of them connection-specific: keep-alive has no
// Connection header), and its body (none for HEAD).
struct Http2Answer {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
};
Http2Answer http2_answer(const AppResponse& reply, boost::beast::http::verb method, bool readable_by_pages,
                         std::string_view server_timing = {}, const std::optional<RateLimitHeaders>& limits = {});

// A request that could not be read: which status tells the client why, or 0
// when there is nobody to tell (closed, reset, timed out, cancelled).
int refusal_status(const boost::system::error_code& error, bool header_done, bool content_length_given);

// What Beast leaves to its user (RFC 9112): an HTTP/1.1 request names
// exactly one Host, and the only transfer coding served is chunked.
// Returns the status to refuse the request with, or 0 to serve it.
int request_problem(const boost::beast::http::request<boost::beast::http::string_body>& request);

}  // namespace kit
