#include "network_addresses.hpp"

#include <ifaddrs.h>
#include <netinet/in.h>

namespace kit {

namespace {

std::string in_url(const boost::asio::ip::address& address) {
  return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

}  // namespace

std::vector<std::string> addresses_for_others(const boost::asio::ip::address& listening) {
  if (listening.is_loopback()) return {};
  if (!listening.is_unspecified()) return {in_url(listening)};
  // Every interface: list their addresses, IPv4 first (what a class types).
  std::vector<std::string> v4, v6;
  ifaddrs* interfaces = nullptr;
  if (::getifaddrs(&interfaces) != 0) return {};
  for (const ifaddrs* i = interfaces; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      const boost::asio::ip::address_v4 address(ntohl(in->sin_addr.s_addr));
      if (!address.is_loopback()) v4.push_back(in_url(address));
    } else if (i->ifa_addr->sa_family == AF_INET6 && listening.is_v6()) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      boost::asio::ip::address_v6::bytes_type bytes;
      std::copy(std::begin(in6->sin6_addr.s6_addr), std::end(in6->sin6_addr.s6_addr), bytes.begin());
      const boost::asio::ip::address_v6 address(bytes);
      if (!address.is_loopback() && !address.is_link_local()) v6.push_back(in_url(address));
    }
  }
  ::freeifaddrs(interfaces);
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace kit
