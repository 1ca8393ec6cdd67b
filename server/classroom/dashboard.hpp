#pragma once
// server --dashboard PORT: a live web page for the class, on its own port and
// its own thread, so that watching never slows the workers or loops being
// watched. GET / is the page (built into the binary), GET /events a
// text/event-stream of every request: received, started (by which worker or
// loop), finished, and once a second a snapshot with the counts. A page that
// reads too slowly loses events, never the server's time: each page has a
// bounded queue, and the next snapshot puts it right again.
// GET /class is the student page (server/classroom/pages/class.*): it runs the
// talk's clients in the browser against the slow server and POSTs each run
// to /class/report; the projector's page shows the class (server/classroom/class_reports.*).
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/url/authority_view.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "class_reports.hpp"
#include "event_loop_types.hpp"
#include "platform.hpp"
#include "request_events.hpp"
#include "server_config.hpp"

namespace kit {

class Dashboard : public RequestEvents {
 public:
  struct Settings {
    // Connections it keeps open at most, pages included: the server counts
    // them in the descriptors it asks for, and lowers it when they are short.
    int most_connections = 128;
    // --allow-host: names it answers to besides an address, localhost and
    // this machine's own (a lab's DNS name, a proxy's); ".example.org" takes
    // that domain and every name under it.
    std::vector<std::string> allowed_hosts;
  };
  // When descriptors are short it keeps at least this many (the projector's
  // page and a few students' at a time), a quarter of them at most from one address.
  static constexpr int least_connections = 32;

  // Binds host:port (0 picks a free one); throws ListenError. `model` names
  // the server's model for the page; `workers` is the pool's size, 0 for an event loop.
  Dashboard(const std::string& host, int port, std::string model, int workers, Settings settings);
  ~Dashboard() override;  // stops the page's thread
  int port() const { return port_; }
  static constexpr std::size_t most_pages = 100;

  void received(std::uint64_t id, std::string_view method, std::string_view target,
                std::chrono::steady_clock::time_point at) override;
  void started(std::uint64_t id, std::string_view lane) override;
  void finished(std::uint64_t id, int status, double queue_seconds, double app_seconds) override;
  void loop_lag(double seconds) override;
  void loop_ticked(std::chrono::steady_clock::time_point at) override;

  // What the student page needs: where the slow server listens and how long
  // it waits, and the page's own address for the projector's QR code.
  struct ClassDetails {
    int server_port = 0;
    bool tls = false;
    double delay = 0;
    std::string page_url;
    bool reachable = true;  // false when the server listens on loopback only: no phone can open the page
  };
  void describe_class(ClassDetails details);  // from any thread

 private:
  struct Event;
  struct Active;
  struct Page;
  struct Visitor {  // one peer address's open connections and pages
    std::size_t connections = 0, pages = 0;
  };
  void publish(Event event);  // from any thread
  void apply_published();     // on the page thread from here on
  void send_to_pages(const std::string& message);
  std::string snapshot() const;
  double seconds_at(std::chrono::steady_clock::time_point at) const;
  event_loop::Awaitable<void> accept_pages();
  event_loop::Awaitable<void> serve(event_loop::Socket socket, boost::asio::ip::address peer);
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  event_loop::Awaitable<void> answer(event_loop::Socket& socket, Visitor& visitor,
                                     const boost::asio::ip::address& peer);
  std::string respond_to(const Request& request, const boost::asio::ip::address& peer);
  std::string take_report(const Request& request, const boost::asio::ip::address& peer);
  std::string class_server_json() const;
  bool addressed_to_us(const Request& request) const;
  bool allowed_name(const std::string& name) const;
  std::size_t connections_per_address() const;  // so that one laptop cannot lock the projector out
  bool check_origin(const Request& request, const boost::urls::authority_view& host) const;
  event_loop::Awaitable<void> stream_events(std::shared_ptr<Page> page);
  event_loop::Awaitable<void> heartbeat();

  const std::string model_;
  const int workers_;
  const std::string machine_name_;  // lower case, for the Host check
  const Settings settings_;         // its allowed hosts in lower case
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  boost::asio::io_context io_{1};
  boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, event_loop::Executor> acceptor_;
  int port_ = 0;

  // Filled by the serving threads, emptied by the page thread.
  std::mutex published_mutex_;
  std::vector<Event> published_;

  // The page thread's own.
  std::map<std::uint64_t, Active> active_;  // received and not yet finished
  std::list<std::shared_ptr<Page>> pages_;
  int connections_ = 0;
  std::map<boost::asio::ip::address, Visitor> visitors_;
  int finished_since_heartbeat_ = 0;
  double requests_per_second_ = 0;
  ClassDetails class_details_;
  std::string qr_code_svg_;
  ClassReports class_reports_;
  bool class_changed_ = false;  // sent to the pages with the next heartbeat

  std::atomic<double> loop_lag_{0};  // the worst since the last heartbeat, from the front end's loop
  double shown_loop_lag_ = 0;        // the last heartbeat's
  // When the loop last ticked (steady clock ticks; 0: not yet): a lag seen
  // from outside, growing while the loop is blocked.
  std::atomic<std::chrono::steady_clock::rep> last_tick_{0};
  double lag_seen_from_outside(std::chrono::steady_clock::time_point now) const;

  platform::JoiningThread thread_;  // last: it starts once everything above exists
};

}  // namespace kit
