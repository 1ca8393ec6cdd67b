#include "targets_file.hpp"

#include <istream>
#include <stdexcept>

namespace kit {

namespace {

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
}

// "GET http://host/path": the target's method and URL.
FileTarget first_line(const std::string& line) {
  const auto space = line.find_first_of(" \t");
  if (space == std::string::npos) throw std::invalid_argument("expected 'METHOD URL'");
  const std::string method = line.substr(0, space);
  const auto known = known_method(method);
  if (!known) throw std::invalid_argument("'" + method + "' is not one of " + std::string(client_methods));
  FileTarget target{parse_http_url(trimmed(line.substr(space))), {}};
  target.shape.method = *known;
  return target;
}

}  // namespace

std::vector<FileTarget> read_targets(std::istream& in, const std::string& source, const ReadBody& read_body) {
  std::vector<FileTarget> targets;
  bool in_a_target = false;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    const std::string line = trimmed(raw);
    if (!line.empty() && line[0] == '#') continue;
    try {
      if (line.empty()) {
        in_a_target = false;
      } else if (!in_a_target) {
        targets.push_back(first_line(line));
        in_a_target = true;
      } else if (line[0] == '@') {
        if (targets.back().shape.body) throw std::invalid_argument("a second body line");
        targets.back().shape.body = read_body(line.substr(1));
      } else {
        targets.back().shape.headers.push_back(parse_header_line(line));
      }
    } catch (const std::invalid_argument& e) {  // BadUrl is one too
      throw BadUrl(source + " line " + std::to_string(number) + ": " + e.what());
    }
  }
  if (in.bad()) throw BadUrl(source + ": could not be read");
  if (targets.empty()) throw BadUrl(source + ": no target in it");
  return targets;
}

}  // namespace kit
