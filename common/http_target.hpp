#pragma once
// Where a request goes, taken apart once from the URL the user typed.
#include <stdexcept>
#include <string>

namespace kit {

struct HttpTarget {
  std::string url;          // as given
  bool tls = false;         // https://
  std::string host;         // name or address, without IPv6 brackets: "localhost", "::1"
  std::string port;         // "8000"; the scheme's default when the URL has none
  std::string host_header;  // what the Host header says: "localhost:8000", "[::1]:8000"
  std::string target;       // path and query as sent on the request line: "/?delay=1"
};

struct BadUrl : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// Parses an absolute http:// or https:// URL with Boost.URL; throws BadUrl with a reason.
HttpTarget parse_http_url(const std::string& url);

// Where a redirect's Location points, resolved against the URL that answered
// (Location may be relative: "/next", "next", "//host/x"). Throws BadUrl.
HttpTarget resolve_redirect(const HttpTarget& from, const std::string& location);

}  // namespace kit
