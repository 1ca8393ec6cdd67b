#include "http_target.hpp"

#include "safe_text.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

namespace kit {

bool names_this_machine(const std::string& host) {
  const std::string name = ascii_lowercase(host);
  const std::string suffix = ".localhost";
  return name == "localhost" ||
         (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
}

HttpTarget parse_http_url(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw BadUrl("bad URL '" + url + "': expected http[s]://HOST[:PORT]/PATH");
  const boost::urls::url_view& view = *parsed;

  const bool tls = view.scheme_id() == boost::urls::scheme::https;
  if (view.scheme_id() != boost::urls::scheme::http && !tls) {
    throw BadUrl("bad URL '" + url + "': only http:// and https:// URLs are supported");
  }
  if (view.encoded_host().empty()) throw BadUrl("bad URL '" + url + "': no host");
  if (view.has_port()) {
    // Boost.URL accepts any digits as a port; a TCP port must fit in 1-65535.
    const auto port = view.port();
    unsigned number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc{} || end != port.data() + port.size() || number == 0 || number > 65535) {
      throw BadUrl("bad URL '" + url + "': port must be 1-65535");
    }
  }

  HttpTarget result;
  result.url = url;
  result.tls = tls;
  result.host = view.host_address();  // IPv6 literals come without brackets
  result.port = view.has_port() ? std::string(view.port()) : tls ? "443" : "80";
  result.host_header = view.encoded_host_and_port();
  result.target = view.encoded_target();
  if (result.target.empty() || result.target.front() != '/') result.target.insert(0, "/");
  return result;
}

HttpTarget resolve_redirect(const HttpTarget& from, const std::string& location) {
  auto reference = boost::urls::parse_uri_reference(location);
  if (!reference) throw BadUrl("bad redirect Location '" + location + "'");
  boost::urls::url resolved;
  const auto base = boost::urls::parse_absolute_uri(from.url);
  if (!base || boost::urls::resolve(*base, *reference, resolved).has_error()) {
    throw BadUrl("bad redirect Location '" + location + "'");
  }
  return parse_http_url(std::string(resolved.buffer()));
}

RedirectStep next_redirect(const HttpTarget& from, const std::string& location, int status) {
  HttpTarget next;
  try {
    next = resolve_redirect(from, location);
  } catch (const BadUrl& e) {
    return {std::nullopt, e.what(), true};
  }
  if (next.host != from.host || next.port != from.port || next.tls != from.tls) {
    return {std::nullopt, "HTTP " + std::to_string(status) + " redirect to another host (" + next.url +
                              "), which --follow does not follow"};
  }
  return {std::move(next), ""};
}

}  // namespace kit
