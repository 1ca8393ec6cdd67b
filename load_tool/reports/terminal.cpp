#include "terminal.hpp"

#include "safe_text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace kit {

namespace {

// The first of LC_ALL, LC_CTYPE, LANG that is set decides, as in setlocale().
bool locale_is_utf8() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    const std::string text = ascii_lowercase(value);
    return text.find("utf-8") != std::string::npos || text.find("utf8") != std::string::npos;
  }
  return false;
}

}  // namespace

bool is_tty(int fd) { return ::isatty(fd) == 1; }

TerminalStyle terminal_style(int fd) {
  TerminalStyle style;
  winsize size{};
  if (const char* columns = std::getenv("COLUMNS"); columns && std::atoi(columns) > 0) {
    style.columns = std::atoi(columns);
  } else if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    style.columns = size.ws_col;
  }
  style.utf8 = locale_is_utf8();
  const char* no_colour = std::getenv("NO_COLOR");
  style.colour = is_tty(fd) && (no_colour == nullptr || *no_colour == '\0');
  return style;
}

}  // namespace kit
