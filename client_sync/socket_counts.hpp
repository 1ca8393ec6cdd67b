#pragma once
// Two things Linux tells about a socket, for the watchdog. Their own file:
// <linux/tcp.h>, which has the byte counts, cannot share one with httplib.h.
#include <cstdint>

namespace kit {

// Bytes the socket has handed to its reader: received, less those still queued.
std::uint64_t bytes_read(int fd);

// A number unique to this socket for the system's lifetime (0 if unknown):
// it tells a socket from a later one that got the same descriptor.
std::uint64_t socket_cookie(int fd);

}  // namespace kit
