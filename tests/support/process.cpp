#include "process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace kit::test {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// What a server that did not stop was doing: each thread's state and the
// kernel function it waits in, then its log, for a failure that is rare.
std::string still_running_report(pid_t pid, const std::string& log) {
  std::string report = "server " + std::to_string(pid) + " did not exit; its threads:\n";
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream stat(task.path() / "stat"), wchan(task.path() / "wchan"), syscall(task.path() / "syscall");
    std::string stat_line, wchan_name, syscall_line;
    std::getline(stat, stat_line);
    std::getline(wchan, wchan_name);
    std::getline(syscall, syscall_line);
    report += "  " + stat_line.substr(0, stat_line.find(')', 0) + 3) + " wchan " + wchan_name + " syscall " +
              syscall_line.substr(0, syscall_line.find(' ')) + "\n";
  }
  return report + "its log:\n" + log;
}

}  // namespace

// Starts `path args...` with stdout and stderr going to the given descriptors.
pid_t spawn(const std::string& path, const std::vector<std::string>& args, int out_fd, int err_fd) {
  std::vector<std::string> argv_strings{path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + path);
  return pid;
}

// Waits for a child up to timeout; returns its exit code, or -1 if still running.
int wait_for(pid_t pid, double timeout_seconds) {
  const auto start = Clock::now();
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return exit_code_of(status);
    if (seconds_since(start) > timeout_seconds) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string binary(const std::string& name) {
  if (name.starts_with('/')) return name;                  // a peer from the system's packages
  const char* programs = std::getenv("KIT_PROGRAMS_DIR");  // a sanitizer build's, see CMakePresets.json
  return std::string(programs && *programs ? programs : KIT_BINARY_DIR) + "/" + name;
}

ProgramResult run_program(const std::string& name, const std::vector<std::string>& args, double timeout_seconds,
                          const std::vector<std::string>& launcher) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const auto start = Clock::now();
  std::vector<std::string> full_args = args;
  std::string program = binary(name);
  if (!launcher.empty()) {
    full_args.insert(full_args.begin(), program);
    full_args.insert(full_args.begin(), launcher.begin() + 1, launcher.end());
    program = launcher.front();
  }
  const pid_t pid = spawn(program, full_args, out_pipe[1], err_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  ProgramResult result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_streams = 2;
  while (open_streams > 0) {
    const double left = timeout_seconds - seconds_since(start);
    if (left <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left * 1000) + 1) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[65536];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  for (auto& fd : fds)
    if (fd.fd >= 0) ::close(fd.fd);
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  result.exit_code = exit_code_of(status);
  result.peak_kb = usage.ru_maxrss;
  result.seconds = seconds_since(start);
  return result;
}

ServerProcess::ServerProcess(std::vector<std::string> args, const std::vector<std::string>& launcher) {
  auto has = [&](const std::string& flag) {
    for (const auto& a : args)
      if (a == flag) return true;
    return false;
  };
  if (!has("--host")) args.insert(args.end(), {"--host", "127.0.0.1"});
  if (!has("--port")) args.insert(args.end(), {"--port", "0"});

  char log_template[] = "/tmp/kit-server-log-XXXXXX";
  const int log_fd = ::mkstemp(log_template);
  log_path_ = log_template;
  int out_pipe[2];
  if (log_fd < 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  ::fcntl(log_fd, F_SETFD, FD_CLOEXEC);
  std::string program = binary("server");
  if (!launcher.empty()) {
    args.insert(args.begin(), program);
    args.insert(args.begin(), launcher.begin() + 1, launcher.end());
    program = launcher.front();
  }
  pid_ = spawn(program, args, out_pipe[1], log_fd);
  ::close(out_pipe[1]);
  ::close(log_fd);
  stdout_fd_ = out_pipe[0];

  // Read the first line: "Serving on http://127.0.0.1:PORT (...) ..."
  const std::string line = next_line(20);
  serving_line_ = line;
  const auto colon = line.rfind(':', line.find(" ("));
  if (line.rfind("Serving on ", 0) == 0 && colon != std::string::npos) {
    port_ = std::atoi(line.c_str() + colon + 1);
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    // Stopped as a user would stop it, so that it cleans up after itself
    // (--tls-self-signed's files); killed if it does not go within a second.
    ::kill(pid_, SIGTERM);
    if (wait_for(pid_, 1.0) < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  ::unlink(log_path_.c_str());
}

std::string ServerProcess::next_line(double timeout_seconds) {
  // Byte by byte: what follows the line stays unread for the next call.
  const auto start = Clock::now();
  std::string line;
  while (line.find('\n') == std::string::npos && seconds_since(start) < timeout_seconds) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (::poll(&fd, 1, 100) <= 0) continue;
    char c;
    if (::read(stdout_fd_, &c, 1) != 1) break;
    line.push_back(c);
  }
  return line;
}

std::string ServerProcess::certificate_file() const {
  const std::string marker = " and ::1 in ";
  for (int i = 0; i < 100; ++i) {
    const std::string text = log();
    if (const auto at = text.find(marker); at != std::string::npos) {
      const auto start = at + marker.size();
      return text.substr(start, text.find('\n', start) - start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return "";
}

std::string ServerProcess::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

int ServerProcess::stop(int signal_number, double timeout_seconds) {
  ::kill(pid_, signal_number);
  const int code = wait_for(pid_, timeout_seconds);
  if (code >= 0) pid_ = -1;
  if (code < 0) std::fprintf(stderr, "%s", still_running_report(pid_, log()).c_str());
  return code;
}

std::string ServerProcess::log() const {
  std::ifstream file(log_path_);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

long ServerProcess::peak_kb() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

double ServerProcess::cpu_seconds() const {
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (name) "
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

long ServerProcess::descriptors() const {
  long count = 0;
  std::error_code error;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid_) + "/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  return count;
}

RawConnection::RawConnection(int port, const std::string& from_address) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in source{};
  source.sin_family = AF_INET;
  ::inet_pton(AF_INET, from_address.c_str(), &source.sin_addr);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&source), sizeof source);  // any 127.x address is this machine
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::send(const std::string& bytes) {
  return connected_ && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

std::string RawConnection::receive(double timeout_seconds) {
  std::string received;
  const auto start = Clock::now();
  while (connected_) {
    const double left = timeout_seconds - seconds_since(start);
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left * 1000) + 1) <= 0) break;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

double RawConnection::flood(const std::string& piece, double max_seconds, std::string& answer) {
  std::string block;
  while (block.size() < 16 * 1024) block += piece;
  const auto start = Clock::now();
  while (connected_ && seconds_since(start) < max_seconds) {
    pollfd p{fd_, POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (p.revents & POLLIN) {
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0) break;  // the server closed
      if (n > 0) answer.append(buffer, static_cast<std::size_t>(n));
    }
    if (p.revents & (POLLERR | POLLHUP)) break;
    if ((p.revents & POLLOUT) && ::send(fd_, block.data(), block.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
        errno != EAGAIN) {
      break;  // reset: the server closed
    }
  }
  return seconds_since(start);
}

double RawConnection::flood_without_reading(const std::string& piece, double max_seconds) {
  std::string block;
  while (block.size() < 16 * 1024) block += piece;
  const auto start = Clock::now();
  while (connected_ && seconds_since(start) < max_seconds) {
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) break;
    if (::send(fd_, block.data(), block.size(), MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN) break;
  }
  return seconds_since(start);
}

int accept_backlog(int port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the column names
  char wanted[16];
  std::snprintf(wanted, sizeof wanted, ":%04X", port);
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues;
    fields >> slot >> local >> remote >> state >> queues;
    if (state != "0A" || !local.ends_with(wanted)) continue;  // 0A: LISTEN
    return std::stoi(queues.substr(queues.find(':') + 1), nullptr, 16);
  }
  return -1;
}

std::string raw_exchange(int port, const std::string& request, double timeout_seconds) {
  RawConnection connection(port);
  return connection.send(request) ? connection.receive(timeout_seconds) : std::string();
}

int bound_to_a_free_port(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

int unused_port() {
  int port = 0;
  static std::vector<int> held;  // closed when the test program ends
  held.push_back(bound_to_a_free_port(port));
  return port;
}

int dashboard_port(ServerProcess& server) {
  const std::string line = server.next_line();
  std::smatch match;
  if (!std::regex_match(line, match, std::regex(R"(Dashboard on http://127\.0\.0\.1:(\d+)/\n)"))) return 0;
  return std::stoi(match[1]);
}

}  // namespace kit::test
