#pragma once
// The dashboard's answers other than its event stream: a whole response,
// closed after it, never cached.
#include <boost/beast/http.hpp>
#include <sstream>
#include <string>
#include <string_view>

namespace kit {

inline std::string plain_response(boost::beast::http::status status, std::string_view content_type,
                                  std::string_view body, bool head) {
  boost::beast::http::response<boost::beast::http::string_body> response{status, 11};
  response.set(boost::beast::http::field::content_type, content_type);
  response.set(boost::beast::http::field::cache_control, "no-store");
  response.set(boost::beast::http::field::connection, "close");
  response.body() = body;
  response.prepare_payload();
  std::ostringstream bytes;
  if (head) {
    bytes << response.base();
  } else {
    bytes << response;
  }
  return bytes.str();
}

}  // namespace kit
