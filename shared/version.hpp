#pragma once
// What `--version` prints, for bug reports: the kit's version and the
// versions of the libraries the program was built with.
#include <string>
#include <string_view>

namespace kit {

// "client_async 1.1.0 (slow-server demo kit)\nbuilt with Boost 1.83.0, ..."
std::string version_text(std::string_view program);

}  // namespace kit
