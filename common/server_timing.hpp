#pragma once
// The W3C Server-Timing response header, read tolerantly: many real APIs
// send it, and a server's own figures for a request (how long it queued, how
// long the app took) explain the client's timeline. Anything malformed is
// skipped, never fatal.
#include <optional>
#include <string_view>

#include "record.hpp"

namespace kit {

// A metric's duration: the first `name;dur=MILLISECONDS` in `header` (several
// Server-Timing headers joined with ", "), in seconds. Other parameters
// (desc, quoted values) are skipped; a metric without a usable dur has none.
std::optional<Seconds> server_timing_duration(std::string_view header, std::string_view name);

// Fills the record's server_queue ("queue") and server_app ("app").
void read_server_timing(RequestRecord& record, std::string_view header);

}  // namespace kit
