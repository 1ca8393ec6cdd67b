#include "peer_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "process.hpp"

namespace kit::test {

namespace {

// The first line on `fd`, waiting up to 10 s.
int port_line(int fd) {
  std::string line;
  const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  char c = 0;
  while (std::chrono::steady_clock::now() < stop && line.size() < 16) {
    const ssize_t got = ::read(fd, &c, 1);
    if (got <= 0 || c == '\n') break;
    line += c;
  }
  return std::atoi(line.c_str());
}

}  // namespace

std::string installed(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const char* path = std::getenv("PATH");
  std::stringstream folders(path ? path : "/usr/bin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::string candidate = folder + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  for (const char* folder : {"/usr/sbin", "/sbin"}) {  // nginx, for a user whose PATH lacks them
    const std::string candidate = std::string(folder) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string python_with_h2() {
  // Debian's own python3: another one on the PATH may lack Debian's modules.
  const bool has_h2 = ::access("/usr/lib/python3/dist-packages/h2/__init__.py", R_OK) == 0;
  return has_h2 ? installed("/usr/bin/python3") : "";
}

std::string peer_script(const std::string& name) { return std::string(KIT_PEERS_DIR) + "/" + name; }

int free_port() {
  int port = 0;
  ::close(bound_to_a_free_port(port));
  return port;
}

PeerProcess::PeerProcess(const std::string& program, const std::vector<std::string>& args, int port) {
  char log_template[] = "/tmp/kit-peer-log-XXXXXX";
  const int log_fd = ::mkstemp(log_template);
  log_path_ = log_template;
  int out_pipe[2];
  if (log_fd < 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  ::fcntl(log_fd, F_SETFD, FD_CLOEXEC);
  pid_ = spawn(program, args, out_pipe[1], log_fd);
  ::close(out_pipe[1]);
  ::close(log_fd);
  if (port == 0) port = port_line(out_pipe[0]);
  ::close(out_pipe[0]);
  const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (port > 0 && std::chrono::steady_clock::now() < stop) {
    if (RawConnection(port).connected()) {
      port_ = port;
      return;
    }
    if (wait_for(pid_, 0.02) >= 0) return;  // it exited: its log says why
  }
}

PeerProcess::~PeerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    if (wait_for(pid_, 1.0) < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::filesystem::remove(log_path_);
}

std::string PeerProcess::log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

NginxH2c::NginxH2c(const std::string& server_lines) {
  const std::string nginx = installed("nginx");
  const char* echo_module = "/usr/lib/nginx/modules/ngx_http_echo_module.so";
  if (nginx.empty() || ::access(echo_module, R_OK) != 0) return;
  char folder_template[] = "/tmp/kit-nginx-XXXXXX";
  if (::mkdtemp(folder_template) == nullptr) return;
  folder_ = folder_template;
  for (int tries = 0; tries < 3 && !started(); ++tries) {
    const int port = free_port();
    std::ofstream(folder_ + "/nginx.conf")
        << "load_module " << echo_module << ";\n"
        << "worker_processes 1;\npid " << folder_ << "/nginx.pid;\nerror_log " << folder_ << "/error.log;\n"
        << "events { worker_connections 1024; }\n"
        << "http {\n  access_log off;\n  client_body_temp_path " << folder_ << ";\n"
        << "  keepalive_requests 1000000;\n"
        << "  server {\n    listen 127.0.0.1:" << port << " http2;\n"
        << server_lines << "\n  }\n}\n";
    peer_ = std::make_unique<PeerProcess>(nginx,
                                          std::vector<std::string>{"-p", folder_, "-c", folder_ + "/nginx.conf", "-e",
                                                                   folder_ + "/error.log", "-g", "daemon off;"},
                                          port);
  }
}

NginxH2c::~NginxH2c() {
  peer_.reset();
  if (!folder_.empty()) std::filesystem::remove_all(folder_);
}

std::string NginxH2c::url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }

std::string NginxH2c::log() const {
  std::ifstream in(folder_ + "/error.log");
  std::stringstream text;
  text << in.rdbuf();
  return (peer_ ? peer_->log() : "") + text.str();
}

}  // namespace kit::test
