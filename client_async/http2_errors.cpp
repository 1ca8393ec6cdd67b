#include "http2_errors.hpp"

#include <nghttp2/nghttp2.h>

#include <string>

namespace kit::async {

namespace {

std::string http2_code(int value, Http2Error base) {
  return nghttp2_http2_strerror(static_cast<std::uint32_t>(value - static_cast<int>(base)));
}

class Http2Category : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "http2"; }
  std::string message(int value) const override {
    if (value >= static_cast<int>(Http2Error::protocol)) {
      return std::string("bad HTTP/2 from the server: ") +
             nghttp2_strerror(static_cast<int>(Http2Error::protocol) - value);
    }
    if (value >= static_cast<int>(Http2Error::going_away)) {
      return "the server closed the HTTP/2 connection (GOAWAY " + http2_code(value, Http2Error::going_away) + ")";
    }
    if (value >= static_cast<int>(Http2Error::reset_by_server)) {
      return "the server reset the stream (" + http2_code(value, Http2Error::reset_by_server) + ")";
    }
    switch (static_cast<Http2Error>(value)) {
      case Http2Error::refused: return "the server refused the stream before processing it (REFUSED_STREAM or GOAWAY)";
      case Http2Error::header_list_too_large: return "bad HTTP response: header list over 64 KiB";
      case Http2Error::not_http2: return "the server answered in HTTP/1.1: it does not speak HTTP/2 without TLS (h2c)";
      default: return "HTTP/2 error";
    }
  }
};

}  // namespace

const boost::system::error_category& http2_category() {
  static const Http2Category category;
  return category;
}

boost::system::error_code make_error(Http2Error error, long detail) {
  const long base = static_cast<long>(error);
  return {static_cast<int>(error == Http2Error::protocol ? base - detail : base + detail), http2_category()};
}

Failure http2_failure(const boost::system::error_code& error) {
  const int value = error.value();
  const bool bad = value >= static_cast<int>(Http2Error::protocol) ||
                   value == static_cast<int>(Http2Error::header_list_too_large) ||
                   value == static_cast<int>(Http2Error::not_http2);
  return bad ? Failure::bad_response : Failure::reset;  // else the stream or the connection ended early
}

}  // namespace kit::async
