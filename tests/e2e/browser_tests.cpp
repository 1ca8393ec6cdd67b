// server --dashboard's page in a real browser, Debian's headless Chromium
// (scripts/test.sh installs it). Built by the plain preset only: the
// sanitizer runs leave the browser out.
#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <thread>

#include "browser.hpp"
#include "durations.hpp"
#include "process.hpp"
#include "text.hpp"

namespace kit::test {

namespace {

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
  if (!browser.started() || browser.text_once_shown(model).find(model) == std::string::npos) {
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

namespace kit::test {

namespace {

std::string report_request(const std::string& name, const std::string& kind, double seconds) {
  const std::string body = R"({"name":")" + name + R"(","kind":")" + kind + R"(","n":2,"seconds":)" +
                           std::to_string(seconds) + R"(,"maxInFlight":2})";
  return "POST /class/report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// Where the join information and the class end on the page's first screen:
// "ok" when each shown one has a size and ends within it, else what does not.
constexpr const char* first_screen_check = R"js((() => {
  const shown = ["#qr", "#class-url", "#loopback-only", "#class-summary"].map((s) => document.querySelector(s))
    .filter((e) => e && !e.hidden && !(e.closest("[hidden]")));
  const out = shown.filter((e) => { const r = e.getBoundingClientRect();
    return r.height <= 0 || r.bottom > innerHeight || r.right > innerWidth; });
  return out.length ? out.map((e) => e.id + " " + JSON.stringify(e.getBoundingClientRect())).join("; ") +
    " at " + innerWidth + "x" + innerHeight : "ok";
})())js";

}  // namespace

// A projector at 1920x1080 and 1280x720, 40 requests in flight and ten
// students reporting: the QR code (or how to open the server to the room),
// the class page's address and the class summary stay on the first screen,
// and the summary puts 2 one after another beside 2 all at once.
TEST(Projector, TheClassStaysOnTheFirstScreenWhateverTheTraffic) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--delay", "3", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int dashboard = dashboard_port(server);
  HeadlessBrowser projector("http://127.0.0.1:" + std::to_string(dashboard) + "/");
  ASSERT_NE(projector.text_once_shown("event loop").find("event loop"), std::string::npos) << projector.problem();
  for (int k = 1; k <= 10; ++k) {
    const bool sequential = k % 2 != 0;
    raw_exchange(dashboard, report_request("student" + std::to_string(k), sequential ? "sequential" : "all",
                                           sequential ? 2.01 : 1.01));
  }
  projector.text_once_shown("(5 students)");
  auto client = std::async(std::launch::async, [&] {
    return run_program("client_async", {server.url(), "-n", "40", "-q"});
  });
  const std::string busy = projector.text_once_shown("40 in flight");
  EXPECT_NE(busy.find("40 in flight"), std::string::npos) << busy;
  EXPECT_TRUE(std::regex_search(busy, std::regex(R"(2 requests\n+one after another 2\.01 s \(5 students\)\n+)"
                                                 R"(all at once 1\.01 s \(5 students\))")))
      << "2 and 2, one under the other: " << busy;
  EXPECT_NE(busy.find("earlier requests, not drawn"), std::string::npos) << "the oldest rows are counted: " << busy;
  for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
    EXPECT_EQ(projector.evaluate_at_size(first_screen_check, width, height), "ok") << width << "x" << height;
  }
  // As a server open to the room shows it: the QR code instead of the hint.
  projector.evaluate(
      "for (const id of ['qr', 'join']) document.getElementById(id).hidden = false;"
      "document.getElementById('loopback-only').hidden = true; ''");
  for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
    EXPECT_EQ(projector.evaluate_at_size(first_screen_check, width, height), "ok") << width << "x" << height;
  }
  EXPECT_EQ(client.get().exit_code, 0);
}

// Listening on 127.0.0.1 only, no phone can open the class page: the
// projector says how to open the server to the room instead of a QR code.
TEST(Projector, ALoopbackServerSaysHowToOpenItToTheRoom) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  HeadlessBrowser projector("http://127.0.0.1:" + std::to_string(dashboard_port(server)) + "/");
  const std::string text = projector.text_once_shown("--host 0.0.0.0");
  EXPECT_NE(text.find("Start it with --host 0.0.0.0 to open it to the room"), std::string::npos) << text;
  EXPECT_EQ(projector.evaluate("String(document.getElementById('qr').hidden)"), "true");
}

// The classic mistake while it happens: a loop blocked for 1 s in a sleep
// (--async --blocking) shows on the gauge before the stall ends, seen from
// outside the loop; and the queued count is the number of rows drawn waiting.
TEST(Projector, ABlockedLoopShowsOnTheGaugeWhileItIsBlocked) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--blocking", "--delay", "1", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  HeadlessBrowser projector("http://127.0.0.1:" + std::to_string(dashboard_port(server)) + "/");
  ASSERT_NE(projector.text_once_shown("event loop").find("event loop"), std::string::npos) << projector.problem();
  auto client = std::async(std::launch::async, [&] {
    return run_program("client_async", {server.url(), "-n", "3", "-q"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  const std::string lag = projector.evaluate("document.getElementById('lag').textContent");
  const double seconds = lag.find(" ms") != std::string::npos ? std::atof(lag.c_str()) / 1000 : std::atof(lag.c_str());
  EXPECT_DURATION_GE(seconds, 0.5) << "0.9 s into a 1 s stall the gauge reads " << lag;
  for (int sample = 0; sample < 10; ++sample) {
    const std::string counts = projector.evaluate(R"js((() => {
      const waiting = [...document.querySelectorAll("#chart .row:not(.note)")].filter((row) => {
        const bars = row.querySelectorAll(".bar");
        return bars.length && bars[bars.length - 1].classList.contains("queued"); });
      return waiting.length + " drawn, " + document.getElementById("queued").textContent; })())js");
    const int drawn = std::atoi(counts.c_str());
    EXPECT_NE(counts.find(", " + std::to_string(drawn) + " queued"), std::string::npos) << counts;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(client.get().exit_code, 0);
}

}  // namespace kit::test
