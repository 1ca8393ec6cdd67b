#include "access_log.hpp"

#include <cstdio>

#include "safe_text.hpp"

namespace kit {

std::string access_log_line(std::string_view method, std::string_view target, int status, double seconds,
                            std::string_view lane, double queued_seconds) {
  char timing[64];
  if (queued_seconds >= 0.0005) {  // shows as 0.001 s or more
    std::snprintf(timing, sizeof timing, "%.3f s (queued %.3f s)", seconds, queued_seconds);
  } else {
    std::snprintf(timing, sizeof timing, "%.3f s", seconds);
  }
  std::string line;  // what a peer sent goes to the log made printable
  line.append(printable(method, 64))
      .append(" ")
      .append(printable(target, 256))
      .append(" ")
      .append(std::to_string(status));
  line.append(" ").append(timing).append(" ").append(lane);
  return line;
}

void write_log_line(const std::string& line) {
  const std::string with_newline = line + "\n";
  std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
}

}  // namespace kit
