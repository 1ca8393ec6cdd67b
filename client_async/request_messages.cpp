#include "request_messages.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <string_view>

namespace kit::async {

namespace http = boost::beast::http;

namespace {

// The method, headers and body the flags ask for; Host from the URL unless -H gives one.
http::request<http::string_body> request_message(const HttpTarget& target, const RequestShape& shape,
                                                 const ClientOptions& options) {
  http::request<http::string_body> request{http::string_to_verb(shape.method), target.target, 11};
  request.set(http::field::host, target.host_header);
  request.set(http::field::user_agent, options.program);
  if (!options.keep_alive) request.set(http::field::connection, "close");
  for (const auto& [name, value] : shape.headers) {
    const http::field known = http::string_to_field(name);
    const bool replaces = known == http::field::host || known == http::field::user_agent;
    if (replaces)
      request.set(known, value);
    else
      request.insert(name, value);
  }
  if (shape.body) request.body() = *shape.body;
  request.prepare_payload();
  return request;
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// Fields that belong to one HTTP/1.1 connection, and Host, which :authority replaces.
bool left_out_of_http2(const std::string& name, std::string_view value) {
  constexpr std::array<std::string_view, 7> connection_fields{
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host", "te"};
  if (name == "te") return value != "trailers";
  return std::find(connection_fields.begin(), connection_fields.end(), name) != connection_fields.end();
}

}  // namespace

std::string http1_request(const HttpTarget& target, const RequestShape& shape, const ClientOptions& options) {
  std::ostringstream bytes;
  bytes << request_message(target, shape, options);
  return bytes.str();
}

Http2Message http2_request(const HttpTarget& target, const RequestShape& shape, const ClientOptions& options) {
  auto request = request_message(target, shape, options);
  Http2Message message;
  message.fields = {{":method", std::string(request.method_string())},
                    {":scheme", target.tls ? "https" : "http"},
                    {":authority", std::string(request[http::field::host])},
                    {":path", target.target}};
  for (const auto& field : request) {
    std::string name = lower_case(field.name_string());
    if (!left_out_of_http2(name, field.value())) message.fields.emplace_back(std::move(name), field.value());
  }
  message.body = std::move(request.body());
  return message;
}

}  // namespace kit::async
