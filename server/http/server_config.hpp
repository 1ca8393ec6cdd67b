#pragma once
#include <stdexcept>
#include <string>

#include "slow_app.hpp"

namespace kit {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8000;   // 0 picks a free port
  int workers = 8;   // worker-pool model: requests served at the same time
  int queue = 1000;  // worker-pool model: requests waiting for a worker in the server; more wait in the kernel
  bool event_loop = false;
  int threads = 1;              // event-loop model: loops, one per thread (the pool has one)
  bool blocking = false;        // event-loop model with a blocking sleep: the classic mistake
  int max_connections = 10000;  // past it, new connections get a 503
  double header_timeout = 10;   // seconds a client has to send its request's headers
  double idle_timeout = 5;      // seconds a kept-alive connection may wait for its next request
  bool http2 = true;            // HTTP/2 beside HTTP/1.1: by ALPN on TLS, by its preface on cleartext
  int max_streams = 100;        // HTTP/2: SETTINGS_MAX_CONCURRENT_STREAMS, and streams in the app per connection
  double drain = 5;             // seconds in-flight requests get after SIGINT/SIGTERM
  double rate_limit = 0;        // requests a second the whole server takes; 0: no limit
  double burst = 0;             // how many it takes at once after a quiet spell; 0: as many as rate_limit
  bool quiet = false;           // no access log
  // With --dashboard: answers a page on another port may read with fetch(),
  // Server-Timing and Resource Timing included (the student page, /class).
  bool readable_by_pages = false;
  std::string tls_certificate, tls_key;  // PEM files: serve https
  std::string tls_key_pem;               // the key itself instead of tls_key (--tls-self-signed's, never on disk)
  AppConfig app;
};

// Both models: bind in the constructor (throwing ListenError), serve in run()
// until stop_accepting() is called from another thread, then return once the
// requests already received have been answered.
struct ListenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace kit
