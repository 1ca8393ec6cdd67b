#pragma once
// A real browser for the dashboard's tests: Debian's headless Chromium,
// driven through its DevTools protocol (a WebSocket, with Boost.Beast).
#include <sys/types.h>

#include <string>

namespace kit::test {

// Where Debian's chromium package puts it; tests that need it skip without it.
bool chromium_installed();

class HeadlessBrowser {
 public:
  explicit HeadlessBrowser(const std::string& url);  // opens the page
  ~HeadlessBrowser();                                // ends Chromium, removes its profile
  HeadlessBrowser(const HeadlessBrowser&) = delete;
  HeadlessBrowser& operator=(const HeadlessBrowser&) = delete;

  bool started() const { return !page_socket_path_.empty(); }
  const std::string& problem() const { return problem_; }
  // Evaluates a JavaScript expression in the page; its value as text ("" on failure).
  std::string evaluate(const std::string& expression);

 private:
  pid_t pid_ = -1;
  std::string profile_;
  int devtools_port_ = 0;
  std::string page_socket_path_;  // /devtools/page/ID
  std::string problem_;
};

}  // namespace kit::test
