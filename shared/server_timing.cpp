#include "server_timing.hpp"

#include <boost/beast/http/rfc7230.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <strings.h>

#include "platform.hpp"

namespace kit {

namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<double> milliseconds(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  double value = 0;
  const auto [end, error] = platform::parse_number(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::string server_timing_value(double queue_seconds, double app_seconds) {
  char value[80];
  std::snprintf(value, sizeof value, "%s;dur=%.1f, %s;dur=%.1f", queue_metric.data(), queue_seconds * 1000,
                app_metric.data(), app_seconds * 1000);
  return value;
}

std::optional<Seconds> server_timing_duration(std::string_view header, std::string_view name) {
  // Server-Timing has the grammar of an HTTP extension list: metric *( ";" param ).
  for (const auto& [metric, params] : boost::beast::http::ext_list(header)) {
    if (!same_name(metric, name)) continue;
    for (const auto& [param, value] : params) {
      if (!same_name(param, "dur")) continue;
      if (const auto ms = milliseconds(value)) return Seconds(*ms / 1000);
      return std::nullopt;  // the first dur counts, usable or not
    }
    return std::nullopt;  // the first metric of that name counts
  }
  return std::nullopt;
}

ServerTimes read_server_timing(std::string_view header) {
  return ServerTimes{server_timing_duration(header, queue_metric), server_timing_duration(header, app_metric)};
}

}  // namespace kit
