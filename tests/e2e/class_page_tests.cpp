// The student page (server --dashboard, /class) in a real browser, headless
// Chromium: the talk's clients run by the browser against the slow server,
// with the browser's own limit of 6 connections to one server showing as
// waves, and each run reported to the projector's dashboard.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <regex>
#include <thread>

#include "durations.hpp"
#include "browser.hpp"
#include "process.hpp"

namespace kit::test {

namespace {

struct Outcome {
  double seconds = -1;
  int requests = 0, ok = 0, max_in_flight = 0;
  std::string protocol;  // as Resource Timing's nextHopProtocol says: "h2" or "http/1.1"
};

// window.classPage.run(kind, n) in the page, once the page has set itself up.
Outcome run_in_page(HeadlessBrowser& page, const std::string& kind, int n) {
  const std::string answer = page.evaluate(
      "(async () => { for (let i = 0; i < 100 && !window.classPage; i++) await new Promise((r) => setTimeout(r, 50));"
      " return JSON.stringify(await window.classPage.run('" +
          kind + "', " + std::to_string(n) + ")); })()",
      true);
  boost::system::error_code error;
  const boost::json::value value = boost::json::parse(answer, error);
  if (error || !value.is_object()) {
    ADD_FAILURE() << kind << " " << n << ": no outcome (" << answer << ") " << page.problem();
    return {};
  }
  const auto& o = value.as_object();
  return {o.at("seconds").to_number<double>(), static_cast<int>(o.at("requests").to_number<double>()),
          static_cast<int>(o.at("ok").to_number<double>()), static_cast<int>(o.at("maxInFlight").to_number<double>()),
          std::string(o.at("protocol").as_string())};
}

// Ten students at once, as a classroom would: `count` student pages in
// frames of this page (student1, student2, ...), each running 2 requests, half
// one after another and half all at once. How many runs succeeded, as text.
std::string run_students_in_frames(HeadlessBrowser& page, int count) {
  page.evaluate("for (let k = 1; k <= " + std::to_string(count) +
                "; k++) { const f = document.createElement('iframe');"
                " f.src = '/class?name=student' + k; document.body.appendChild(f); } ''");
  return page.evaluate(
      "(async () => { const frames = [...document.querySelectorAll('iframe')];"
      " for (let i = 0; i < 100 && !frames.every((f) => f.contentWindow.classPage); i++)"
      "   await new Promise((r) => setTimeout(r, 50));"
      " const runs = await Promise.all(frames.map((f, k) => f.contentWindow.classPage.run(k % 2 ? 'all' : "
      "'sequential', 2)));"
      " return String(runs.filter((r) => r.ok === 2).length); })()",
      true);
}

std::string class_page(int dashboard, const std::string& query = "") {
  return "http://127.0.0.1:" + std::to_string(dashboard) + "/class" + query;
}

}  // namespace

// With 0.2 s a request: one after another 2 take 0.4 s with 1 in flight; all
// at once 0.2 s with 2; 12 at once go in two waves of 6 (the browser's limit
// per server); at most 3 at once for 9 take three waves of 3.
TEST(ClassPage, RunsTheTalksClientsInTheBrowser) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--delay", "0.2", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int dashboard = dashboard_port(server);  // read once: the line after it names the class page
  HeadlessBrowser page(class_page(dashboard, "?name=Ada"));
  ASSERT_TRUE(page.started()) << page.problem();

  const Outcome sequential = run_in_page(page, "sequential", 2);
  EXPECT_EQ(sequential.ok, 2);
  EXPECT_EQ(sequential.max_in_flight, 1);
  EXPECT_GE(sequential.seconds, 0.38);
  const Outcome all = run_in_page(page, "all", 2);
  EXPECT_EQ(all.ok, 2);
  EXPECT_EQ(all.max_in_flight, 2);
  EXPECT_GE(all.seconds, 0.19);
  EXPECT_DURATION_LT(all.seconds / sequential.seconds, 0.75) << "all at once takes about half the time";

  const Outcome twelve = run_in_page(page, "all", 12);
  EXPECT_EQ(twelve.ok, 12);
  EXPECT_EQ(twelve.max_in_flight, 6) << "the browser sends at most 6 at once to one server";
  EXPECT_GE(twelve.seconds, 0.38) << "two waves of 0.2 s";
  const Outcome limited = run_in_page(page, "limited", 9);
  EXPECT_EQ(limited.ok, 9);
  EXPECT_EQ(limited.max_in_flight, 3);
  EXPECT_GE(limited.seconds, 0.58) << "three waves of 0.2 s";
  EXPECT_DURATION_LT(twelve.seconds, limited.seconds) << "two waves take less than three";
  const std::string text = page.evaluate("document.body.innerText");
  EXPECT_NE(text.find("9 requests in"), std::string::npos) << text;
  EXPECT_NE(text.find("3 waves"), std::string::npos) << text;
}

// Over HTTPS the browser speaks HTTP/2: 12 at once go in one wave, as
// streams of one connection; with --no-http2, in two waves of 6 again.
TEST(ClassPage, OverHttp2TwelveGoInOneWave) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  for (const bool http2 : {true, false}) {
    std::vector<std::string> flags{"--async", "--delay", "0.2", "--tls-self-signed", "--dashboard", "0", "--quiet"};
    if (!http2) flags.push_back("--no-http2");
    ServerProcess server(flags);
    ASSERT_TRUE(server.started()) << server.log();
    HeadlessBrowser page(class_page(dashboard_port(server), "?name=Ada"), {"--ignore-certificate-errors"});
    ASSERT_TRUE(page.started()) << page.problem();
    const Outcome twelve = run_in_page(page, "all", 12);
    EXPECT_EQ(twelve.ok, 12);
    EXPECT_EQ(twelve.protocol, http2 ? "h2" : "http/1.1");
    EXPECT_EQ(twelve.max_in_flight, http2 ? 12 : 6);
    if (!http2) {
      EXPECT_GE(twelve.seconds, 0.38) << "two waves of 0.2 s";
    }
    EXPECT_DURATION_LT(twelve.seconds, http2 ? 0.37 : 10) << "one wave of 0.2 s";
    const std::string waves = page.evaluate("document.getElementById('waves').textContent");
    EXPECT_NE(waves.find(http2 ? "as streams of one HTTP/2 connection: one wave" : "2 waves"), std::string::npos)
        << waves;
  }
}

// The sentence beside the bars says what was measured: against a loop that
// blocks, three requests sent at once were served one at a time.
TEST(ClassPage, TheSentenceFollowsWhatWasMeasured) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--blocking", "--delay", "0.2", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  HeadlessBrowser page(class_page(dashboard_port(server), "?name=Ada"));
  ASSERT_TRUE(page.started()) << page.problem();
  const Outcome all = run_in_page(page, "all", 3);
  EXPECT_EQ(all.ok, 3);
  EXPECT_EQ(all.max_in_flight, 3) << "all three were on the wire at once";
  const std::string waves = page.evaluate("document.getElementById('waves').textContent");
  EXPECT_NE(waves.find("All 3 were sent at once, but the server served one at a time"), std::string::npos) << waves;
  EXPECT_EQ(waves.find("waited on the server at the same time"), std::string::npos) << waves;
}

// A button runs what its code shows, and the projector's dashboard names the
// student; then ten students at once (ten pages in frames of one browser),
// and the dashboard names all ten.
TEST(ClassPage, ButtonsRunAndTheDashboardNamesEveryStudent) {
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--delay", "0.2", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int dashboard = dashboard_port(server);  // read once: the line after it names the class page
  HeadlessBrowser page(class_page(dashboard, "?name=Grace"));
  ASSERT_TRUE(page.started()) << page.problem();
  ASSERT_NE(page.text_once_shown("The slow server: http://").find("The slow server"), std::string::npos);
  page.evaluate("document.querySelector('button[data-kind=all]').click(), ''");
  const std::string result = page.text_once_shown("2 requests in");
  EXPECT_NE(result.find("2 requests in 0."), std::string::npos) << result;
  EXPECT_NE(result.find("All 2 waited on the server at the same time"), std::string::npos) << result;

  EXPECT_EQ(run_students_in_frames(page, 10), "10") << page.problem();

  HeadlessBrowser projector("http://127.0.0.1:" + std::to_string(dashboard) + "/");
  ASSERT_TRUE(projector.started()) << projector.problem();
  const std::string shown = projector.text_once_shown("student10");
  for (const char* name : {"Grace", "student1", "student5", "student10"}) {
    EXPECT_NE(shown.find(name), std::string::npos) << name << " missing: " << shown;
  }
  EXPECT_NE(shown.find("11 students"), std::string::npos) << shown;
  // Like with like, one under the other: 2 one after another, 2 all at once.
  EXPECT_TRUE(std::regex_search(shown, std::regex(R"(2 requests\n+one after another 0\.\d\d s \(5 students\)\n+)"
                                                  R"(all at once 0\.\d\d s \(6 students\))")))
      << shown;
}

// For a person to look at (not an assertion beyond their being written):
// the student page on a phone and a laptop, and the projector's dashboard
// with ten students, in build/screenshots/. Only when asked, as it proves
// nothing a machine can check: KIT_SCREENSHOTS=1 ctest --preset default -R Screenshots
TEST(ClassPage, ScreenshotsOfThePagesForAPersonToLookAt) {
  if (!std::getenv("KIT_SCREENSHOTS")) GTEST_SKIP() << "set KIT_SCREENSHOTS=1 to write them";
  if (!chromium_installed()) GTEST_SKIP() << "no /usr/bin/chromium (scripts/test.sh installs it)";
  ServerProcess server({"--async", "--delay", "0.2", "--dashboard", "0", "--quiet"});
  ASSERT_TRUE(server.started()) << server.log();
  const int dashboard = dashboard_port(server);  // read once: the line after it names the class page
  const std::string folder = std::string(KIT_BUILD_DIR) + "/screenshots";
  std::filesystem::create_directories(folder);
  HeadlessBrowser classroom(class_page(dashboard, "?name=Grace%20Hopper"));
  ASSERT_TRUE(classroom.started()) << classroom.problem();
  EXPECT_EQ(run_students_in_frames(classroom, 9), "9") << classroom.problem();
  HeadlessBrowser page(class_page(dashboard, "?name=Ada%20Lovelace"));
  ASSERT_TRUE(page.started()) << page.problem();
  run_in_page(page, "all", 12);
  EXPECT_TRUE(page.screenshot(folder + "/class-phone.png", 390, 844)) << page.problem();
  EXPECT_TRUE(page.screenshot(folder + "/class-laptop.png", 1280, 720)) << page.problem();
  EXPECT_TRUE(page.screenshot(folder + "/class-phone-result.png", 390, 844, "#result")) << page.problem();
  HeadlessBrowser projector("http://127.0.0.1:" + std::to_string(dashboard) + "/");
  projector.text_once_shown("student9");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    EXPECT_TRUE(projector.screenshot(folder + "/projector-idle-" + size + ".png", width, height))
        << projector.problem();
  }
  auto busy = std::async(std::launch::async, [&] {
    return run_program("client_async", {server.url("/?delay=3"), "-n", "40", "-q"});
  });
  projector.text_once_shown("40 in flight");
  for (const auto& [width, height] : {std::pair{1920, 1080}, std::pair{1280, 720}}) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    EXPECT_TRUE(projector.screenshot(folder + "/projector-busy-" + size + ".png", width, height))
        << projector.problem();
  }
  busy.get();
}

}  // namespace kit::test
