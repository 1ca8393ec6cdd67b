#pragma once
// What each request says beyond its URL, as -m, -H, -d/-D, -T and -a ask:
// both clients send the same method, headers and body to every URL.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kit {

struct RequestShape {
  std::string method = "GET";
  // -H in the order given, then Content-Type (-T, or the default for a body)
  // and Authorization (-a). Host and Content-Length come from the URL and the body.
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<const std::string> body;  // read once, sent from this one buffer; null without -d/-D

  bool is_head() const { return method == "HEAD"; }
  const std::string* header(std::string_view name) const;  // the first of that name, or null
};

// The methods the clients send.
inline constexpr std::string_view client_methods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

// The method in capitals if it is one of client_methods, otherwise nullopt.
std::optional<std::string> known_method(std::string_view method);

// "Name: value" as -H takes it. Throws std::invalid_argument saying what is
// wrong: no colon, a name that is not an HTTP token, a control byte in the
// value, or a header the kit writes itself (Content-Length, Transfer-Encoding).
std::pair<std::string, std::string> parse_header_line(std::string_view line);

// -a USER:PASS as an Authorization value: "Basic dXNlcjpwYXNz".
std::string basic_authorization(std::string_view user_and_password);

// What a body is sent as without -T, as curl's -d does.
inline constexpr std::string_view default_body_type = "application/x-www-form-urlencoded";

}  // namespace kit
