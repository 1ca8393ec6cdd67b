#pragma once
// The access log on stderr, a line a request, as gunicorn's.
#include <string>
#include <string_view>

namespace kit {

// One access-log line: "GET /?delay=0.2 200 0.201 s worker 2", and when the
// request waited a millisecond or more for a worker or the loop,
// "GET / 200 0.900 s (queued 0.600 s) worker 3". `seconds` includes the queue.
std::string access_log_line(std::string_view method, std::string_view target, int status, double seconds,
                            std::string_view lane, double queued_seconds = 0);

// Writes a line to stderr in one piece, so lines from many threads do not mix.
void write_log_line(const std::string& line);

}  // namespace kit
