// server --dashboard's page in a real browser, Debian's headless Chromium
// (scripts/test.sh installs it). Built by the plain preset only: the
// sanitizer runs leave the browser out.
#include <gtest/gtest.h>

#include <future>
#include <regex>
#include <thread>

#include "browser.hpp"
#include "process.hpp"

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
