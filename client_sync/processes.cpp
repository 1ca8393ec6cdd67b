#include "processes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "record_wire.hpp"

namespace kit::sync {

namespace {

struct Worker {
  int number = 0;  // 1-based: it takes requests number, number + N, ...
  pid_t pid = -1;
  int from = -1;  // the read end of its pipe; -1 once it has closed
  std::string unread;
  std::set<int> reported;  // the requests whose last try it sent
};

bool write_all(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + sent, bytes.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// A worker process: its share of the requests, each try sent on as it ends.
[[noreturn]] void work(const Run& parent, int number, int count, int to) {
  int code = 0;
  try {
    Run run(parent.options, parent.clock);
    run.fetch = parent.fetch;
    run.plan.share(count, number - 1, [to, &code](const RequestRecord& record) {
      std::string frame;
      append_record(frame, record);
      if (!write_all(to, frame)) code = 3;  // the reporting process is gone
    });
    ProgressLine silent(0, run.clock, false);
    run_lane(run, number, silent);
  } catch (...) {
    code = 4;
  }
  ::_exit(code);  // no destructors of what was the parent's: its threads are not here
}

void stop(Worker& w) {
  if (w.from < 0) return;
  ::kill(w.pid, SIGKILL);
  ::close(w.from);
  w.from = -1;
}

// Reads what the workers send until every pipe has closed, or until none has
// sent anything for `silence`: then the rest are stopped.
void collect(Run& run, std::vector<Worker>& workers, ProgressLine& progress, std::chrono::seconds silence) {
  char buffer[64 * 1024];
  for (;;) {
    std::vector<pollfd> watched;
    std::vector<Worker*> whose;  // watched[i] is whose[i]'s pipe
    for (Worker& w : workers) {
      if (w.from < 0) continue;
      watched.push_back({w.from, POLLIN, 0});
      whose.push_back(&w);
    }
    if (watched.empty()) return;
    const int ready = ::poll(watched.data(), watched.size(), static_cast<int>(silence.count() * 1000));
    if (ready == 0) {
      for (Worker& w : workers) stop(w);
      return;
    }
    for (std::size_t i = 0; i < watched.size(); ++i) {
      if (watched[i].revents == 0) continue;  // only a pipe with something to read (or closed): no read waits
      Worker& w = *whose[i];
      const ssize_t n = ::read(w.from, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        ::close(w.from);
        w.from = -1;
        continue;
      }
      w.unread.append(buffer, static_cast<std::size_t>(n));
      try {
        while (auto record = take_record(w.unread)) {
          if (!record->retried) {
            w.reported.insert(record->number);
            progress.count(*record);
          }
          run.plan.finish(std::move(*record));
        }
      } catch (const std::runtime_error&) {
        stop(w);  // it sent something that is not a record: it counts as ended early
      }
    }
  }
}

// A worker that ended early: one line, and its unreported requests as failures.
void account_for(Run& run, const Worker& w, int status, int count, std::ostream& errors) {
  const bool well = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (well) return;
  const std::string how = WIFSIGNALED(status) ? std::string("was killed by signal ") + ::strsignal(WTERMSIG(status))
                                              : "ended with status " + std::to_string(WEXITSTATUS(status));
  errors << run.options.program << ": process " << w.number << " " << how << "\n";
  for (int number = w.number; number <= run.options.requests; number += count) {
    if (w.reported.count(number)) continue;
    RequestRecord lost;
    lost.number = number;
    lost.lane = w.number;
    lost.url = (number - 1) % std::max<int>(1, static_cast<int>(run.options.targets.size()));
    lost.start = lost.end = run.clock.now();
    lost.fail(Failure::other, "its process " + how);
    run.plan.finish(std::move(lost));
  }
}

}  // namespace

bool run_processes(Run& run, ProgressLine& progress, std::ostream& errors) {
  const int count = run.options.processes;
  std::vector<Worker> workers;
  for (int number = 1; number <= count; ++number) {
    int pipe_ends[2];
    const pid_t pid = ::pipe2(pipe_ends, O_CLOEXEC) == 0 ? ::fork() : -1;
    if (pid < 0) {
      errors << run.options.program << ": the system refused process " << number << " of " << count << " ("
             << std::strerror(errno) << "); " << workers.size() << " could be started: use fewer --processes\n";
      for (Worker& w : workers) {
        stop(w);
        ::waitpid(w.pid, nullptr, 0);
      }
      return false;
    }
    if (pid == 0) {
      ::close(pipe_ends[0]);
      work(run, number, count, pipe_ends[1]);
    }
    ::close(pipe_ends[1]);
    workers.push_back({number, pid, pipe_ends[0]});
  }
  // A request's tries and waits are bounded: a worker silent for longer than that is stuck.
  const auto silence =
      std::chrono::seconds(static_cast<long>((run.options.timeout + 60) * (run.options.retries + 1)) + 10);
  collect(run, workers, progress, silence);
  long peak_kb = 0;
  for (const Worker& w : workers) {
    int status = 0;
    rusage usage{};
    ::wait4(w.pid, &status, 0, &usage);
    peak_kb += usage.ru_maxrss;
    account_for(run, w, status, count, errors);
  }
  rusage own{};
  ::getrusage(RUSAGE_SELF, &own);
  errors << run.options.program << ": " << count << (count == 1 ? " process" : " processes") << ", peak memory "
         << (peak_kb + own.ru_maxrss + 512) / 1024 << " MB summed over them and this one\n";
  return true;
}

}  // namespace kit::sync
