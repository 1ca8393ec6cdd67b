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

}  // namespace

AppResponse body_too_large(std::size_t max_body) {
  AppResponse response;
  response.status = 413;
  response.body =
      "request body too large: GET and HEAD take none, others at most " + std::to_string(max_body) + " bytes\n";
  return response;
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
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
  if (!reads_a_body && body_bytes > 0) return body_too_large(config.max_body);

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

}  // namespace kit
