#include "retry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

namespace kit {

bool worth_retrying(const RequestRecord& tried) {
  if (tried.status == 429 || tried.status == 503) return true;
  return tried.failure == Failure::reset && tried.status == 0 && !tried.answer_started;
}

std::optional<Seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;

  unsigned long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc{} && end == value.data() + value.size()) return Seconds(static_cast<double>(seconds));
  if (error == std::errc::result_out_of_range) return Seconds(1e9);  // digits beyond counting: "never"

  // The HTTP date's three forms (RFC 9110, 5.6.7), always in GMT. strptime
  // reads day and month names in the C locale, which the clients never change.
  const std::string text(value);
  for (const char* format : {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
    std::tm when{};
    const char* parsed_to = ::strptime(text.c_str(), format, &when);
    if (parsed_to == nullptr || *parsed_to != '\0') continue;
    // In seconds of time_t, not as a time_point: a date in the year 9999
    // is past what nanoseconds since 1970 can hold.
    const std::time_t at = ::timegm(&when);
    if (at == static_cast<std::time_t>(-1)) return std::nullopt;
    const std::time_t now_seconds = std::chrono::system_clock::to_time_t(now);
    const Seconds past_the_second = now - std::chrono::system_clock::from_time_t(now_seconds);
    return std::max(Seconds(0), Seconds(std::difftime(at, now_seconds)) - past_the_second);
  }
  return std::nullopt;
}

Seconds backoff(int attempt, double random_fraction) {
  const double doubled = first_backoff.count() * std::pow(2.0, std::clamp(attempt - 1, 0, 30));
  const double ceiling = std::min(backoff_cap.count(), doubled);
  return Seconds(ceiling / 2 + ceiling / 2 * std::clamp(random_fraction, 0.0, 1.0));
}

bool ask_again_on_a_new_connection(const RequestRecord& tried, bool run_goes_on) {
  return tried.failure == Failure::reset && !tried.new_connection && !tried.answer_started && run_goes_on;
}

std::optional<HttpTarget> next_hop(RequestRecord& redirected, const HttpTarget& at, int hops) {
  if (hops >= most_redirects) {
    redirected.error = "more than " + std::to_string(most_redirects) + " redirects, last to " + redirected.location;
    return std::nullopt;
  }
  RedirectStep step = next_redirect(at, redirected.location, redirected.status);
  if (!step.next) redirected.fail(step.bad_location ? Failure::bad_response : Failure::redirect, step.refusal);
  return std::move(step.next);
}

}  // namespace kit
