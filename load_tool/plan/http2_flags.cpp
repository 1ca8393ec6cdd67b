#include "http2_flags.hpp"

#include "readable_flags.hpp"

namespace kit {

void add_http2_flags(CLI::App& app, ClientOptions& options) {
  if (options.kind == ClientKind::sync) {
    // Known, to answer with the client that has them.
    app.add_flag("--http2", options.http2)->group("");
    app.add_option("--connections", options.connections)->group("");
    return;
  }
  app.add_flag("--http2", options.http2,
               "HTTP/2: requests as streams on shared connections; https offers h2 by ALPN (a server that picks "
               "HTTP/1.1 is used as such), http:// assumes it (h2c, as curl --http2-prior-knowledge)");
  app.add_option("--connections", options.connections,
                 "--http2: connections to each host that the requests in flight (-c) are spread over, each within "
                 "the server's limit on streams")
      ->capture_default_str()
      ->check(flags::whole_number("a number of connections", 1, 10000))
      ->type_name("N");
}

void check_http2_flags(const CLI::App& app, const ClientOptions& options) {
  if (options.kind == ClientKind::sync && (options.http2 || app.count("--connections") > 0)) {
    throw CLI::ValidationError(std::string(options.http2 ? "--http2" : "--connections") +
                               ": client_sync speaks HTTP/1.1 only (cpp-httplib has no HTTP/2); "
                               "client_async --http2 does");
  }
  if (app.count("--connections") > 0 && !options.http2) {
    throw CLI::ValidationError("--connections spreads HTTP/2 streams: it needs --http2");
  }
  if (options.http2 && app.count("--no-keep-alive") > 0) {
    throw CLI::ValidationError(
        "--http2 keeps its connections for many requests: --no-keep-alive has no place beside it");
  }
}

}  // namespace kit
