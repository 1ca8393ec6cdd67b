#include "socket_counts.hpp"

#include <linux/sockios.h>
#include <netinet/in.h>
#include <linux/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>

namespace kit {

std::uint64_t bytes_read(int fd) {
  // Queued first, received second: bytes that arrive in between then count
  // as read a moment early, instead of making the difference negative.
  int queued = 0;
  if (::ioctl(fd, SIOCINQ, &queued) != 0) queued = 0;
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return 0;
  const auto unread = static_cast<std::uint64_t>(std::max(queued, 0));
  return info.tcpi_bytes_received > unread ? info.tcpi_bytes_received - unread : 0;
}

std::uint64_t socket_cookie(int fd) {
#ifdef SO_COOKIE
  std::uint64_t cookie = 0;
  socklen_t size = sizeof cookie;
  if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &size) == 0) return cookie;
#endif
  return 0;
}

}  // namespace kit
