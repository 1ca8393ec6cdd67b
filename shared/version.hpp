#pragma once
// What `--version` prints, for bug reports: the kit's version and the
// versions of the libraries the program was built with.
#include <string>
#include <string_view>

namespace kit {

// "client_async 1.1.0 (slow-server demo kit)\nbuilt with Boost 1.83.0, ..."
std::string version_text(std::string_view program);

// The name the program was run by (argv[0] without its folder), so that an
// installed slowkit-server says so in --help; `usual` when argv[0] is empty
// or not plain text.
std::string invoked_name(const char* argv0, std::string_view usual);

// `text` with each example line's leading "  usual" written as "  name".
std::string with_program_name(std::string text, std::string_view usual, std::string_view name);

}  // namespace kit
