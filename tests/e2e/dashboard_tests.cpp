// server --dashboard: the page and its event stream through a plain socket
// (the page in a real browser is in browser_tests.cpp).
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <regex>
#include <thread>

#include "durations.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

std::string post_report(const std::string& body) {
  return "POST /class/report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string report_of(const std::string& name, const std::string& kind = "all") {
  return R"({"name":")" + name + R"(","kind":")" + kind + R"(","n":2,"seconds":0.21,"maxInFlight":2})";
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
  // Milliseconds, as the client measures it (its own start is not counted).
  EXPECT_DURATION_LT(recap_seconds(after.err), 0.5) << after.err;
  // A page that reads still gets the news.
  RawConnection reader(port);
  ASSERT_TRUE(reader.send(get("/events")));
  const std::string news = reader.receive(0.5);
  EXPECT_NE(news.find("event: snapshot"), std::string::npos) << news;
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

// The student page and what it needs: the page, where the slow server is,
// the QR code of its address; the slow server's answers readable by it.
TEST(Dashboard, ServesTheClassPageAndTellsItWhereTheServerIs) {
  ServerProcess server({"--async", "--delay", "0.2", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int port = dashboard_port(server);
  EXPECT_EQ(server.next_line(), "Class page on http://127.0.0.1:" + std::to_string(port) + "/class\n");
  const std::string page = raw_exchange(port, get("/class?name=Ada"));
  EXPECT_EQ(status_line(page), "HTTP/1.1 200 OK");
  EXPECT_NE(page.find("<script src=\"/class.js\">"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos) << "nothing from the network: a class may be offline";
  EXPECT_NE(raw_exchange(port, get("/class.js")).find("window.classPage = { run }"), std::string::npos);
  const std::string where = raw_exchange(port, get("/class/server"));
  EXPECT_NE(where.find("{\"port\":" + std::to_string(server.port()) + ",\"tls\":false,\"delay\":"), std::string::npos)
      << where;
  const std::string qr = raw_exchange(port, get("/class/qr.svg"));
  EXPECT_NE(qr.find("Content-Type: image/svg+xml"), std::string::npos) << qr;
  EXPECT_NE(qr.find("<path fill=\"#000\" d=\"M4,4h1v1h-1z"), std::string::npos) << "a finder pattern's corner: " << qr;

  const std::string answer = raw_exchange(server.port(), get("/"));
  EXPECT_NE(answer.find("Access-Control-Allow-Origin: *\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Access-Control-Expose-Headers: Server-Timing\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Timing-Allow-Origin: *\r\n"), std::string::npos) << answer;
  ServerProcess no_dashboard({"--async", "--delay", "0", "--quiet"});
  ASSERT_TRUE(no_dashboard.started()) << no_dashboard.log();
  EXPECT_EQ(raw_exchange(no_dashboard.port(), get("/")).find("Access-Control"), std::string::npos)
      << "without the class page, the answers stay as they were";
}

// A server with a dashboard, and a page already reading its event stream.
class DashboardReports : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.started()) << server.log();
    port = dashboard_port(server);
    events = std::make_unique<RawConnection>(port);
    ASSERT_TRUE(events->send(get("/events")));
  }
  ServerProcess server{{"--async", "--delay", "0", "--dashboard", "0", "--quiet"}};
  int port = 0;
  std::unique_ptr<RawConnection> events;
};

// Run reports: kept and shown on the event stream, names made printable and
// short; malformed ones 400, oversized 413, a flood from one address 429.
TEST_F(DashboardReports, AreCheckedBoundedAndShown) {
  EXPECT_EQ(status_line(raw_exchange(port, post_report(report_of("Ada")))), "HTTP/1.1 200 OK");
  const std::string hostile = std::string("<b>\\u001b[31m") + std::string(100, 'x');
  EXPECT_EQ(status_line(raw_exchange(port, post_report(report_of(hostile, "sequential")))), "HTTP/1.1 200 OK");
  for (const std::string& bad :
       {std::string("not json"), std::string("[1]"), report_of("Ada", "threads"), report_of(""),
        std::string(R"({"name":"x","kind":"all","n":0,"seconds":1,"maxInFlight":1})"),
        std::string(R"({"name":"x","kind":"all","n":2,"seconds":-1,"maxInFlight":1})")}) {
    EXPECT_EQ(status_line(raw_exchange(port, post_report(bad))), "HTTP/1.1 400 Bad Request") << bad;
  }
  EXPECT_EQ(status_line(raw_exchange(port, post_report(std::string(2000, ' ') + report_of("Big")))),
            "HTTP/1.1 413 Payload Too Large");
  const std::string stream = events->receive(1.2);  // the class goes out with the next heartbeat
  EXPECT_NE(stream.find("{\"name\":\"Ada\",\"runs\":[{\"kind\":\"all\",\"n\":2,\"seconds\":"), std::string::npos)
      << stream;
  EXPECT_NE(stream.find("\"name\":\"<b>\\\\x1b[31mxxx"), std::string::npos) << "made printable, then JSON: " << stream;
  EXPECT_EQ(stream.find("\x1b"), std::string::npos) << "no control byte reaches a page";
  EXPECT_EQ(stream.find(std::string(40, 'x')), std::string::npos) << "names are cut to 32 characters";
  EXPECT_EQ(stream.find("Big"), std::string::npos);

  // One laptop in a loop: after its burst, 429s; another address still gets through.
  int refused = 0;
  for (int i = 0; i < 160; ++i) {
    refused += status_line(raw_exchange(port, post_report(report_of("loop")))) == "HTTP/1.1 429 Too Many Requests";
  }
  EXPECT_GE(refused, 60) << "a flood from one address is cut off";
  RawConnection other(port, "127.0.0.9");
  ASSERT_TRUE(other.send(post_report(report_of("Grace"))));
  EXPECT_EQ(status_line(other.receive(5)), "HTTP/1.1 200 OK");
  const ProgramResult after = run_program("client_async", {server.url(), "-n", "2"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

// A class behind one school NAT: 35 students report from one address at
// once, and every run reaches the projector. A name is cut between its
// characters, never inside one, with an ellipsis.
TEST_F(DashboardReports, FromAClassBehindOneAddressAreHeardWhole) {
  int taken = 0;
  for (int k = 1; k <= 35; ++k) {
    taken +=
        status_line(raw_exchange(port, post_report(report_of("student" + std::to_string(k))), 5)) == "HTTP/1.1 200 OK";
  }
  EXPECT_EQ(taken, 35);
  std::string long_name;  // in the report's JSON as \u escapes: 40 characters, 3 bytes each in UTF-8
  for (int i = 0; i < 10; ++i) long_name += "\\u5c71\\u7530\\u82b1\\u5b50";
  EXPECT_EQ(status_line(raw_exchange(port, post_report(report_of(long_name)), 5)), "HTTP/1.1 200 OK");
  const std::string stream = events->receive(1.5);
  const std::string last_class = stream.substr(std::min(stream.size(), stream.rfind("event: class")));
  EXPECT_NE(last_class.find("\"student_count\":36"), std::string::npos) << last_class;
  std::string cut = "\"name\":\"";
  for (int i = 0; i < 8; ++i) cut += "\xe5\xb1\xb1\xe7\x94\xb0\xe8\x8a\xb1\xe5\xad\x90";  // the first 32
  cut += "\xe2\x80\xa6\"";                                                                // and an ellipsis
  EXPECT_NE(last_class.find(cut), std::string::npos) << last_class;
  EXPECT_EQ(stream.find("\\\\x"), std::string::npos) << "no character cut in two";
}

// The event-loop lag gauge: a loop that sleeps in its handler (--async
// --blocking) runs its timers late by the sleep; one that waits on timers
// stays near 0.
TEST(Dashboard, LoopLagShowsABlockedEventLoop) {
  auto worst_lag = [](std::vector<std::string> flags) {
    flags.insert(flags.end(), {"--delay", "0.4", "--dashboard", "0", "--quiet"});
    ServerProcess server(flags);
    EXPECT_TRUE(server.started()) << server.log();
    RawConnection events(dashboard_port(server));
    EXPECT_TRUE(events.send(get("/events")));
    const ProgramResult client = run_program("client_async", {server.url(), "-n", "3", "-q"});
    EXPECT_EQ(client.exit_code, 0) << client.err;
    const std::string stream = events.receive(1.3);
    double worst = 0;
    for (auto at = stream.find("\"loop_lag\":"); at != std::string::npos; at = stream.find("\"loop_lag\":", at + 1)) {
      worst = std::max(worst, std::atof(stream.c_str() + at + 11));
    }
    return worst;
  };
  const double blocked = worst_lag({"--async", "--blocking"});
  const double waiting = worst_lag({"--async"});
  EXPECT_GE(blocked, 0.3) << "three 0.4 s sleeps in the loop";
  EXPECT_DURATION_LT(waiting, blocked / 4);
}

}  // namespace kit::test
