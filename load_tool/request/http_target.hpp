#pragma once
// Where a request goes, taken apart once from the URL the user typed.
#include <optional>
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

// "localhost" and names under it are the machine itself (RFC 6761): both
// clients try 127.0.0.1 and ::1 for them, as curl does, whatever the system's
// hosts file says, so a server on either is reached.
bool names_this_machine(const std::string& host);

// Parses an absolute http:// or https:// URL with Boost.URL; throws BadUrl with a reason.
HttpTarget parse_http_url(const std::string& url);

// Where a redirect's Location points, resolved against the URL that answered
// (Location may be relative: "/next", "next", "//host/x"). Throws BadUrl.
HttpTarget resolve_redirect(const HttpTarget& from, const std::string& location);

// --follow, in both clients: redirects are followed within the same scheme,
// host and port (the host was looked up once for the run), at most this many
// hops per request.
inline constexpr int most_redirects = 5;

// Where the redirect that answered `from` should be followed to, or the
// reason it is not followed ("redirect to another host (...)").
struct RedirectStep {
  std::optional<HttpTarget> next;
  std::string refusal;
  bool bad_location = false;  // Location is no URL at all: a bad response, not a redirect
};
RedirectStep next_redirect(const HttpTarget& from, const std::string& location, int status);

}  // namespace kit
