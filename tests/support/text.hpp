#pragma once
// Small helpers the end-to-end tests share: reading what came back, and
// naming the server model a parameterised test runs against.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

namespace kit::test {

// How often `what` occurs in `text`.
inline int count_of(const std::string& text, const std::string& what) {
  int count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The run's own seconds from a client's recap ("2 requests, 2 ok, 0 failed
// in 0.201 s"), without the process's start-up; -1 when there is none.
inline double recap_seconds(const std::string& err) {
  const std::size_t in = err.rfind(" failed in ");
  return in == std::string::npos ? -1 : std::atof(err.c_str() + in + 11);
}

// "HTTP/1.1 200 OK" from a raw response.
inline std::string status_line(const std::string& response) { return response.substr(0, response.find("\r\n")); }

// A file's whole content, or "" when it cannot be read.
inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// A server model and the flags that select it.
struct Model {
  std::string name;
  std::vector<std::string> flags;
};
inline void PrintTo(const Model& model, std::ostream* out) { *out << model.name; }

}  // namespace kit::test
