#pragma once
// What differs between systems, in one place. Each function does its job with
// Linux's own means and has a portable fallback beside it, so a build on
// macOS or FreeBSD (or with libc++) has one file to look at.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <type_traits>
#include <utility>

namespace kit::platform {

// Hands a connection to accept only once its first bytes have arrived
// (Linux: TCP_DEFER_ACCEPT). Elsewhere connections come at once.
void accept_when_data_arrives(int listener);

// Asks the kernel to stamp each connection's arriving bytes (Linux:
// SO_TIMESTAMPNS, which accepted connections inherit). Elsewhere nothing.
void stamp_arrivals(int listener);

// How long ago the kernel received the oldest unread bytes of `fd`; nullopt
// when it cannot say (nothing there yet, no stamp, another system).
std::optional<std::chrono::nanoseconds> age_of_unread_bytes(int fd);

// Bytes the TCP socket has handed to its reader: received, less those still
// queued (Linux: TCP_INFO and SIOCINQ). 0 where the system cannot say.
std::uint64_t tcp_bytes_read(int fd);

// A number unique to this socket for the system's lifetime (Linux: SO_COOKIE),
// telling it from a later socket with the same descriptor; 0 if unknown.
std::uint64_t socket_cookie(int fd);

// std::from_chars, for floating point too: libc++ before 20 has it for
// integers only (its feature-test macro says so); there the text is read in
// the "C" locale instead.
std::from_chars_result parse_floating(const char* first, const char* last, double& value);

template <class Number>
std::from_chars_result parse_number(const char* first, const char* last, Number& value) {
  if constexpr (std::is_floating_point_v<Number>) {
    double parsed = 0;
    const auto result = parse_floating(first, last, parsed);
    if (result.ec == std::errc{}) value = static_cast<Number>(parsed);
    return result;
  } else {
    return std::from_chars(first, last, value);
  }
}

// A thread that is joined when it goes: std::jthread where the standard
// library has it (libc++ from 18), else the same on std::thread.
#if defined(__cpp_lib_jthread)
using JoiningThread = std::jthread;
#else
class JoiningThread {
 public:
  JoiningThread() = default;
  template <class Function>
  requires(!std::is_same_v<std::remove_cvref_t<Function>, JoiningThread>) explicit JoiningThread(Function&& function)
      : thread_(std::forward<Function>(function)) {}
  JoiningThread(JoiningThread&&) noexcept = default;
  JoiningThread& operator=(JoiningThread&& other) noexcept {
    join_if_running();
    thread_ = std::move(other.thread_);
    return *this;
  }
  ~JoiningThread() { join_if_running(); }
  bool joinable() const { return thread_.joinable(); }
  void join() { thread_.join(); }

 private:
  void join_if_running() {
    if (thread_.joinable()) thread_.join();
  }
  std::thread thread_;
};
#endif

}  // namespace kit::platform
