#include "url_list.hpp"

#include <istream>

namespace kit {

std::vector<HttpTarget> read_url_list(std::istream& in, const std::string& source) {
  std::vector<HttpTarget> targets;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto last = line.find_last_not_of(" \t\r");
    try {
      targets.push_back(parse_http_url(line.substr(first, last - first + 1)));
    } catch (const BadUrl& e) {
      throw BadUrl(source + " line " + std::to_string(number) + ": " + e.what());
    }
  }
  if (in.bad()) throw BadUrl(source + ": could not be read");
  return targets;
}

}  // namespace kit
