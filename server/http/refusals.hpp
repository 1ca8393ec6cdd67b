#pragma once
// The front end's own answers, for requests the app never sees: one that
// could not be read or taken, and one past --rate-limit.
#include <cstddef>

#include "slow_app.hpp"

namespace kit {

// The answer to a request that could not be read or taken at all: 400
// (malformed), 413 (body over `max_body` bytes), 431 (headers over the
// limit), 501 (a transfer coding other than chunked) or 503 (too many connections).
AppResponse refusal(int status, std::size_t max_body = default_max_body_bytes);

// The answer past --rate-limit: 429, saying when to come back.
AppResponse too_many_requests(double rate, int retry_after_seconds);

}  // namespace kit
