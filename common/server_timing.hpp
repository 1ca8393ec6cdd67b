#pragma once
// The W3C Server-Timing response header, read tolerantly: many real APIs
// send it, and a server's own figures for a request (how long it queued, how
// long the app took) explain the client's timeline. Anything malformed is
// skipped, never fatal.
#include <optional>
#include <string>
#include <string_view>

#include "record.hpp"

namespace kit {

// A metric's duration: the first `name;dur=MILLISECONDS` in `header` (several
// Server-Timing headers joined with ", "), in seconds. Other parameters
// (desc, quoted values) are skipped; a metric without a usable dur has none.
std::optional<Seconds> server_timing_duration(std::string_view header, std::string_view name);

// Fills the record's server_queue ("queue") and server_app ("app").
void read_server_timing(RequestRecord& record, std::string_view header);

// The same from a response's header fields [first, last) named
// Server-Timing, read as one list as HTTP allows; `value_of` gives a field's
// value (the two clients' HTTP libraries store fields differently).
template <class FieldIterator, class ValueOf>
void read_server_timing(RequestRecord& record, FieldIterator first, FieldIterator last, ValueOf value_of) {
  std::string joined;
  for (auto field = first; field != last; ++field) {
    joined.append(joined.empty() ? "" : ", ").append(value_of(*field));
  }
  read_server_timing(record, joined);
}

}  // namespace kit
