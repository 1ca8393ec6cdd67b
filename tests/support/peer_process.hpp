#pragma once
// Peers from Debian's packages, for as long as a test runs: nginx with
// `listen ... http2` (h2c), nghttpd (HTTP/2 over TLS), or a script that
// prints the port it listens on (the hostile HTTP/2 server in tests/e2e/peers).
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace kit::test {

// A program of that name on the PATH (or that absolute path), executable.
std::string installed(const std::string& program);
// A loopback port nothing uses right now, for a peer that must be told its port.
int free_port();
// Debian's python3 with python3-h2, and a script of tests/e2e/peers: "" when either is missing.
std::string python_with_h2();
std::string peer_script(const std::string& name);

class PeerProcess {
 public:
  // Starts `program args...` and waits until 127.0.0.1:port accepts a
  // connection; with port 0, the port is the first line the program prints.
  PeerProcess(const std::string& program, const std::vector<std::string>& args, int port = 0);
  ~PeerProcess();  // SIGTERM, then SIGKILL a second later
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  std::string log() const;  // what it wrote on stderr

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// A temporary folder with nginx's configuration (`server_lines` inside an
// http2 server block on the port) and nginx serving it; gone with the object.
class NginxH2c {
 public:
  explicit NginxH2c(const std::string& server_lines);
  ~NginxH2c();
  bool started() const { return peer_ && peer_->started(); }
  int port() const { return peer_ ? peer_->port() : 0; }
  std::string url(const std::string& path) const;
  std::string log() const;

 private:
  std::string folder_;
  std::unique_ptr<PeerProcess> peer_;
};

}  // namespace kit::test
