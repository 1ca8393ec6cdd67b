#pragma once
// The W3C Server-Timing response header, both sides of it: the kit's server
// writes it, and the clients read it tolerantly, as many real APIs send it.
// A server's own figures for a request (how long it queued, how long the
// app took) explain the client's timeline. Anything malformed is skipped,
// never fatal.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kit {

using Seconds = std::chrono::duration<double>;

// What a server said of one request: how long it queued, how long its app took.
struct ServerTimes {
  std::optional<Seconds> queue, app;
};

// The two metrics the kit's server sends and its clients read: how long a
// request queued for a worker or the loop, and how long the app took.
inline constexpr std::string_view queue_metric = "queue";
inline constexpr std::string_view app_metric = "app";

// The server's header value: "queue;dur=600.2, app;dur=300.1" (milliseconds).
std::string server_timing_value(double queue_seconds, double app_seconds);

// A metric's duration: the first `name;dur=MILLISECONDS` in `header` (several
// Server-Timing headers joined with ", "), in seconds. Other parameters
// (desc, quoted values) are skipped; a metric without a usable dur has none.
std::optional<Seconds> server_timing_duration(std::string_view header, std::string_view name);

// The "queue" and "app" metrics of a Server-Timing value.
ServerTimes read_server_timing(std::string_view header);

// The same from a response's header fields [first, last) named
// Server-Timing, read as one list as HTTP allows; `value_of` gives a field's
// value (the two clients' HTTP libraries store fields differently).
template <class FieldIterator, class ValueOf>
ServerTimes read_server_timing(FieldIterator first, FieldIterator last, ValueOf value_of) {
  std::string joined;
  for (auto field = first; field != last; ++field) {
    joined.append(joined.empty() ? "" : ", ").append(value_of(*field));
  }
  return read_server_timing(joined);
}

}  // namespace kit
