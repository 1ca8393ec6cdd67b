#pragma once
// What cpp-httplib does not bound, the watchdog does. Its timeouts are per
// read, so a server that drips a byte at a time keeps a request going for
// ever, and it reads response headers, chunk-size lines and trailers
// without a limit. A watchdog thread looks at every lane's request in flight
// every few milliseconds and stops its client (Client::stop() shuts the
// socket down; the blocked call then returns) once the try's time is up, or
// once it has read more than `most_framing_bytes` from its socket that are
// not body: headers, chunk lines, trailers. Chunked bodies and TLS cost some
// framing per body byte, so each body byte allows `framing_per_body_byte` more.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <thread>

namespace kit {

inline constexpr std::uint64_t most_framing_bytes = 64 * 1024;
inline constexpr std::uint64_t framing_per_body_byte = 8;

class Watchdog {
 public:
  enum class Stopped { no, time_up, framing_too_long };

  // One lane's requests, watched one at a time.
  class Watch {
   public:
    // Before a request: the client it runs on and when its time is up.
    void begin(httplib::Client& client, std::chrono::steady_clock::time_point deadline);
    // From the client's socket options callback: a new connection.
    void new_socket(int fd);
    // From the content receiver: body bytes arrived.
    void body_received(std::size_t bytes) { body_bytes_ += bytes; }
    // After the request: why the watchdog stopped it, if it did.
    Stopped end();

   private:
    friend class Watchdog;
    void check(std::chrono::steady_clock::time_point now);
    std::uint64_t framing_read() const;

    std::mutex stop_mutex_;  // held while the watchdog stops the client; taken before mutex_
    std::mutex mutex_;
    httplib::Client* client_ = nullptr;  // while a request is in flight
    std::chrono::steady_clock::time_point deadline_;
    int socket_ = -1;
    std::uint64_t socket_cookie_ = 0;  // tells this socket from a later one with the same number
    std::uint64_t read_before_ = 0;    // bytes the socket had delivered when the request began
    std::atomic<std::uint64_t> body_bytes_{0};
    Stopped stopped_ = Stopped::no;
  };

  Watchdog();
  ~Watchdog();  // stops and joins its thread
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  Watch& watch();  // a new lane's; it lives as long as the watchdog

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::list<Watch> watches_;
  std::thread thread_;  // started by the first watch(), once everything above exists
};

}  // namespace kit
