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

HeadlessBrowser::HeadlessBrowser(const std::string& url) {
  char folder[] = "/tmp/kit-chromium-XXXXXX";
  if (!::mkdtemp(folder)) {
    problem_ = "cannot make a profile folder";
    return;
  }
  profile_ = folder;
  std::vector<std::string> args{chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                                "--no-first-run", "--no-proxy-server", "--remote-debugging-port=0",
                                "--user-data-dir=" + profile_, url};
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
    const std::string answer = raw_exchange(
        devtools_port_, "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 5);
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

std::string HeadlessBrowser::evaluate(const std::string& expression) {
  namespace asio = boost::asio;
  namespace websocket = boost::beast::websocket;
  try {
    asio::io_context io;
    websocket::stream<asio::ip::tcp::socket> socket(io);
    socket.next_layer().connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(devtools_port_)});
    socket.handshake("127.0.0.1:" + std::to_string(devtools_port_), page_socket_path_);
    const boost::json::object call{
        {"id", 1},
        {"method", "Runtime.evaluate"},
        {"params", {{"expression", expression}, {"returnByValue", true}}}};
    socket.write(asio::buffer(boost::json::serialize(call)));
    for (;;) {  // events may come first; the answer carries our id
      boost::beast::flat_buffer buffer;
      socket.read(buffer);
      const boost::json::value message = boost::json::parse(boost::beast::buffers_to_string(buffer.data()));
      if (!message.is_object() || !message.as_object().contains("id")) continue;
      const auto* value = message.as_object().at("result").as_object().at("result").as_object().if_contains("value");
      socket.close(websocket::close_code::normal);
      return value && value->is_string() ? std::string(value->as_string()) : "";
    }
  } catch (const std::exception& e) {
    problem_ = std::string("DevTools: ") + e.what();
    return "";
  }
}

}  // namespace kit::test
