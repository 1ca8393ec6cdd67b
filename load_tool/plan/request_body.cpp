#include "request_body.hpp"

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace kit {

std::shared_ptr<const std::string> body_from_file(const std::string& path) {
  constexpr std::size_t most_body_bytes = 64 * 1024 * 1024;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) throw std::invalid_argument("cannot read '" + path + "'");
  }
  std::istream& in = path == "-" ? std::cin : file;
  auto body = std::make_shared<std::string>();
  char piece[65536];
  while (in.read(piece, sizeof piece) || in.gcount() > 0) {
    body->append(piece, static_cast<std::size_t>(in.gcount()));
    if (body->size() > most_body_bytes) throw std::invalid_argument("'" + path + "' is over 64 MiB");
  }
  if (in.bad()) throw std::invalid_argument("cannot read '" + path + "'");
  return body;
}

std::shared_ptr<const std::string> body_from_data_flag(const std::string& data) {
  if (data.empty() || data.front() != '@') return std::make_shared<const std::string>(data);
  auto text = std::make_shared<std::string>(*body_from_file(data.substr(1)));
  std::erase_if(*text, [](char c) { return c == '\r' || c == '\n'; });
  return text;
}

}  // namespace kit
