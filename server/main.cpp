// server: the slow "WSGI-like" HTTP server of the demo kit.
//
// Every request waits --delay seconds, then answers "This is a slow web api".
// Two models serve it: a blocking worker pool (the default) and an event loop
// (--async). One HTTP front end reads every request, hands it to the model,
// and writes the answer. Run it, then time the clients against it in another
// terminal.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <system_error>

#include "dashboard.hpp"
#include "event_loop_model.hpp"
#include "fd_limit.hpp"
#include "http_front_end.hpp"
#include "network_addresses.hpp"
#include "self_signed.hpp"
#include "server_options.hpp"
#include "stop_signals.hpp"
#include "worker_pool.hpp"

namespace {

// The two models differ only in how the app's wait runs; null, with the
// reason on stderr, when the system refused the pool's threads.
std::unique_ptr<kit::AppModel> make_model(kit::ServerConfig& config) {
  if (config.event_loop) return std::make_unique<kit::EventLoopModel>(config.app, config.threads, config.blocking);
  config.threads = 1;  // one loop reads requests for the whole pool
  try {
    return std::make_unique<kit::WorkerPool>(config.app, config.workers, config.queue);
  } catch (const std::system_error& e) {  // ulimit -u, memory
    std::cerr << "server: cannot start " << config.workers << " worker threads (" << e.what() << ")\n";
    return nullptr;
  }
}

// The dashboard's connections count too, so that its visitors cannot take
// the descriptors the server needs. A class on laptops with a low limit
// still gets a server, with a note: the dashboard gives way first.
void fit_in_the_descriptor_limit(kit::ServerConfig& config, kit::Dashboard::Settings* dashboard) {
  const int dashboard_wanted = dashboard ? dashboard->most_connections : 0;
  const int wanted = config.max_connections + dashboard_wanted;
  const int fit = kit::make_room_for_connections(wanted);
  if (fit >= wanted) return;
  const kit::DescriptorShares shares =
      kit::share_descriptors(fit, config.max_connections, dashboard_wanted, kit::Dashboard::least_connections);
  std::cerr << "server: " << kit::too_few_descriptors(wanted, fit) << "\n";
  if (dashboard && shares.dashboard < dashboard_wanted) {
    std::cerr << "server: the dashboard keeps " << shares.dashboard << " connections at most, not " << dashboard_wanted
              << ", so that the server keeps its own (a lower --max-connections leaves it more)\n";
    dashboard->most_connections = shares.dashboard;
  }
  if (shares.server < config.max_connections) {
    std::cerr << "server: serving at most " << shares.server << " at once\n";
    config.max_connections = shares.server;
  }
}

std::string url_host(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

// The first lines on stdout (flushed: scripts wait for them), then on
// stderr what a teacher should know about who can reach it.
void announce(const kit::ServerConfig& config, const kit::HttpFrontEnd& front_end, const kit::AppModel& model,
              const kit::Dashboard* dashboard, const kit::SelfSignedCertificate* throwaway) {
  const int port = front_end.port();
  const char* scheme = config.tls_certificate.empty() ? "http" : "https";
  std::printf("Serving on %s://%s:%d (%s) ...\n", scheme, url_host(config.host).c_str(), port,
              model.description().c_str());
  if (dashboard) {
    std::printf("Dashboard on http://%s:%d/\n", url_host(config.host).c_str(), dashboard->port());
    std::printf("Class page on http://%s:%d/class\n", url_host(config.host).c_str(), dashboard->port());
  }
  std::fflush(stdout);
  if (!front_end.address().is_loopback()) {
    std::fprintf(stderr, "server: listening beyond this machine: anyone on the network can reach it\n");
    for (const std::string& address : kit::addresses_for_others(front_end.address())) {
      std::fprintf(stderr, "server: students can use %s://%s:%d/", scheme, address.c_str(), port);
      if (dashboard) {
        std::fprintf(stderr, " (dashboard http://%s:%d/, class page http://%s:%d/class)", address.c_str(),
                     dashboard->port(), address.c_str(), dashboard->port());
      }
      std::fprintf(stderr, "\n");
    }
  }
  if (throwaway) {
    std::fprintf(stderr,
                 "server: self-signed certificate for localhost, 127.0.0.1 and ::1 in %s\n"
                 "server: trust it with: client_async https://localhost:%d/ --cacert %s\n",
                 throwaway->certificate_file().c_str(), port, throwaway->certificate_file().c_str());
  }
}

// What the student page needs to reach the slow server, and its own
// address for the QR code: the first one students can use.
kit::Dashboard::ClassDetails class_details(const kit::ServerConfig& config, const kit::HttpFrontEnd& front_end,
                                           int dashboard_port) {
  std::string host = "127.0.0.1";
  bool reachable = false;
  if (!front_end.address().is_loopback()) {
    const auto others = kit::addresses_for_others(front_end.address());
    if (!others.empty()) host = others.front();
    reachable = !others.empty();
  }
  return {front_end.port(), !config.tls_certificate.empty(), config.app.delay,
          "http://" + host + ":" + std::to_string(dashboard_port) + "/class", reachable};
}

}  // namespace

int main(int argc, char** argv) {
  kit::ServerCommandLine command_line = kit::parse_server_command_line(argc, argv);
  if (command_line.exit_code) return *command_line.exit_code;
  kit::ServerConfig& config = command_line.config;
  std::optional<kit::SelfSignedCertificate> throwaway;
  try {
    if (command_line.self_signed) {
      throwaway.emplace();
      config.tls_certificate = throwaway->certificate_file();
      config.tls_key_pem = throwaway->key_pem();
    }
  } catch (const std::runtime_error& e) {
    std::cerr << "server: " << e.what() << "\n";
    return 2;
  }
  kit::Dashboard::Settings dashboard_settings{.allowed_hosts = command_line.allowed_hosts};
  fit_in_the_descriptor_limit(config, command_line.dashboard_port ? &dashboard_settings : nullptr);
  config.readable_by_pages = command_line.dashboard_port.has_value();  // the student page reads the answers
  std::signal(SIGPIPE, SIG_IGN);  // a peer gone mid-write is an error code, not the end

  const std::unique_ptr<kit::AppModel> model = make_model(config);
  if (!model) return 2;
  std::optional<kit::Dashboard> dashboard;  // on a thread of its own, never the model's
  std::optional<kit::HttpFrontEnd> front_end;
  try {
    if (const auto port = command_line.dashboard_port) {
      dashboard.emplace(config.host, *port, model->description(), config.event_loop ? 0 : config.workers,
                        dashboard_settings);
    }
    front_end.emplace(config, *model, dashboard ? &*dashboard : nullptr);
  } catch (const kit::ListenError& e) {
    std::cerr << "server: " << e.what() << "\n";
    return 2;
  }
  // Leaving without unwinding, as the serving threads may still be busy:
  // only the throw-away certificate's file needs removing by hand.
  const kit::StopSignals stop_signals(
      config.drain, [&] { front_end->stop_accepting(); },
      [&](int code) {
        throwaway.reset();
        std::_Exit(code);
      });
  if (dashboard) dashboard->describe_class(class_details(config, *front_end, dashboard->port()));
  announce(config, *front_end, *model, dashboard ? &*dashboard : nullptr, throwaway ? &*throwaway : nullptr);

  front_end->run();
  std::fprintf(stderr, "server: stopped\n");
  return 0;
}
