#pragma once
// Runs the kit's real binaries from tests: a whole run of a client, or a
// server kept alive for the length of a test on a free loopback port.
#include <sys/types.h>

#include <string>
#include <vector>

namespace kit::test {

// Path of a built program: build/server, build/client_sync, build/client_async,
// or those of the folder in $KIT_PROGRAMS_DIR (the sanitizer presets' e2e runs);
// an absolute path (a peer's, /usr/bin/curl) as it is.
std::string binary(const std::string& name);

struct ProgramResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
  double seconds = 0;  // wall time of the whole process
  bool timed_out = false;
  long peak_kb = 0;  // its peak resident memory (the kernel's maxrss), in KiB
};

// Runs a program to its end (killed after timeout_seconds) and captures both
// streams. A launcher (e.g. {"/usr/bin/prlimit", "--nofile=64:64"}) runs it.
ProgramResult run_program(const std::string& name, const std::vector<std::string>& args, double timeout_seconds = 60,
                          const std::vector<std::string>& launcher = {});

// Starts `path args...` with stdout and stderr going to the given descriptors.
pid_t spawn(const std::string& path, const std::vector<std::string>& args, int out_fd, int err_fd);
// Waits for a child up to timeout; returns its exit code, or -1 if still running.
int wait_for(pid_t pid, double timeout_seconds);

class ServerProcess;
// The port of the server's "Dashboard on http://127.0.0.1:PORT/" line, which
// follows "Serving on"; 0 when the next line is not that.
int dashboard_port(ServerProcess& server);

class ServerProcess {
 public:
  // Starts build/server with these flags plus --host 127.0.0.1 --port 0 (unless
  // given) and waits for its "Serving on" line. A launcher runs it, as in run_program().
  explicit ServerProcess(std::vector<std::string> args, const std::vector<std::string>& launcher = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& serving_line() const { return serving_line_; }
  // --tls-self-signed: where the server says its certificate is ("" if it does not within 2 s).
  std::string certificate_file() const;
  // The next line the server prints on stdout after the serving line ("" if none comes in time).
  std::string next_line(double timeout_seconds = 5);
  std::string url(const std::string& path_and_query = "/") const;

  // Sends a signal and waits for the exit code (-1 if it did not exit in time).
  int stop(int signal_number, double timeout_seconds = 15);
  std::string log() const;     // everything written to stderr so far
  long peak_kb() const;        // its peak resident memory so far (VmHWM), in KiB
  long descriptors() const;    // how many files it has open now
  double cpu_seconds() const;  // the CPU time it has used so far, user and system

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string serving_line_;
  std::string log_path_;
  int stdout_fd_ = -1;
};

// A plain TCP connection to 127.0.0.1:port, for sending exactly the bytes a test wants.
class RawConnection {
 public:
  explicit RawConnection(int port, const std::string& from_address = "127.0.0.1");
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  bool send(const std::string& bytes);
  // What arrives until the server closes or timeout_seconds pass.
  std::string receive(double timeout_seconds = 10);
  // Sends `piece` again and again, as a hostile peer does, reading what comes
  // back, until the server closes or max_seconds pass. Returns the seconds it
  // took; what came back is in `answer`.
  double flood(const std::string& piece, double max_seconds, std::string& answer);
  // The same without reading anything: a peer that never reads its answers.
  double flood_without_reading(const std::string& piece, double max_seconds);

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// Sends raw bytes and returns all that comes back until the server closes
// (or timeout_seconds pass).
std::string raw_exchange(int port, const std::string& request, double timeout_seconds = 10);

// Connections the kernel holds for a listening port, not yet accepted: the
// rx_queue of its LISTEN line in /proc/net/tcp. -1 if there is no such line.
int accept_backlog(int port);

// A loopback port on which nothing listens. It stays bound (not listening)
// until the test program ends: connections to it are refused, and a server
// started meanwhile by another test cannot take it.
int unused_port();
// A socket bound to a free loopback port, not listening; the port in `port`.
int bound_to_a_free_port(int& port);

}  // namespace kit::test
