#pragma once
// --urls FILE: one URL per line, as a crawler's list of pages would be.
#include <iosfwd>
#include <string>
#include <vector>

#include "http_target.hpp"

namespace kit {

// Reads the URLs in `in`, skipping blank lines and lines that start with #
// (after spaces). Throws BadUrl naming `source` and the line of a bad URL.
std::vector<HttpTarget> read_url_list(std::istream& in, const std::string& source);

}  // namespace kit
