#include "answers.hpp"

#include <boost/beast/http.hpp>
#include <cctype>
#include <sstream>

namespace kit {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

http::response<http::string_body> response_message(const AppResponse& reply, unsigned version, bool keep_alive,
                                                   bool readable_by_pages, std::string_view server_timing,
                                                   const std::optional<RateLimitHeaders>& limits) {
  http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
  if (!reply.allow.empty()) response.set(http::field::allow, reply.allow);
  if (reply.body_bytes_read) response.set("X-Body-Bytes", std::to_string(*reply.body_bytes_read));
  if (!keep_alive) {
    response.set(http::field::connection, "close");
  } else if (version == 10) {
    response.set(http::field::connection, "keep-alive");  // HTTP/1.0 closes unless told
  }
  // 1xx, 204 and 304 answers have no body and say no length (RFC 9110,
  // 8.6); a 205 says it has none. A body there would desync a kept-alive client.
  const bool bodiless = reply.status < 200 || reply.status == 204 || reply.status == 304;
  const bool empty = bodiless || reply.status == 205;
  if (!bodiless) response.set(http::field::content_length, empty ? "0" : std::to_string(reply.body.size()));
  response.set(http::field::content_type, AppResponse::content_type);
  if (reply.status >= 400) response.set("X-Content-Type-Options", "nosniff");
  if (limits) {
    response.set("RateLimit-Limit", std::to_string(limits->limit));
    response.set("RateLimit-Remaining", std::to_string(limits->remaining));
    if (limits->retry_after > 0) response.set(http::field::retry_after, std::to_string(limits->retry_after));
  }
  if (readable_by_pages) {  // CORS: the student page, on the dashboard's port, reads these
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::access_control_expose_headers, "Server-Timing");
    response.set("Timing-Allow-Origin", "*");
  }
  if (!server_timing.empty()) response.set("Server-Timing", server_timing);
  if (!empty) response.body() = reply.body;
  return response;
}

}  // namespace

std::string response_bytes(const AppResponse& reply, http::verb method, unsigned version, bool keep_alive,
                           bool readable_by_pages, std::string_view server_timing,
                           const std::optional<RateLimitHeaders>& limits) {
  const auto response = response_message(reply, version, keep_alive, readable_by_pages, server_timing, limits);
  std::ostringstream bytes;
  if (method == http::verb::head) {
    bytes << response.base();
  } else {
    bytes << response;
  }
  return bytes.str();
}

Http2Answer http2_answer(const AppResponse& reply, http::verb method, bool readable_by_pages,
                         std::string_view server_timing, const std::optional<RateLimitHeaders>& limits) {
  auto response = response_message(reply, 11, true, readable_by_pages, server_timing, limits);
  Http2Answer answer{reply.status, {}, method == http::verb::head ? std::string() : std::move(response.body())};
  for (const auto& field : response) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.fields.emplace_back(std::move(name), field.value());
  }
  return answer;
}

int refusal_status(const boost::system::error_code& error, bool header_done, bool content_length_given) {
  // Too long: headers get a 431; a chunk-size line or trailer a 400, whether
  // the read buffer (see max_read_ahead_bytes) or Beast's own limit says so.
  if (error == http::error::header_limit || error == http::error::buffer_overflow) return header_done ? 400 : 431;
  if (error == http::error::body_limit) return 413;
  // A transfer coding Beast refuses while parsing (newer Beast does; older
  // finds it in request_problem()): 501, RFC 9112. Beside a Content-Length
  // it is a malformed request, whatever the coding: 400.
  if (error == http::error::bad_transfer_encoding) return content_length_given ? 400 : 501;
  if (error == http::error::end_of_stream || error == http::error::partial_message) return 0;
  if (error.category() == make_error_code(http::error::bad_method).category()) return 400;
  return 0;
}

int request_problem(const http::request<http::string_body>& request) {
  const std::size_t hosts = request.count(http::field::host);
  if (request.version() >= 11 ? hosts != 1 : hosts > 1) return 400;
  const auto coding = request.find(http::field::transfer_encoding);
  if (coding != request.end() && !beast::iequals(coding->value(), "chunked")) return 501;
  if (request.count(http::field::transfer_encoding) > 1) return 501;
  return 0;
}

}  // namespace kit
