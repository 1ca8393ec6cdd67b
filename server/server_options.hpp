#pragma once
// The server's command line (CLI11): every flag, its check and its help.
#include <optional>
#include <string>
#include <vector>

#include "server_config.hpp"

namespace kit {

struct ServerCommandLine {
  ServerConfig config;
  bool self_signed = false;                // --tls-self-signed
  std::optional<int> dashboard_port;       // --dashboard PORT
  std::vector<std::string> allowed_hosts;  // --allow-host NAME ...
  std::optional<int> exit_code;            // stop now: help or version (0), bad usage (2)
};

ServerCommandLine parse_server_command_line(int argc, char** argv);

}  // namespace kit
