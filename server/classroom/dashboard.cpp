#include "dashboard.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <deque>
#include <sstream>
#include <unistd.h>

#include "qr_code.hpp"
#include "safe_text.hpp"

#include "dashboard_assets.hpp"
#include "plain_response.hpp"

namespace kit {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using event_loop::no_throw;

namespace {

constexpr std::size_t most_unsent_bytes_per_page = 256 * 1024;  // past it, the page is dropped
constexpr std::size_t most_requests_in_snapshot = 300;
constexpr std::size_t longest_target_shown = 200;     // bytes of a request's path and query
constexpr std::size_t most_request_bytes = 8 * 1024;  // a page's request: headers only
constexpr std::size_t most_pages_per_address = 8;     // so that one laptop cannot lock the projector out
constexpr int most_connections_per_address = 16;

std::string sse(std::string_view event, const json::value& data) {
  std::string message = "event: ";
  message.append(event).append("\ndata: ").append(json::serialize(data)).append("\n\n");
  return message;
}

std::string this_machine_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return ascii_lowercase(name);
}

}  // namespace

// One request's news, as a serving thread hands it over.
struct Dashboard::Event {
  enum Kind { received, started, finished } kind;
  std::uint64_t id;
  double at;  // seconds since the dashboard started
  std::string method, target, lane;
  int status = 0;
  double queue = 0, app = 0;
};

// A request that has been received and has not finished.
struct Dashboard::Active {
  std::string method, target, lane;
  double received = 0;
  double started = -1;  // -1: still queued
};

// An open page: its connection and the events it has yet to be sent.
struct Dashboard::Page {
  explicit Page(event_loop::Socket socket) : socket(std::move(socket)), wake(this->socket.get_executor()) {}
  event_loop::Socket socket;
  event_loop::Timer wake;  // cancelled when there is something to send
  std::deque<std::shared_ptr<const std::string>> unsent;
  std::size_t unsent_bytes = 0;
};

namespace {

Dashboard::Settings in_lower_case(Dashboard::Settings settings) {
  for (std::string& name : settings.allowed_hosts) name = ascii_lowercase(name);
  return settings;
}

}  // namespace

Dashboard::Dashboard(const std::string& host, int port, std::string model, int workers, Settings settings)
    : model_(std::move(model)),
      workers_(workers),
      machine_name_(this_machine_name()),
      settings_(in_lower_case(std::move(settings))),
      acceptor_(io_.get_executor()) {
  boost::system::error_code error;
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, error);
  if (!error && !endpoints.empty()) {
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  }
  if (error || endpoints.empty()) {
    throw ListenError("cannot serve the dashboard on " + host + ":" + std::to_string(port) + " (" + error.message() +
                      ")");
  }
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_pages(), asio::detached);
  asio::co_spawn(io_, heartbeat(), asio::detached);
  thread_ = platform::JoiningThread([this] { io_.run(); });
}

Dashboard::~Dashboard() {
  io_.stop();
  thread_.join();
}

double Dashboard::seconds_at(std::chrono::steady_clock::time_point at) const {
  return std::chrono::duration<double>(at - started_).count();
}

void Dashboard::received(std::uint64_t id, std::string_view method, std::string_view target,
                         std::chrono::steady_clock::time_point at) {
  // A peer's text, shown in a page: printable and short.
  publish({Event::received, id, seconds_at(at), printable(method, 32), printable(target, longest_target_shown)});
}

void Dashboard::started(std::uint64_t id, std::string_view lane) {
  publish({Event::started, id, seconds_at(std::chrono::steady_clock::now()), {}, {}, std::string(lane)});
}

void Dashboard::finished(std::uint64_t id, int status, double queue_seconds, double app_seconds) {
  publish({.kind = Event::finished,
           .id = id,
           .at = seconds_at(std::chrono::steady_clock::now()),
           .status = status,
           .queue = queue_seconds,
           .app = app_seconds});
}

// The worst since the last snapshot, which takes it: a late report is never lost.
void Dashboard::loop_lag(double seconds) {
  double seen = loop_lag_.load();
  while (seen < seconds && !loop_lag_.compare_exchange_weak(seen, seconds)) {
  }
}

void Dashboard::loop_ticked(std::chrono::steady_clock::time_point at) {
  last_tick_.store(at.time_since_epoch().count(), std::memory_order_relaxed);
}

// How long the loop has not ticked, past its 100 ms period: 0 for a loop
// that runs, the time so far for one blocked in a sleep.
double Dashboard::lag_seen_from_outside(std::chrono::steady_clock::time_point now) const {
  const auto last = last_tick_.load(std::memory_order_relaxed);
  if (last == 0) return 0;
  const std::chrono::steady_clock::time_point ticked{std::chrono::steady_clock::duration(last)};
  return std::max(0.0, std::chrono::duration<double>(now - ticked).count() - 0.1);
}

void Dashboard::describe_class(ClassDetails details) {
  asio::post(io_, [this, details = std::move(details)] {
    class_details_ = details;
    qr_code_svg_ = qr_code_svg(details.page_url);
  });
}

void Dashboard::publish(Event event) {
  // The serving thread only appends; the page thread does the rest. One
  // wake-up carries every event published until it runs.
  bool first = false;
  {
    std::lock_guard lock(published_mutex_);
    first = published_.empty();
    published_.push_back(std::move(event));
  }
  if (first) asio::post(io_, [this] { apply_published(); });
}

void Dashboard::apply_published() {
  std::vector<Event> events;
  {
    std::lock_guard lock(published_mutex_);
    events.swap(published_);
  }
  std::string messages;
  for (const Event& e : events) {
    switch (e.kind) {
      case Event::received:
        active_[e.id] = {e.method, e.target, {}, e.at};
        messages += sse("received", {{"id", e.id}, {"method", e.method}, {"target", e.target}, {"t", e.at}});
        break;
      case Event::started:
        if (auto it = active_.find(e.id); it != active_.end()) {
          it->second.lane = e.lane;
          it->second.started = e.at;
        }
        messages += sse("started", {{"id", e.id}, {"lane", e.lane}, {"t", e.at}});
        break;
      case Event::finished:
        active_.erase(e.id);
        ++finished_since_heartbeat_;
        messages +=
            sse("finished", {{"id", e.id}, {"status", e.status}, {"queue", e.queue}, {"app", e.app}, {"t", e.at}});
        break;
    }
  }
  send_to_pages(messages);
}

void Dashboard::send_to_pages(const std::string& message) {
  if (message.empty() || pages_.empty()) return;
  const auto shared = std::make_shared<const std::string>(message);
  for (const auto& page : pages_) {
    if (page->unsent_bytes + message.size() > most_unsent_bytes_per_page) {
      // A page this far behind is not reading: drop it rather than wait.
      boost::system::error_code ignored;
      page->socket.close(ignored);
      page->wake.cancel();
      continue;
    }
    page->unsent.push_back(shared);
    page->unsent_bytes += message.size();
    page->wake.cancel();
  }
}

std::string Dashboard::snapshot() const {
  int queued = 0;
  json::array requests;
  for (const auto& [id, a] : active_) {
    queued += a.started < 0;
    if (requests.size() >= most_requests_in_snapshot) continue;
    json::object r{{"id", id}, {"method", a.method}, {"target", a.target}, {"received", a.received}};
    if (a.started >= 0) {
      r["lane"] = a.lane;
      r["started"] = a.started;
    }
    requests.push_back(std::move(r));
  }
  const int in_flight = static_cast<int>(active_.size()) - queued;
  return sse("snapshot", {{"t", seconds_at(std::chrono::steady_clock::now())},
                          {"model", model_},
                          {"workers", workers_},
                          {"in_flight", in_flight},
                          {"queued", queued},
                          {"requests_per_second", requests_per_second_},
                          {"loop_lag", shown_loop_lag_},
                          {"requests", std::move(requests)}});
}

event_loop::Awaitable<void> Dashboard::heartbeat() {
  // Five times a second the loop's lag, seen from outside as well, so that
  // the gauge climbs while the loop is blocked; once a second the counts,
  // and proof to an open page that the server lives.
  constexpr auto tick = std::chrono::milliseconds(200);
  constexpr int ticks_a_second = 5;
  event_loop::Timer timer(io_.get_executor());
  auto last = std::chrono::steady_clock::now();
  for (int ticks = 1;; ++ticks) {
    timer.expires_after(tick);
    if (auto [error] = co_await timer.async_wait(no_throw); error) co_return;
    const auto now = std::chrono::steady_clock::now();
    const double lag = std::max({shown_loop_lag_, loop_lag_.load(), lag_seen_from_outside(now)});
    if (ticks % ticks_a_second != 0) {
      send_to_pages(sse("lag", {{"loop_lag", lag}}));
      continue;
    }
    requests_per_second_ = finished_since_heartbeat_ / std::chrono::duration<double>(now - last).count();
    shown_loop_lag_ = std::max(loop_lag_.exchange(0), lag_seen_from_outside(now));
    finished_since_heartbeat_ = 0;
    last = now;
    send_to_pages(snapshot());
    if (class_changed_) send_to_pages(sse("class", class_reports_.to_json()));
    class_changed_ = false;
  }
}

event_loop::Awaitable<void> Dashboard::accept_pages() {
  for (;;) {
    auto [error, socket] = co_await acceptor_.async_accept(no_throw);
    if (error == asio::error::operation_aborted) co_return;
    if (error) {
      // Out of descriptors, most likely: pause rather than spin, as the front end does.
      event_loop::Timer pause(io_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(no_throw);
      continue;
    }
    boost::system::error_code gone;
    const asio::ip::address peer = socket.remote_endpoint(gone).address();
    if (gone || connections_ >= settings_.most_connections ||
        visitors_[peer].connections >= connections_per_address()) {
      if (!gone && visitors_[peer].connections == 0) visitors_.erase(peer);
      continue;  // closed at once, unread
    }
    asio::co_spawn(io_, serve(std::move(socket), peer), asio::detached);
  }
}

std::size_t Dashboard::connections_per_address() const {
  return static_cast<std::size_t>(std::clamp(settings_.most_connections / 4, 1, most_connections_per_address));
}

event_loop::Awaitable<void> Dashboard::serve(event_loop::Socket socket, asio::ip::address peer) {
  Visitor& visitor = visitors_[peer];
  ++connections_;
  ++visitor.connections;
  co_await answer(socket, visitor, peer);
  --connections_;
  if (--visitor.connections == 0) visitors_.erase(peer);
}

event_loop::Awaitable<void> Dashboard::answer(event_loop::Socket& socket, Visitor& visitor,
                                              const asio::ip::address& peer) {
  boost::beast::flat_buffer buffer(most_request_bytes);  // bounds chunk lines and trailers too
  http::request_parser<http::string_body> parser;
  parser.header_limit(most_request_bytes);
  parser.body_limit(ClassReports::most_report_bytes);  // a run report; nothing else has a body
  event_loop::Timer deadline(socket.get_executor(), std::chrono::seconds(5));
  deadline.async_wait([&socket](boost::system::error_code error) {
    if (!error) socket.close();  // a page that does not ask within 5 s is closed
  });
  auto [read_error, read] = co_await http::async_read(socket, buffer, parser, no_throw);
  deadline.cancel();
  std::string response;
  if (read_error == http::error::body_limit) {
    response = plain_response(http::status::payload_too_large, "text/plain; charset=utf-8",
                              "a report is 1 KiB at most\n", false);
  } else if (read_error) {
    co_return;
  } else if (const Request& request = parser.get();
             request.method() == http::verb::get && request.target() == "/events" && addressed_to_us(request)) {
    if (pages_.size() < most_pages && visitor.pages < most_pages_per_address) {
      auto page = std::make_shared<Page>(std::move(socket));
      pages_.push_back(page);
      ++visitor.pages;
      co_await stream_events(page);
      --visitor.pages;
      pages_.remove(page);
      co_return;
    }
    response = plain_response(http::status::service_unavailable, "text/plain; charset=utf-8",
                              "too many open dashboards\n", false);
  } else {
    response = respond_to(request, peer);
  }
  deadline.expires_after(std::chrono::seconds(5));
  deadline.async_wait([&socket](boost::system::error_code error) {
    if (!error) socket.close();  // nor one that does not take its answer
  });
  co_await asio::async_write(socket, asio::buffer(response), no_throw);
  deadline.cancel();
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

event_loop::Awaitable<void> Dashboard::stream_events(std::shared_ptr<Page> page) {
  page->unsent.push_back(std::make_shared<const std::string>(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
      "Connection: keep-alive\r\n\r\n"));
  page->unsent.push_back(std::make_shared<const std::string>(snapshot()));
  page->unsent.push_back(std::make_shared<const std::string>(sse("class", class_reports_.to_json())));
  for (const auto& message : page->unsent) page->unsent_bytes += message->size();
  for (;;) {
    if (page->unsent.empty()) {
      page->wake.expires_at(event_loop::Timer::time_point::max());
      co_await page->wake.async_wait(no_throw);  // cancelled by send_to_pages()
      continue;
    }
    const auto message = page->unsent.front();
    page->unsent.pop_front();
    page->unsent_bytes -= message->size();
    // A page that takes more than 10 s to take one message is gone: close it.
    event_loop::Timer deadline(page->socket.get_executor(), std::chrono::seconds(10));
    deadline.async_wait([page](boost::system::error_code error) {
      if (!error) page->socket.close();
    });
    auto [error, written] = co_await asio::async_write(page->socket, asio::buffer(*message), no_throw);
    deadline.cancel();
    if (error) co_return;
  }
}

}  // namespace kit
