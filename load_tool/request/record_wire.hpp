#pragma once
// A record as bytes, for client_sync --processes: each worker process sends
// the records of its requests through a pipe to the process that reports.
// A frame is its length (4 bytes), then each field in turn; strings carry
// their length. Reading checks every length against what arrived.
#include <optional>
#include <string>

#include "record.hpp"

namespace kit {

// Appends `record`'s frame to `out`.
void append_record(std::string& out, const RequestRecord& record);

// Takes the first whole frame off the front of `in`: nullopt when `in` does
// not yet hold one. Throws std::runtime_error on a frame that is not a record.
std::optional<RequestRecord> take_record(std::string& in);

}  // namespace kit
