#include "terminal_session.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace kit::test {

namespace {

double elapsed_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

[[noreturn]] void exec_in_child(const std::string& path, const std::vector<std::string>& args) {
  std::vector<char*> argv{const_cast<char*>(path.c_str())};
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execv(path.c_str(), argv.data());
  ::_exit(127);
}

// Everything the program writes until it closes the terminal or the time is up.
std::string read_until_closed(int terminal, pid_t pid, double timeout_seconds, bool& timed_out) {
  const auto start = std::chrono::steady_clock::now();
  std::string bytes;
  for (;;) {
    const double left = timeout_seconds - elapsed_since(start);
    if (left <= 0) {
      timed_out = true;
      ::kill(pid, SIGKILL);
      return bytes;
    }
    pollfd ready{terminal, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(left * 1000) + 1) <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) return bytes;  // EIO once the program has gone
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

ProgramResult run_in_terminal(const std::string& name, const std::vector<std::string>& args, double timeout_seconds,
                              int columns) {
  winsize size{};
  size.ws_row = 50;
  size.ws_col = static_cast<unsigned short>(columns);
  int terminal = -1;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, &size);
  if (pid == 0) exec_in_child(binary(name), args);
  ProgramResult result;
  if (pid < 0) return result;
  result.out = read_until_closed(terminal, pid, timeout_seconds, result.timed_out);
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.seconds = elapsed_since(start);
  return result;
}

std::vector<std::string> screen_of(const std::string& bytes) {
  std::vector<std::string> lines(1);
  std::size_t column = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string& line = lines.back();
    const char c = bytes[i];
    if (c == '\n') {
      lines.emplace_back();
      column = 0;
    } else if (c == '\r') {
      column = 0;
    } else if (c == '\x1b' && i + 1 < bytes.size() && bytes[i + 1] == '[') {
      std::size_t end = i + 2;
      while (end < bytes.size() && !(bytes[end] >= '@' && bytes[end] <= '~')) ++end;
      if (end < bytes.size() && bytes[end] == 'K') line.resize(std::min(line.size(), column));
      i = end;
    } else {
      if (column < line.size())
        line[column] = c;
      else
        line.push_back(c);
      ++column;
    }
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace kit::test
