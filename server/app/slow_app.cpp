#include "slow_app.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>

#include "safe_text.hpp"
#include "platform.hpp"

namespace kit {

namespace {

AppResponse bad_request(std::string reason) {
  AppResponse response;
  response.status = 400;
  response.body = std::move(reason) + "\n";
  return response;
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  const auto [end, error] = platform::parse_number(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

AppResponse refusal(int status, std::size_t max_body) {
  AppResponse response;
  response.status = status;
  switch (status) {
    case 413:
      response.body =
          "request body too large: GET and HEAD take none, others at most " + std::to_string(max_body) + " bytes\n";
      break;
    case 431: response.body = "request headers too large: at most 8 KiB\n"; break;
    case 501: response.body = "transfer coding not implemented: only chunked\n"; break;
    case 503: response.body = "server busy\n"; break;
    default: response.status = 400; response.body = "malformed request\n";
  }
  return response;
}

AppResponse too_many_requests(double rate, int retry_after_seconds) {
  AppResponse response;
  response.status = 429;
  response.body = "too many requests: this server takes " + number_text(rate) + " a second; retry after " +
                  std::to_string(retry_after_seconds) + " s\n";
  return response;
}

AppResponse respond(const AppConfig& config, std::string_view method, std::string_view target, std::size_t body_bytes) {
  const bool reads_a_body = method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
  if (method == "OPTIONS" || (!reads_a_body && method != "GET" && method != "HEAD")) {
    AppResponse response;
    response.status = method == "OPTIONS" ? 204 : 405;
    response.allow = served_methods;
    if (response.status == 405) {
      response.body = "method " + printable(method, 32) + " not allowed: use " + std::string(served_methods) + "\n";
    }
    return response;
  }
  if (!reads_a_body && body_bytes > 0) return refusal(413, config.max_body);

  auto url = boost::urls::parse_origin_form(target);
  if (!url) return bad_request("bad request target");

  AppResponse response;
  response.body = config.body;
  response.delay = std::chrono::duration<double>(config.delay);
  if (reads_a_body) response.body_bytes_read = body_bytes;

  const auto params = url->params();
  if (auto it = params.find("delay"); it != params.end()) {
    const std::string text = printable((*it).value, 64);  // a 400 quotes it
    const auto delay = parse_number(text);
    if (!delay || *delay < 0 || *delay > config.max_delay) {
      return bad_request("bad delay '" + text + "': expected seconds from 0 to " + number_text(config.max_delay));
    }
    response.delay = std::chrono::duration<double>(*delay);
  }
  if (auto it = params.find("status"); it != params.end()) {
    const std::string text = printable((*it).value, 64);
    const auto status = parse_number(text);
    if (!status || *status != std::floor(*status) || *status < 200 || *status > 599) {
      return bad_request("bad status '" + text + "': expected a whole number from 200 to 599");
    }
    response.status = static_cast<int>(*status);
  }
  return response;
}

void block_for(std::chrono::duration<double> delay) {
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
}

std::string access_log_line(std::string_view method, std::string_view target, int status, double seconds,
                            std::string_view lane, double queued_seconds) {
  char timing[64];
  if (queued_seconds >= 0.0005) {  // shows as 0.001 s or more
    std::snprintf(timing, sizeof timing, "%.3f s (queued %.3f s)", seconds, queued_seconds);
  } else {
    std::snprintf(timing, sizeof timing, "%.3f s", seconds);
  }
  std::string line;  // what a peer sent goes to the log made printable
  line.append(printable(method, 64))
      .append(" ")
      .append(printable(target, 256))
      .append(" ")
      .append(std::to_string(status));
  line.append(" ").append(timing).append(" ").append(lane);
  return line;
}

void write_log_line(const std::string& line) {
  const std::string with_newline = line + "\n";
  std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
}

}  // namespace kit
