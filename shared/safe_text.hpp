#pragma once
// Text from the network, made safe before the kit writes it anywhere a
// person or a parser reads it: a terminal line, the access log, JSON, CSV,
// SVG. Response bodies on stdout stay raw, as curl prints them.
#include <cstddef>
#include <string>
#include <string_view>

namespace kit {

// `text` with every control byte (tab included) and every byte that is not
// part of valid UTF-8 written as a visible escape, "\x1b"; valid UTF-8
// letters stay as they are. Cut at `max_bytes` of input, with "..." to say so.
std::string printable(std::string_view text, std::size_t max_bytes = 1024);

// ASCII letters in lower case, the rest as it is: for host names and
// locale names, which compare without regard to case.
std::string ascii_lowercase(std::string_view text);

}  // namespace kit
