#pragma once
// --retry: which tries are worth asking again, and how long to wait first.
#include <chrono>
#include <optional>
#include <string_view>

#include "http_target.hpp"
#include "record.hpp"

namespace kit {

// A 429 (rate limited) or 503 (busy) answer, or a connection reset before
// any of the answer arrived: the server did not act on the request, so a GET
// can be asked again. Other failures would only fail again.
bool worth_retrying(const RequestRecord& tried);

// Retry-After, as delay-seconds ("3") or an HTTP date ("Sun, 06 Nov 1994
// 08:49:37 GMT"); a date in the past means now. Nothing for anything else.
std::optional<Seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// Without Retry-After: a capped exponential backoff with jitter. The wait
// after try k is between half and all of min(cap, first * 2^(k-1)), so that
// clients turned away together do not all come back together.
inline constexpr Seconds first_backoff{0.1};
inline constexpr Seconds backoff_cap{10};
Seconds backoff(int attempt, double random_fraction);  // random_fraction in [0, 1)

// A kept-alive connection that the server had closed while it sat idle
// (nginx does after 1000 requests): the try failed on a connection it did
// not open, before any of the answer came. Both clients then ask again, once,
// on a new connection, while the run goes on.
bool ask_again_on_a_new_connection(const RequestRecord& tried, bool run_goes_on);

// --follow, in both clients: where a redirect's next hop goes, resolved
// against `at`, the URL that answered, after `hops` hops so far; or nothing,
// with the reason in the record: more than most_redirects, another host, or
// a Location that is no URL (a bad response).
std::optional<HttpTarget> next_hop(RequestRecord& redirected, const HttpTarget& at, int hops);

// A Retry-After longer than this ends the retries: a demonstration should not
// sit silent for an hour because a server said so. --deadline can cut it shorter.
inline constexpr Seconds longest_retry_wait{60};

}  // namespace kit
