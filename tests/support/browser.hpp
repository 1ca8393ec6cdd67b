#pragma once
// A real browser for the dashboard's tests: Debian's headless Chromium,
// driven through its DevTools protocol (a WebSocket, with Boost.Beast).
#include <sys/types.h>

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

namespace kit::test {

// Where Debian's chromium package puts it; tests that need it skip without it.
bool chromium_installed();

class HeadlessBrowser {
 public:
  // Opens the page; `flags` are Chromium's own, added to the kit's.
  explicit HeadlessBrowser(const std::string& url, const std::vector<std::string>& flags = {});
  ~HeadlessBrowser();  // ends Chromium, removes its profile
  HeadlessBrowser(const HeadlessBrowser&) = delete;
  HeadlessBrowser& operator=(const HeadlessBrowser&) = delete;

  bool started() const { return !page_socket_path_.empty(); }
  const std::string& problem() const { return problem_; }
  // Evaluates a JavaScript expression in the page; its value as text ("" on
  // failure). With `await_promise`, the value the promise resolves to.
  std::string evaluate(const std::string& expression, bool await_promise = false);
  // The same, with the viewport `width` x `height` for a moment first (the
  // page re-laid out at that size, as a projector or a phone shows it).
  std::string evaluate_at_size(const std::string& expression, int width, int height);
  // Sizes the page's viewport (a phone when narrow), scrolls to the element
  // `scroll_to` (a CSS selector) if given, and writes a PNG of what shows.
  bool screenshot(const std::string& png_path, int width, int height, const std::string& scroll_to = "");
  // The page's text once it shows `expected`, polled every 0.1 s up to
  // `tenths` times (Chromium has to start; pages update once a second).
  std::string text_once_shown(const std::string& expected, int tenths = 100);

 private:
  // DevTools calls on the page, in one session: the last one's "result"
  // object (empty on failure, with problem() saying why).
  using Command = std::pair<std::string, boost::json::object>;
  boost::json::object call(const std::vector<Command>& commands);

  pid_t pid_ = -1;
  std::string profile_;
  int devtools_port_ = 0;
  std::string page_socket_path_;  // /devtools/page/ID
  std::string problem_;
};

}  // namespace kit::test
