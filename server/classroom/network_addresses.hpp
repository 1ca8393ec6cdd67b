#pragma once
// Where students on the same network can reach a server that listens beyond
// loopback (--host 0.0.0.0): this machine's addresses on its network interfaces.
#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

namespace kit {

// For a server listening on `listening`: the addresses others can use, as
// they go in a URL ("192.168.1.20", "[fd00::5]"). Empty for loopback.
std::vector<std::string> addresses_for_others(const boost::asio::ip::address& listening);

}  // namespace kit
