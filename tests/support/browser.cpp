#include "browser.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "process.hpp"

extern char** environ;

namespace kit::test {

namespace {

constexpr const char* chromium = "/usr/bin/chromium";

}  // namespace

bool chromium_installed() { return ::access(chromium, X_OK) == 0; }

HeadlessBrowser::HeadlessBrowser(const std::string& url, const std::vector<std::string>& flags) {
  char folder[] = "/tmp/kit-chromium-XXXXXX";
  if (!::mkdtemp(folder)) {
    problem_ = "cannot make a profile folder";
    return;
  }
  profile_ = folder;
  std::vector<std::string> args{chromium,
                                "--headless=new",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--no-first-run",
                                "--no-proxy-server",
                                "--remote-debugging-port=0",
                                "--user-data-dir=" + profile_};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(url);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Its own process group, so that its helper processes end with it.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, (profile_ + "/stderr.log").c_str(), O_WRONLY | O_CREAT, 0600);
  const int error = posix_spawn(&pid_, chromium, &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    pid_ = -1;
    problem_ = "cannot start chromium";
    return;
  }

  // Chromium writes the port it chose, then finds the page's WebSocket in /json/list.
  for (int i = 0; i < 300 && page_socket_path_.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (devtools_port_ == 0) {
      std::ifstream active(profile_ + "/DevToolsActivePort");
      if (!(active >> devtools_port_)) devtools_port_ = 0;
      continue;
    }
    const std::string answer =
        raw_exchange(devtools_port_, "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5);
    const auto body = answer.find("\r\n\r\n");
    if (body == std::string::npos) continue;
    boost::system::error_code parse_error;
    const boost::json::value targets = boost::json::parse(answer.substr(body + 4), parse_error);
    if (parse_error || !targets.is_array()) continue;
    for (const auto& target : targets.as_array()) {
      const auto* fields = target.if_object();
      if (!fields || !fields->contains("type") || fields->at("type") != "page") continue;
      if (!fields->contains("webSocketDebuggerUrl")) continue;
      const std::string socket_url(fields->at("webSocketDebuggerUrl").as_string());
      const auto path = socket_url.find("/devtools/");
      if (path != std::string::npos) page_socket_path_ = socket_url.substr(path);
    }
  }
  if (page_socket_path_.empty()) {
    std::ifstream log(profile_ + "/stderr.log");
    problem_ = "chromium's page did not appear; its stderr: " +
               std::string(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
  }
}

HeadlessBrowser::~HeadlessBrowser() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  if (!profile_.empty()) std::filesystem::remove_all(profile_, ignored);
}

boost::json::object HeadlessBrowser::call(const std::vector<Command>& commands) {
  namespace asio = boost::asio;
  namespace websocket = boost::beast::websocket;
  try {
    asio::io_context io;
    websocket::stream<asio::ip::tcp::socket> socket(io);
    socket.next_layer().connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(devtools_port_)});
    socket.handshake("127.0.0.1:" + std::to_string(devtools_port_), page_socket_path_);
    socket.read_message_max(64 * 1024 * 1024);  // a screenshot
    boost::json::object result;
    for (std::size_t id = 1; id <= commands.size(); ++id) {
      const auto& [method, params] = commands[id - 1];
      const boost::json::object message{{"id", id}, {"method", method}, {"params", params}};
      socket.write(asio::buffer(boost::json::serialize(message)));
      for (;;) {  // events may come first; the answer carries our id
        boost::beast::flat_buffer buffer;
        socket.read(buffer);
        const boost::json::value answer = boost::json::parse(boost::beast::buffers_to_string(buffer.data()));
        if (!answer.is_object() || !answer.as_object().contains("id")) continue;
        const auto* fields = answer.as_object().if_contains("result");
        if (!fields || !fields->is_object()) {
          problem_ = "DevTools " + method + ": " + boost::json::serialize(answer);
          return {};
        }
        result = fields->as_object();
        break;
      }
    }
    socket.close(websocket::close_code::normal);
    return result;
  } catch (const std::exception& e) {
    problem_ = std::string("DevTools: ") + e.what();
    return {};
  }
}

std::string HeadlessBrowser::evaluate(const std::string& expression, bool await_promise) {
  const boost::json::object result = call(
      {{"Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", await_promise}}}});
  const auto* inner = result.if_contains("result");
  const auto* value = inner && inner->is_object() ? inner->as_object().if_contains("value") : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

std::string HeadlessBrowser::evaluate_at_size(const std::string& expression, int width, int height) {
  // One DevTools session: a viewport override ends with the session that set it.
  const boost::json::object result =
      call({{"Emulation.setDeviceMetricsOverride",
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", width < 600}}},
            {"Runtime.evaluate", {{"expression", "new Promise((r) => setTimeout(r, 300))"}, {"awaitPromise", true}}},
            {"Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}}}});
  const auto* inner = result.if_contains("result");
  const auto* value = inner && inner->is_object() ? inner->as_object().if_contains("value") : nullptr;
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

bool HeadlessBrowser::screenshot(const std::string& png_path, int width, int height, const std::string& scroll_to) {
  // One DevTools session: a viewport override ends with the session that set it.
  const std::string settle =
      (scroll_to.empty() ? "" : "document.querySelector('" + scroll_to + "').scrollIntoView(); ") +
      "new Promise((r) => setTimeout(r, 300))";
  const boost::json::object shot =
      call({{"Emulation.setDeviceMetricsOverride",
             {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", width < 600}}},
            {"Runtime.evaluate", {{"expression", settle}, {"awaitPromise", true}}},
            {"Page.captureScreenshot", {{"format", "png"}}}});
  const auto* data = shot.if_contains("data");
  if (!data || !data->is_string()) return false;
  const std::string base64(data->as_string());
  std::string png(base64.size() / 4 * 3 + 3, '\0');
  const int length =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(png.data()),
                      reinterpret_cast<const unsigned char*>(base64.data()), static_cast<int>(base64.size()));
  if (length < 0) return false;
  png.resize(static_cast<std::size_t>(length) -
             std::count(base64.end() - std::min<std::size_t>(2, base64.size()), base64.end(), '='));
  std::ofstream(png_path, std::ios::binary) << png;
  return true;
}

std::string HeadlessBrowser::text_once_shown(const std::string& expected, int tenths) {
  std::string text;
  for (int i = 0; i < tenths && text.find(expected) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = evaluate("document.body.innerText");
  }
  return text;
}

}  // namespace kit::test
