// server --dashboard: the page and its event stream through a plain socket
// (the page in a real browser is in browser_tests.cpp).
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <regex>
#include <thread>

#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

}  // namespace

TEST(Dashboard, ServesItsPageStyleAndScript) {
  ServerProcess server({"--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int port = dashboard_port(server);
  ASSERT_GT(port, 0);
  EXPECT_NE(port, server.port());

  const std::string page = raw_exchange(port, get("/"));
  EXPECT_EQ(status_line(page), "HTTP/1.1 200 OK");
  EXPECT_NE(page.find("Content-Type: text/html; charset=utf-8"), std::string::npos);
  EXPECT_NE(page.find("<script src=\"/dashboard.js\">"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos) << "nothing from the network: a class may be offline";
  EXPECT_NE(raw_exchange(port, get("/dashboard.js")).find("new EventSource(\"/events\")"), std::string::npos);
  EXPECT_NE(raw_exchange(port, get("/dashboard.css")).find("text/css"), std::string::npos);
  EXPECT_EQ(status_line(raw_exchange(port, get("/nothing-here"))), "HTTP/1.1 404 Not Found");
}

TEST(Dashboard, EventStreamNamesEachRequestsWorkerAndTimes) {
  ServerProcess server({"--workers", "2", "--delay", "0.3", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  RawConnection events(dashboard_port(server));
  ASSERT_TRUE(events.send(get("/events")));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const ProgramResult client = run_program("client_async", {server.url(), "-n", "4", "-q"});
  ASSERT_EQ(client.exit_code, 0) << client.err;
  const std::string stream = events.receive(1.2);  // a heartbeat comes once a second

  EXPECT_NE(stream.find("Content-Type: text/event-stream"), std::string::npos) << stream;
  EXPECT_EQ(count_of(stream, "event: received\ndata: {\"id\":"), 4) << stream;
  EXPECT_EQ(count_of(stream, "event: started\n"), 4) << stream;
  EXPECT_NE(stream.find("\"lane\":\"worker 1\""), std::string::npos) << stream;
  EXPECT_NE(stream.find("\"lane\":\"worker 2\""), std::string::npos) << stream;
  EXPECT_EQ(count_of(stream, "event: finished\ndata: {\"id\":"), 4) << stream;
  EXPECT_EQ(count_of(stream, "\"status\":200"), 4) << stream;
  EXPECT_GE(count_of(stream, "event: snapshot\n"), 2) << "one on connecting, then a heartbeat: " << stream;
  EXPECT_NE(stream.find("\"model\":\"worker pool, 2 workers\""), std::string::npos) << stream;
}

TEST(Dashboard, PagesThatDoNotReadOrLeaveDoNotSlowTheServer) {
  ServerProcess server({"--async", "--delay", "0", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int port = dashboard_port(server);
  ASSERT_GT(port, 0) << server.log();
  // 20 students' pages that never read, and 20 closed tabs; each from its
  // own address, since the dashboard allows one address only a few pages.
  std::vector<std::unique_ptr<RawConnection>> stuck;
  for (int i = 0; i < 20; ++i) {
    stuck.push_back(std::make_unique<RawConnection>(port, "127.0.0." + std::to_string(2 + i)));
    ASSERT_TRUE(stuck.back()->send(get("/events")));
    RawConnection(port, "127.0.1." + std::to_string(2 + i)).send(get("/events"));
  }
  // Enough events to fill what a page may fall behind by, several times over.
  const ProgramResult load = run_program("client_async", {server.url(), "-n", "3000", "-c", "50", "-q"});
  ASSERT_EQ(load.exit_code, 0) << load.err;
  const ProgramResult after = run_program("client_async", {server.url(), "-n", "1"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_LT(after.seconds, 0.5);
  // A page that reads still gets the news.
  RawConnection reader(port);
  ASSERT_TRUE(reader.send(get("/events")));
  const std::string news = reader.receive(0.5);
  EXPECT_NE(news.find("event: snapshot"), std::string::npos) << news;
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

}  // namespace kit::test
