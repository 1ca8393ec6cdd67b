// server --dashboard: the page and its event stream through a plain socket,
// and the page itself in a real browser (Debian's headless Chromium).
#include <gtest/gtest.h>
#include <signal.h>

#include <future>
#include <memory>
#include <regex>
#include <thread>

#include "browser.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

// The port of the "Dashboard on http://127.0.0.1:PORT/" line, which follows "Serving on".
int dashboard_port(ServerProcess& server) {
  const std::string line = server.next_line();
  std::smatch match;
  if (!std::regex_match(line, match, std::regex(R"(Dashboard on http://127\.0\.0\.1:(\d+)/\n)"))) {
    ADD_FAILURE() << "not the dashboard's line: '" << line << "'";
    return 0;
  }
  return std::stoi(match[1]);
}

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

// The page's text once it shows `expected` (a few seconds at most: Chromium has to start).
std::string text_once_shown(HeadlessBrowser& browser, const std::string& expected) {
  std::string text;
  for (int i = 0; i < 100 && text.find(expected) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = browser.evaluate("document.body.innerText");
  }
  return text;
}

// What the dashboard's page says one second into a run of `requests`
// requests of 2 s each, against a server started with `flags`, in headless
// Chromium. The page is live once its first snapshot has named the `model`.
std::string page_text_one_second_in(std::vector<std::string> flags, const std::string& model, int requests) {
  flags.insert(flags.end(), {"--delay", "2", "--dashboard", "0", "--quiet"});
  ServerProcess server(flags);
  if (!server.started()) {
    ADD_FAILURE() << server.log();
    return "";
  }
  HeadlessBrowser browser("http://127.0.0.1:" + std::to_string(dashboard_port(server)) + "/");
  if (!browser.started() || text_once_shown(browser, model).find(model) == std::string::npos) {
    ADD_FAILURE() << "the page never showed '" << model << "': " << browser.problem();
    return "";
  }
  auto client = std::async(std::launch::async, [&] {
    return run_program("client_async", {server.url(), "-n", std::to_string(requests), "-q"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const std::string text = browser.evaluate("document.body.innerText");
  const ProgramResult run = client.get();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return text;
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

TEST(Dashboard, HeadlessChromiumShowsWorkersInFlightAndQueued) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  // Two workers, four requests of 2 s: for the first two seconds two are in
  // flight and two wait in the queue.
  const std::string text = page_text_one_second_in({"--workers", "2"}, "worker pool, 2 workers", 4);
  EXPECT_NE(text.find("2 in flight"), std::string::npos) << text;
  EXPECT_NE(text.find("2 queued"), std::string::npos) << text;
  EXPECT_NE(text.find("worker 1"), std::string::npos) << text;
  EXPECT_NE(text.find("worker 2"), std::string::npos) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(request [34]\b)"))) << "a queued request's row: " << text;
}

TEST(Dashboard, HeadlessChromiumShowsOneRowPerRequestForTheEventLoop) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  const std::string text = page_text_one_second_in({"--async"}, "event loop, 1 thread", 5);
  EXPECT_NE(text.find("5 in flight"), std::string::npos) << text;
  EXPECT_NE(text.find("0 queued"), std::string::npos) << text;
  for (int id = 1; id <= 5; ++id) EXPECT_NE(text.find("request " + std::to_string(id)), std::string::npos) << text;
}

}  // namespace kit::test
