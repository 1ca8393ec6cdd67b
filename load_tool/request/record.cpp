#include "record.hpp"

#include "safe_text.hpp"

#include <utility>

namespace kit {

std::string_view failure_name(Failure failure) {
  switch (failure) {
    case Failure::none: return "none";
    case Failure::dns: return "dns";
    case Failure::refused: return "refused";
    case Failure::timeout: return "timeout";
    case Failure::reset: return "reset";
    case Failure::bad_response: return "bad response";
    case Failure::too_large: return "too large";
    case Failure::tls: return "tls";
    case Failure::redirect: return "redirect";
    case Failure::http_status: return "http status";
    case Failure::other: return "other";
  }
  return "other";
}

namespace {

// An error answer's first line usually says why ("bad delay 'x': expected
// seconds from 0 to 60"): the failure line quotes it, bounded, made printable.
std::string first_line_of(std::string_view body) {
  constexpr std::size_t most_bytes = 200;
  const std::string_view line = body.substr(0, body.find_first_of("\r\n"));
  return line.empty() ? std::string() : printable(line, most_bytes);
}

}  // namespace

void RequestRecord::set_response(int http_status, std::string response_body, std::string_view location) {
  status = http_status;
  bytes = response_body.size();
  body = std::move(response_body);
  if (status >= 400) {
    const std::string why = first_line_of(body);
    fail(Failure::http_status, "HTTP " + std::to_string(status) + (why.empty() ? "" : ": " + why));
  }
  if (status >= 300 && status < 400) {
    this->location = printable(location);  // a peer's text: it reaches terminals and JSON
    fail(Failure::redirect, "HTTP " + std::to_string(status) + " redirect to " +
                                (location.empty() ? std::string("nowhere") : this->location) +
                                " (not followed; --follow follows it)");
  }
}

void RequestRecord::fail(Failure kind, std::string message) {
  failure = kind;
  error = printable(message, 4096);  // it may quote a peer's bytes
}

std::string status_line_text(std::string_view version, int status, std::string_view reason) {
  return printable(version, 16) + " " + std::to_string(status) + (reason.empty() ? "" : " " + printable(reason, 200)) +
         "\r\n";
}

std::string header_line_text(std::string_view name, std::string_view value) {
  return printable(name, 256) + ": " + printable(value, 8192) + "\r\n";
}

}  // namespace kit
