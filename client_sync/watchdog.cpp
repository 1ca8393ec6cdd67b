#include "watchdog.hpp"

#include "platform.hpp"

namespace kit {

namespace {

constexpr auto check_every = std::chrono::milliseconds(5);

}  // namespace

void Watchdog::Watch::begin(httplib::Client& client, std::chrono::steady_clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  client_ = &client;
  deadline_ = deadline;
  stopped_ = Stopped::no;
  body_bytes_ = 0;
  // A kept-alive connection counts from here; a new one from 0 (new_socket).
  read_before_ =
      socket_ >= 0 && platform::socket_cookie(socket_) == socket_cookie_ ? platform::tcp_bytes_read(socket_) : 0;
}

void Watchdog::Watch::new_socket(int fd) {
  std::lock_guard lock(mutex_);
  socket_ = fd;
  socket_cookie_ = platform::socket_cookie(fd);
  read_before_ = 0;
}

Watchdog::Stopped Watchdog::Watch::end() {
  std::lock_guard no_stop_under_way(stop_mutex_);  // the client lives on until a stop() is done
  std::lock_guard lock(mutex_);
  client_ = nullptr;
  return stopped_;
}

// What the socket delivered since the request began. Counted a moment early
// at the start, it can read as less than then: that is none, not 2^64.
std::uint64_t Watchdog::Watch::framing_read() const {
  const std::uint64_t now = platform::tcp_bytes_read(socket_);
  return now > read_before_ ? now - read_before_ : 0;
}

void Watchdog::Watch::check(std::chrono::steady_clock::time_point now) {
  // stop() waits for the client's own lock, which the lane holds while it
  // connects and calls new_socket(): so it is called without mutex_ held,
  // and stop_mutex_ keeps end() from letting the client go meanwhile.
  std::lock_guard stopping(stop_mutex_);
  httplib::Client* to_stop = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!client_ || stopped_ != Stopped::no) return;
    if (now >= deadline_) {
      stopped_ = Stopped::time_up;
    } else if (socket_ >= 0 && framing_read() > most_framing_bytes + framing_per_body_byte * body_bytes_ &&
               platform::socket_cookie(socket_) == socket_cookie_) {
      stopped_ = Stopped::framing_too_long;
    } else {
      return;
    }
    to_stop = client_;
  }
  to_stop->stop();
}

Watchdog::Watchdog() = default;

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_one();
  if (thread_.joinable()) thread_.join();
}

Watchdog::Watch& Watchdog::watch() {
  std::lock_guard lock(mutex_);
  // The thread starts with the first lane: a process that only forks
  // workers (--processes) stays single-threaded until then.
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  return watches_.emplace_back();
}

void Watchdog::run() {
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, check_every, [this] { return stopping_; })) {
    const auto now = std::chrono::steady_clock::now();
    for (Watch& watch : watches_) watch.check(now);
  }
}

}  // namespace kit
