#include "platform.hpp"

#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cstring>
#include <locale>
#include <sstream>

#ifdef __linux__
#include <linux/sockios.h>
#include <linux/tcp.h>  // tcp_info with its byte counts, which glibc's <netinet/tcp.h> lacks
#else
#include <netinet/tcp.h>
#endif

namespace kit::platform {

void accept_when_data_arrives(int listener) {
#ifdef TCP_DEFER_ACCEPT
  const int seconds = 1;  // a silent client is handed over after about a second anyway
  ::setsockopt(listener, IPPROTO_TCP, TCP_DEFER_ACCEPT, &seconds, sizeof seconds);  // a saving, not a need
#else
  (void)listener;
#endif
}

void stamp_arrivals(int listener) {
#ifdef SO_TIMESTAMPNS
  const int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
#else
  (void)listener;
#endif
}

std::optional<std::chrono::nanoseconds> age_of_unread_bytes(int fd) {
#ifdef SCM_TIMESTAMPNS
  char first_byte;
  iovec data{&first_byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  if (::recvmsg(fd, &message, MSG_PEEK | MSG_DONTWAIT) <= 0) return std::nullopt;
  for (cmsghdr* part = CMSG_FIRSTHDR(&message); part; part = CMSG_NXTHDR(&message, part)) {
    if (part->cmsg_level != SOL_SOCKET || part->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec stamp;
    std::memcpy(&stamp, CMSG_DATA(part), sizeof stamp);
    const auto received =
        std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(stamp.tv_sec) + std::chrono::nanoseconds(stamp.tv_nsec)));
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now() - received);
  }
#else
  (void)fd;
#endif
  return std::nullopt;
}

std::uint64_t tcp_bytes_read(int fd) {
#if defined(__linux__) && defined(TCP_INFO)
  // Queued first, received second: bytes that arrive in between then count
  // as read a moment early, instead of making the difference negative.
  int queued = 0;
  if (::ioctl(fd, SIOCINQ, &queued) != 0) queued = 0;
  tcp_info info{};
  socklen_t size = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return 0;
  const auto unread = static_cast<std::uint64_t>(std::max(queued, 0));
  return info.tcpi_bytes_received > unread ? info.tcpi_bytes_received - unread : 0;
#else
  (void)fd;
  return 0;
#endif
}

std::uint64_t socket_cookie(int fd) {
#ifdef SO_COOKIE
  std::uint64_t cookie = 0;
  socklen_t size = sizeof cookie;
  if (::getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &size) == 0) return cookie;
#else
  (void)fd;
#endif
  return 0;
}

std::from_chars_result parse_floating(const char* first, const char* last, double& value) {
#if defined(__cpp_lib_to_chars)
  return std::from_chars(first, last, value);
#else
  // As from_chars: no leading space or plus sign, the "C" locale's decimal point.
  if (first == last || *first == ' ' || *first == '+' || (*first >= '\t' && *first <= '\r')) {
    return {first, std::errc::invalid_argument};
  }
  std::istringstream in(std::string(first, last));
  in.imbue(std::locale::classic());
  double parsed = 0;
  in >> parsed;
  if (in.fail()) return {first, std::errc::invalid_argument};
  const auto used = in.eof() ? static_cast<std::ptrdiff_t>(last - first) : static_cast<std::ptrdiff_t>(in.tellg());
  value = parsed;
  return {first + used, std::errc{}};
#endif
}

}  // namespace kit::platform
